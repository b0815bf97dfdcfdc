# What of the run is alive on the host: its processes (name pid heartbeat-age) and its workdir.
alive() { [ -f "$1" ] && read -r p st < "$1" && [ -n "$p" ] && [ "$(cut -d' ' -f22 "/proc/$p/stat" 2>/dev/null)" = "$st" ]; }
now=$(date +%s)
for d in "$R"/procs/*/; do
  [ -d "$d" ] || continue
  d=${d%/}
  case "$d" in *.prev) continue ;; esac
  if [ ! -f "$d/exit_code" ] && alive "$d/wrapper.pid"; then
    hb=$(cat "$d/heartbeat" 2>/dev/null || echo "$now")
    echo "@@proc $(basename "$d") $(cat "$d/pid" 2>/dev/null) $((now - hb))"
  fi
done
[ -n "$OWNED" ] && [ -d "$W" ] && echo "@@workdir"
echo "@@done"
