# "@@present SIZE" and at most MAX bytes of P from byte FROM on (tail seeks; up to SIZE), or
# "@@absent".
if [ -f "$P" ]; then
  size=$(stat -c %s "$P" 2>/dev/null || echo 0)
  echo "@@present $size"
  n=$((size - FROM))
  if [ "$n" -gt "$MAX" ]; then n=$MAX; fi
  if [ "$n" -gt 0 ]; then tail -c +$((FROM + 1)) "$P" | head -c "$n"; fi
else
  echo "@@absent"
fi
