# Puts a training's watched folder back from the bucket on a machine provision has just made (or
# found): WATCH the folder, CKPT its prefix. A folder with content is left as it is.
set -u
if [ -d "$WATCH" ] && [ -n "$(ls -A "$WATCH" 2>/dev/null)" ]; then
  echo "@@present"
  exit 0
fi
mkdir -p "$WATCH" || exit 90
runctl_aws s3 sync --only-show-errors "s3://$BUCKET/$CKPT" "$WATCH" || { echo "cannot restore $WATCH from s3://$BUCKET/$CKPT" >&2; exit 92; }
echo "@@restored $(find "$WATCH" -type f | wc -l)"
