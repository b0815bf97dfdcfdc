# runctl's supervisor of one detached process: records pid, exit code and heartbeat, writes the
# log, and copies the watched folder to the bucket whenever it changes.
D="$1"
. "$D/params"
echo $$ > "$D/wrapper.pid"
cd "$CWD" || { echo 90 > "$D/exit_code"; exit 0; }
set -a
[ -f "$D/env" ] && . "$D/env"
[ -f "$D/secrets" ] && . "$D/secrets"
set +a
rm -f "$D/secrets"
masker=""
if [ -n "$MASK" ]; then
  # the output passes through a masker on its way to the log: the secrets fetched here are
  # unknown to runctl, which masks the others again
  rm -f "$D/out"
  mkfifo -m 600 "$D/out"
  python3 "$D/mask.py" $MASK < "$D/out" >> "$D/log" 2>> "$D/mask.log" &
  masker=$!
  setsid bash "$D/cmd.sh" > "$D/out" 2>&1 < /dev/null &
else
  setsid bash "$D/cmd.sh" >> "$D/log" 2>&1 < /dev/null &
fi
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
if [ -n "$masker" ]; then
  # the masker ends when the last writer closes; a process left behind holding the output is
  # given 10 s
  i=0
  while kill -0 "$masker" 2>/dev/null && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  kill "$masker" 2>/dev/null
fi
echo "$code" > "$D/exit_code.tmp"
mv "$D/exit_code.tmp" "$D/exit_code"
