# The second half of a sync. Stdin: the copies (src, dst, mode, mtime; NUL-separated), the paths to
# delete, the folders those deletions may leave empty (deepest first), the new manifest, then a tar
# of (a part of) the files the host lacks. NX more streams unpack the other parts meanwhile; the
# manifest is written once they are all done.
set -u
mkdir -p "$W" "$M" || exit 70
cd "$W" || exit 70
head -c "$NC" > "$M/copies"
head -c "$ND" > "$M/deletes"
head -c "$NR" > "$M/rmdirs"
head -c "$NM" > "$M/manifest.new"
rm -f "$M/manifest.sha"
while IFS= read -r -d '' src && IFS= read -r -d '' dst && IFS= read -r -d '' mode && IFS= read -r -d '' mt; do
  mkdir -p -- "$(dirname -- "./$dst")" && cp -- "./$src" "./$dst.runctl-copy" \
    && chmod "$mode" "./$dst.runctl-copy" && touch -m -d "@$mt" "./$dst.runctl-copy" || exit 71
done < "$M/copies"
[ -s "$M/deletes" ] && xargs -0 rm -f -- < "$M/deletes"
[ -s "$M/rmdirs" ] && xargs -0 rmdir -- < "$M/rmdirs" 2> /dev/null
tar -x -p --no-same-owner -f - || exit 72
while IFS= read -r -d '' src && IFS= read -r -d '' dst && IFS= read -r -d '' mode && IFS= read -r -d '' mt; do
  mv -f -- "./$dst.runctl-copy" "./$dst" || exit 71
done < "$M/copies"
if [ "$NX" -gt 0 ]; then
  while :; do
    [ -e "$M/done.$NONCE.fail" ] && { rm -f "$M/done.$NONCE".*; exit 73; }
    [ "$(ls "$M" | grep -c "^done\.$NONCE\.[0-9]")" -ge "$NX" ] && break
    sleep 0.05
  done
  rm -f "$M/done.$NONCE".*
fi
mv -f "$M/manifest.new" "$M/manifest"
printf '%s' "$SHA" > "$M/manifest.sha"
printf '%s\n' "$REQ" | while IFS= read -r p; do
  [ -z "$p" ] && continue
  [ -e "$W/$p" ] || printf '@@missing %s\n' "$p"
done
echo "@@synced"
