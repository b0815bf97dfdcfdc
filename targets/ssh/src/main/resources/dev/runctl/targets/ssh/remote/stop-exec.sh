# Stops an attached command by its session: SIGTERM, SIGKILL after GRACE seconds.
[ -f "$RUNCTL_PIDF" ] || exit 0
pid=$(cat "$RUNCTL_PIDF")
kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
i=0
while kill -0 "$pid" 2>/dev/null && [ "$i" -lt $((GRACE * 10)) ]; do sleep 0.1; i=$((i + 1)); done
kill -KILL -- "-$pid" 2>/dev/null
rm -f "$RUNCTL_PIDF"
