# Starts a detached process: D is its folder; refuses when one of that name is alive.
# The whole start holds a lock on $D.lock, as the look for a process by name does: a runctl killed
# while this runs (the command goes on without it) leaves a start that the next look waits for.
set -u
mkdir -p "$(dirname "$D")" || exit 90
exec 9>"$D.lock"
command -v flock > /dev/null && flock 9
if [ -f "$D/pid" ] && [ ! -f "$D/exit_code" ] && kill -0 "$(cat "$D/pid")" 2>/dev/null; then
  echo "@@alive $(cat "$D/pid")"
  exit 0
fi
if [ -d "$D" ]; then
  mv "$D" "$D.$(date +%s).prev"
fi
mkdir -p "$D" "$CWD" || exit 90
chmod 700 "$D"
# the environment and the checkpoints come from the bucket at the same time
envpid=""
if [ -n "$ENV_KEY" ]; then
  (umask 077; runctl_s3_get "$BUCKET" "$ENV_KEY" "$D/env") &
  envpid=$!
fi
if [ -n "$SECRETS" ]; then
  # fetched here through the instance's role; the wrapper sources the 0600 file and deletes it
  RUNCTL_SECRETS="$SECRETS" python3 - "$D/secrets" <<'RUNCTL_SECRETS_EOF' || { rm -f "$D/secrets"; exit 0; }
@SECRETS_PY@
RUNCTL_SECRETS_EOF
  cat > "$D/mask.py" <<'RUNCTL_MASK_EOF'
@MASK_PY@
RUNCTL_MASK_EOF
fi
if [ -n "$WATCH" ]; then
  mkdir -p "$WATCH"
  # RESTORE is empty when the bucket holds no checkpoint of this process
  if [ -n "$RESTORE" ]; then
    runctl_aws s3 sync --only-show-errors "s3://$BUCKET/$CKPT" "$WATCH" || { echo "cannot restore $WATCH from s3://$BUCKET/$CKPT" >&2; [ -n "$envpid" ] && wait "$envpid"; exit 92; }
  fi
  echo "@@restored $(find "$WATCH" -type f | wc -l)"
fi
if [ -n "$envpid" ]; then
  wait "$envpid" || { echo "cannot read the environment from s3://$BUCKET/$ENV_KEY" >&2; exit 91; }
  chmod 600 "$D/env"
fi
printf '%s\n' "$CMD" > "$D/cmd.sh"
cat > "$D/params" <<RUNCTL_PARAMS_EOF
$PARAMS
RUNCTL_PARAMS_EOF
cat > "$D/wrapper.sh" <<'RUNCTL_WRAPPER_EOF'
@WRAPPER@
RUNCTL_WRAPPER_EOF
date +%s > "$D/started"
# 9>&-: the process must not hold the start lock for its life
setsid nohup bash "$D/wrapper.sh" "$D" > /dev/null 2>&1 < /dev/null 9>&- &
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
  [ -f "$D/pid" ] && break
  sleep 0.1
done
echo "@@started $(cat "$D/pid" 2>/dev/null)"
