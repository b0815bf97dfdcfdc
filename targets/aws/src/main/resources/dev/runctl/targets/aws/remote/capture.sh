# Runs the body with $OUT naming a scratch file; prints OUT's bytes inline (base64) when they fit in
# SSM's 24,000-character output, else copies them to the bucket and prints the key.
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
runctl_emit() {
  n=$(wc -c < "$OUT")
  if [ "$n" -le 15000 ]; then
    echo "@@inline"
    base64 < "$OUT"
  else
    runctl_aws s3 cp --only-show-errors "$OUT" "s3://$RUNCTL_BUCKET/$RUNCTL_SPILL_KEY" || exit 97
    echo "@@s3 $RUNCTL_SPILL_KEY"
  fi
}
