# "@@present" and at most MAX bytes of P, or "@@absent".
if [ -f "$P" ]; then echo "@@present"; head -c "$MAX" "$P"; else echo "@@absent"; fi
