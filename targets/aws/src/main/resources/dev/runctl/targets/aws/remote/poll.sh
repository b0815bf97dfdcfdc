# One look at a detached process: waits up to WAIT tenths of a second for new output or the end,
# then prints its state and puts the log bytes from OFF (at most MAX) into $OUT.
set -u
i=0
size=0
while :; do
  size=$(stat -c %s "$D/log" 2>/dev/null || echo 0)
  if [ "$size" -gt "$OFF" ] || [ -f "$D/exit_code" ] || [ "$i" -ge "$WAIT" ]; then break; fi
  sleep 0.1
  i=$((i + 1))
done
if [ -f "$D/exit_code" ]; then
  state="EXITED $(cat "$D/exit_code")"
elif [ -f "$D/pid" ] && kill -0 "$(cat "$D/pid")" 2>/dev/null; then
  state="RUNNING -"
elif [ -f "$D/wrapper.pid" ] && kill -0 "$(cat "$D/wrapper.pid")" 2>/dev/null; then
  # the process ended; its supervisor is saving the checkpoints before it records the exit code
  state="RUNNING -"
elif [ -f "$D/started" ] && [ ! -f "$D/pid" ] && [ $(( $(date +%s) - $(cat "$D/started") )) -lt 10 ]; then
  state="RUNNING -"
else
  state="LOST -"
fi
size=$(stat -c %s "$D/log" 2>/dev/null || echo 0)
sig=-
if [ -n "$WATCH" ] && [ -d "$WATCH" ]; then
  sig=$(find "$WATCH" -type f -printf '%P %s %T@\n' 2>/dev/null | sort | cksum | tr ' ' '-')
fi
echo "@@state $state $size $sig"
if [ -f "$D/log" ] && [ "$size" -gt "$OFF" ]; then
  tail -c +$((OFF + 1)) "$D/log" | head -c "$MAX" > "$OUT"
fi
runctl_emit
