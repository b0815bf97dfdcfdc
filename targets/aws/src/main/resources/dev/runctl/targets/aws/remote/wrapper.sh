# runctl's supervisor of one detached process: records pid, exit code and heartbeat, writes the
# log, and copies the watched folder to the bucket whenever it changes.
D="$1"
. "$D/params"
echo $$ > "$D/wrapper.pid"
cd "$CWD" || { echo 90 > "$D/exit_code"; exit 0; }
set -a
[ -f "$D/env" ] && . "$D/env"
set +a
setsid bash "$D/cmd.sh" >> "$D/log" 2>&1 < /dev/null &
child=$!
echo "$child" > "$D/pid"
sig=""
persist() {
  [ -n "$WATCH" ] && [ -d "$WATCH" ] || return 0
  now=$(find "$WATCH" -type f -printf '%P %s %T@\n' 2>/dev/null | sort | cksum)
  if [ "$now" != "$sig" ] || [ "${1:-}" = force ]; then
    runctl_aws s3 sync --only-show-errors "$WATCH" "s3://$BUCKET/$CKPT" >> "$D/persist.log" 2>&1 && sig="$now"
  fi
}
(
  while kill -0 "$child" 2>/dev/null; do
    date +%s > "$D/heartbeat"
    persist
    sleep "$HEARTBEAT"
  done
) &
hb=$!
wait "$child"
code=$?
kill "$hb" 2>/dev/null
wait "$hb" 2>/dev/null
persist force
echo "$code" > "$D/exit_code.tmp"
mv "$D/exit_code.tmp" "$D/exit_code"
