# The end of a run on the host: stops attached commands a killed runctl left, keeps the watched
# folders aside when asked (KEEP), removes the workdir when runctl owns it, and the run's folder.
set -u
for f in "$R"/exec/*.pid; do
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  kill -KILL -- "-$pid" 2>/dev/null
  rm -f "$f"
  echo "@@stopped-exec $pid"
done
if [ -n "$KEEP" ]; then
  for d in "$R"/procs/*/; do
    d=${d%/}
    case "$d" in *.prev) continue ;; esac
    w=$(WATCH=; . "$d/params" 2>/dev/null; printf '%s' "$WATCH")
    n=$(basename "$d")
    if [ -n "$w" ] && [ -d "$w" ] && [ -n "$(ls -A "$w" 2>/dev/null)" ]; then
      mkdir -p "$R/kept" && rm -rf -- "$R/kept/$n" && mv -- "$w" "$R/kept/$n" && echo "@@kept $n $w"
    fi
  done
fi
if [ -n "$OWNED" ] && [ -d "$W" ]; then
  rm -rf -- "$W" && echo "@@removed-workdir"
  rm -rf -- "$M"
fi
if [ -z "$KEEP" ]; then
  rm -rf -- "$R"
else
  rm -rf -- "$R/exec" "$R"/procs/*.prev
fi
echo "@@done"
