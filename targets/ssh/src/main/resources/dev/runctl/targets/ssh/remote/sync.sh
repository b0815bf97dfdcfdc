# The second half of a sync. Stdin: the copies (src, dst, mode, mtime; NUL-separated), the paths to
# delete (NUL-separated), the new manifest, then a tar of the files the host lacks.
set -u
mkdir -p "$W" "$M" || exit 70
cd "$W" || exit 70
head -c "$NC" > "$M/copies"
head -c "$ND" > "$M/deletes"
head -c "$NM" > "$M/manifest.new"
rm -f "$M/manifest.sha"
while IFS= read -r -d '' src && IFS= read -r -d '' dst && IFS= read -r -d '' mode && IFS= read -r -d '' mt; do
  mkdir -p -- "$(dirname -- "./$dst")" && cp -- "./$src" "./$dst.runctl-copy" \
    && chmod "$mode" "./$dst.runctl-copy" && touch -m -d "@$mt" "./$dst.runctl-copy" || exit 71
done < "$M/copies"
if [ -s "$M/deletes" ]; then
  xargs -0 rm -f -- < "$M/deletes"
  xargs -0 dirname -- < "$M/deletes" | sort -u | while IFS= read -r d; do
    [ "$d" != . ] && rmdir -p -- "$d" 2> /dev/null
  done
fi
tar -x -p --no-same-owner -f - || exit 72
while IFS= read -r -d '' src && IFS= read -r -d '' dst && IFS= read -r -d '' mode && IFS= read -r -d '' mt; do
  mv -f -- "./$dst.runctl-copy" "./$dst" || exit 71
done < "$M/copies"
mv -f "$M/manifest.new" "$M/manifest"
printf '%s' "$SHA" > "$M/manifest.sha"
printf '%s\n' "$REQ" | while IFS= read -r p; do
  [ -z "$p" ] && continue
  [ -e "$W/$p" ] || printf '@@missing %s\n' "$p"
done
echo "@@synced"
