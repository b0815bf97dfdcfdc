# What the host has: home, OS, Python, free disk where the workdir goes, GPUs, tools. Read-only.
echo "@@home $HOME"
echo "@@os $(uname -srm 2>/dev/null)"
if command -v "$PY" > /dev/null 2>&1; then
  echo "@@python $("$PY" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || echo broken)"
else
  echo "@@python -"
fi
d="$W"
case "$d" in "~/"*) d="$HOME/${d#"~/"}" ;; "~") d="$HOME" ;; /*) ;; *) d="$HOME/$d" ;; esac
while [ ! -d "$d" ] && [ "$d" != "/" ] && [ -n "$d" ]; do d=$(dirname "$d"); done
echo "@@disk $(df -Pk "$d" 2>/dev/null | awk 'NR==2 {print $4}') $d"
if command -v nvidia-smi > /dev/null 2>&1; then
  echo "@@gpus $(nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null | paste -sd ';' -)"
else
  echo "@@gpus -"
fi
for t in setsid tar; do command -v "$t" > /dev/null 2>&1 || echo "@@lacks $t"; done
echo "@@done"
