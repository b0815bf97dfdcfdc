# runctl's supervisor of one detached process on the host: reads and deletes the environment
# file, starts the command in a session of its own, records its pid, start time, heartbeat and
# exit code. Its own variables are RUNCTL_*: the job's environment cannot replace them.
RUNCTL_D="$1"
. "$RUNCTL_D/params"
echo "$$ $(cut -d' ' -f22 /proc/$$/stat)" > "$RUNCTL_D/wrapper.pid"
cd "$RUNCTL_CWD" || { echo 90 > "$RUNCTL_D/exit_code"; exit 0; }
set -a
. "$RUNCTL_D/env"
set +a
rm -f "$RUNCTL_D/env"
setsid bash "$RUNCTL_D/cmd.sh" >> "$RUNCTL_D/log" 2>&1 < /dev/null &
RUNCTL_CHILD=$!
echo "$RUNCTL_CHILD" > "$RUNCTL_D/pid"
date +%s > "$RUNCTL_D/start_time"
(
  while kill -0 "$RUNCTL_CHILD" 2>/dev/null; do
    date +%s > "$RUNCTL_D/heartbeat"
    sleep "$RUNCTL_HEARTBEAT"
  done
) &
RUNCTL_HB=$!
wait "$RUNCTL_CHILD"
RUNCTL_CODE=$?
kill "$RUNCTL_HB" 2>/dev/null
wait "$RUNCTL_HB" 2>/dev/null
echo "$RUNCTL_CODE" > "$RUNCTL_D/exit_code.tmp"
mv "$RUNCTL_D/exit_code.tmp" "$RUNCTL_D/exit_code"
