# SIGTERM to the process group, SIGKILL after GRACE seconds; returns once the exit code is there.
set -u
[ -f "$D/pid" ] || exit 0
pid=$(cat "$D/pid")
kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
i=0
while [ ! -f "$D/exit_code" ] && kill -0 "$pid" 2>/dev/null && [ "$i" -lt $((GRACE * 10)) ]; do
  sleep 0.1
  i=$((i + 1))
done
kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
i=0
while [ ! -f "$D/exit_code" ] && [ "$i" -lt 100 ]; do
  if [ -f "$D/wrapper.pid" ] && ! kill -0 "$(cut -d' ' -f1 "$D/wrapper.pid")" 2>/dev/null; then
    echo 137 > "$D/exit_code"
  fi
  sleep 0.1
  i=$((i + 1))
done
echo "@@terminated"
