# Starts a detached process: D is its folder; refuses when one of that name is alive. The
# environment goes into a mode-600 file that the wrapper reads and deletes.
set -u
alive() { [ -f "$1" ] && read -r p st < "$1" && [ -n "$p" ] && [ "$(cut -d' ' -f22 "/proc/$p/stat" 2>/dev/null)" = "$st" ]; }
if [ ! -f "$D/exit_code" ] && alive "$D/wrapper.pid"; then
  echo "@@alive $(cat "$D/pid" 2>/dev/null)"
  exit 0
fi
if [ -f "$D/started" ] && [ ! -f "$D/wrapper.pid" ] && [ $(( $(date +%s) - $(cat "$D/started") )) -lt 10 ]; then
  echo "@@alive starting"   # another start of this name is under way
  exit 0
fi
if [ -d "$D" ]; then
  mv "$D" "$D.$(date +%s%N).prev"
fi
mkdir -p "$D" "$CWD" || exit 90
chmod 700 "$D"
if [ -n "$WATCH" ] && [ -n "$KEPT" ] && [ -d "$KEPT" ] && [ ! -e "$WATCH" ]; then
  mkdir -p "$(dirname "$WATCH")" && mv "$KEPT" "$WATCH" && echo "@@restored"
fi
[ -n "$WATCH" ] && mkdir -p "$WATCH"
(umask 077; printf '%s' "$ENVTEXT" > "$D/env")
printf '%s\n' "$CMD" > "$D/cmd.sh"
printf '%s' "$PARAMS" > "$D/params"
printf '%s' "$WRAPPER" > "$D/wrapper.sh"
date +%s > "$D/started"
setsid nohup bash "$D/wrapper.sh" "$D" > /dev/null 2>&1 < /dev/null &
for i in $(seq 1 50); do
  [ -f "$D/pid" ] && break
  sleep 0.1
done
echo "@@started $(cat "$D/pid" 2>/dev/null)"
