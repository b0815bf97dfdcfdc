# Runs one command attached: in its own session (so that a stop reaches everything it started),
# its pid in PIDF while it runs. The environment lines come before this body, on stdin.
mkdir -p "$(dirname "$RUNCTL_PIDF")"
cd "$RUNCTL_CWD" 2>/dev/null || { echo "runctl: the folder $RUNCTL_CWD does not exist on the host" >&2; exit 126; }
setsid "$@" < /dev/null &
pid=$!
echo "$pid" > "$RUNCTL_PIDF"
wait "$pid"
code=$?
rm -f "$RUNCTL_PIDF"
exit "$code"
