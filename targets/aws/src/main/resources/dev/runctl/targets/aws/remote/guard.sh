# runctl's guard of one instance, alive without any runctl (setsid, nohup: an SSM agent restart
# does not end it). It ends the instance with `shutdown -h now` (the instance was launched with
# InstanceInitiatedShutdownBehavior=terminate) when:
#  - budget.max_duration since launch, plus GRACE, has passed, whatever runs; or
#  - every process of the run has ended and neither they nor runctl did anything for IDLE seconds:
#    it saves each process's watched folder and log to the bucket first.
# It never ends an instance where a process of the run still runs, except for max_duration.
# Every action goes to s3://$BUCKET/${PREFIX}guard/. Params in "$G/params".
G="$1"
. "$G/params"
echo $$ > "$G/pid"
stamp() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
record() {
  f="$G/$(date +%s)-$1.json"
  printf '{"at":"%s","instance":"%s","action":"%s","reason":"%s"}\n' \
    "$(stamp "$(date +%s)")" "$INSTANCE" "$1" "$2" > "$f"
  runctl_aws s3 cp --only-show-errors "$f" "s3://$BUCKET/${PREFIX}guard/$(basename "$f")" >> "$G/log" 2>&1
}
save() {
  for d in "$PROCS"/*/; do
    d="${d%/}"
    [ -f "$d/params" ] || continue
    name=$(basename "$d")
    ( . "$d/params"
      if [ -n "$WATCH" ] && [ -d "$WATCH" ]; then
        runctl_aws s3 sync --only-show-errors "$WATCH" "s3://$BUCKET/$CKPT"
      fi ) >> "$G/log" 2>&1
    [ -f "$d/log" ] && runctl_aws s3 cp --only-show-errors "$d/log" \
      "s3://$BUCKET/${PREFIX}guard/logs/$name.log" >> "$G/log" 2>&1
  done
}
end() {
  record "$1" "$2"
  save
  record terminated "$2"
  shutdown -h now >> "$G/log" 2>&1
  exit 0
}
while :; do
  now=$(date +%s)
  if [ "$MAX" -gt 0 ] && [ "$now" -ge $((LAUNCHED + MAX + GRACE)) ]; then
    end terminate "budget max_duration ${MAX}s since launch at $(stamp "$LAUNCHED") has passed"
  fi
  running=0
  ended=0
  last=""
  for d in "$PROCS"/*/; do
    d="${d%/}"
    [ -f "$d/started" ] || continue
    if [ -f "$d/exit_code" ]; then
      e=$(stat -c %Y "$d/exit_code")
      if [ "$e" -gt "$ended" ]; then ended=$e; last=$(basename "$d"); fi
    elif [ -f "$d/wrapper.pid" ] && kill -0 "$(cat "$d/wrapper.pid")" 2>/dev/null; then
      running=1
    elif [ -f "$d/pid" ] && kill -0 "$(cat "$d/pid")" 2>/dev/null; then
      running=1
    elif [ $((now - $(cat "$d/started"))) -lt 30 ]; then
      running=1
    fi
  done
  seen=$(stat -c %Y "$SEEN" 2>/dev/null || echo 0)
  if [ "$running" = 0 ] && [ "$ended" -gt 0 ] && [ "$now" -ge $((ended + IDLE)) ] \
    && [ "$now" -ge $((seen + IDLE)) ]; then
    end terminate "$last ended at $(stamp "$ended") and nobody collected it within ${IDLE}s"
  fi
  sleep "$EVERY"
done
