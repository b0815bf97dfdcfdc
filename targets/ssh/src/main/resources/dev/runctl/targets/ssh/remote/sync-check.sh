# The first half of a sync: "@@same" when the workdir holds the manifest SHA (then the required
# paths that are missing), else "@@differs" and the manifest the host holds.
set -u
missing() {
  printf '%s\n' "$REQ" | while IFS= read -r p; do
    [ -z "$p" ] && continue
    [ -e "$W/$p" ] || printf '@@missing %s\n' "$p"
  done
}
if [ -d "$W" ] && [ -f "$M/manifest.sha" ] && [ "$(cat "$M/manifest.sha")" = "$SHA" ]; then
  echo "@@same"
  missing
  exit 0
fi
echo "@@differs"
if [ -d "$W" ] && [ -f "$M/manifest" ]; then cat "$M/manifest"; fi
