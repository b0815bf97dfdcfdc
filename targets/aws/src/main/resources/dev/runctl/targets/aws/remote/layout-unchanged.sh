# The common re-sync: the workdir already holds this manifest and every required path exists.
# Answers without starting Python; anything else (and a pull that checks the instance's access to
# the bucket) falls through to layout.py.
if [ -z "$RUNCTL_ACCESS_KEY" ] && [ -f "$RUNCTL_STATE/manifest.sha" ] && [ "$(cat "$RUNCTL_STATE/manifest.sha")" = "$RUNCTL_MANIFEST_SHA" ]; then
  all=yes
  while IFS= read -r p; do
    [ -z "$p" ] && continue
    [ -e "$RUNCTL_WORK/$p" ] || all=no
  done <<RUNCTL_REQUIRED_EOF
$RUNCTL_REQUIRED_LINES
RUNCTL_REQUIRED_EOF
  if [ "$all" = yes ]; then
    echo '@@result {"written": 0, "deleted": 0, "fetched": 0, "unchanged": true, "missing": [], "missing_blobs": []}'
    exit 0
  fi
fi
