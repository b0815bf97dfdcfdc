# Puts at most MAX bytes of P from byte FROM on (tail seeks; up to the size seen) into $OUT and
# prints "@@size SIZE"; prints nothing of the kind when P is not a file.
if [ -f "$P" ]; then
  size=$(stat -c %s "$P" 2>/dev/null || echo 0)
  echo "@@size $size"
  n=$((size - FROM))
  if [ "$n" -gt "$MAX" ]; then n=$MAX; fi
  if [ "$n" -gt 0 ]; then tail -c +$((FROM + 1)) "$P" | head -c "$n" > "$OUT"; fi
fi
runctl_emit
