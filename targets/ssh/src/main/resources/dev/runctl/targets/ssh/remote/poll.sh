# One look at a detached process: "@@state STATE CODE SIZE SIG", then its log from OFF (at most MAX).
set -u
alive() { [ -f "$1" ] && read -r p st < "$1" && [ -n "$p" ] && [ "$(cut -d' ' -f22 "/proc/$p/stat" 2>/dev/null)" = "$st" ]; }
if [ -f "$D/exit_code" ]; then
  state="EXITED $(cat "$D/exit_code")"
elif alive "$D/wrapper.pid"; then
  state="RUNNING -"
elif [ -f "$D/started" ] && [ ! -f "$D/wrapper.pid" ] && [ $(( $(date +%s) - $(cat "$D/started") )) -lt 10 ]; then
  state="RUNNING -"
elif [ -d "$D" ]; then
  state="LOST -"
else
  state="GONE -"
fi
size=$(stat -c %s "$D/log" 2>/dev/null || echo 0)
sig=-
if [ -n "$WATCH" ] && [ -d "$WATCH" ]; then
  sig=$(find "$WATCH" -type f -printf '%P %s %T@\n' 2>/dev/null | sort | cksum | tr ' ' '-')
fi
echo "@@state $state $size $sig"
if [ -f "$D/log" ] && [ "$size" -gt "$OFF" ]; then
  tail -c +$((OFF + 1)) "$D/log" | head -c "$MAX"
fi
