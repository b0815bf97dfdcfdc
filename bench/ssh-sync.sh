#!/usr/bin/env bash
# The ssh target's sync against `rsync -a -e ssh`, side by side, to the same local sshd, on the
# generated tree of 10,000 files (~80 MB, bench/tree.sh).
#
#   bench/ssh-sync.sh            # 3 rounds (medians), everything under bench/out/ssh-sync
#   ROUNDS=5 bench/ssh-sync.sh
#
# What is measured:
# - A private sshd on 127.0.0.1 (generated host and user keys; sessions get HOME=<out>/home), run
#   by this script and stopped at its end. Both tools use the same client config (ssh -F).
# - rsync: wall time of `rsync -a -e "ssh -F cfg" tree/ box:<new folder>/` (first sync: its own
#   connection and all 80 MB), then the same again with nothing changed (unchanged re-sync).
# - runctl: the sync step's own duration from the run's journal (attempt_started to attempt_ended;
#   no JVM start, and the ssh connection was opened by the provision step before it), in one run
#   of provision, `first` (into a new, empty workdir on the host), `flush` (`sync` there) and
#   `again` (nothing changed). The first sync runs with a cold hash cache (the state folder's
#   cache is deleted before each round), so runctl reads and hashes all 80 MB, as rsync reads it.
# - The host is this machine: each round writes into new folders under the sessions' HOME (sshd
#   starts sessions in the passwd home, so every path given to the host is absolute); all of it is
#   deleted at the end.
# Targets (the ssh target's issue): first sync <= 1x rsync, unchanged re-sync <= 0.5x rsync.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${OUT:-$root/bench/out/ssh-sync}"
rounds="${ROUNDS:-3}"
tree="${TREE:-$root/bench/out/sync/tree}"
state="$out/state"
sshd_dir="$out/sshd"
home="$out/home"

for tool in rsync python3 ssh ssh-keygen; do
  command -v "$tool" >/dev/null || { echo "bench/ssh-sync.sh needs $tool (apt-get install openssh-client rsync python3)" >&2; exit 2; }
done
[[ -x /usr/sbin/sshd ]] || { echo "bench/ssh-sync.sh needs /usr/sbin/sshd (apt-get install openssh-server)" >&2; exit 2; }

mkdir -p "$out"
. "$root/bench/tree.sh"
make_tree "$tree"

# --- the sshd ---
rm -rf "$sshd_dir" "$home"
mkdir -p "$sshd_dir" "$home" /run/sshd 2>/dev/null || mkdir -p "$sshd_dir" "$home"
ssh-keygen -q -t ed25519 -N '' -f "$sshd_dir/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$sshd_dir/user_key"
cp "$sshd_dir/user_key.pub" "$sshd_dir/authorized_keys"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$sshd_dir/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $sshd_dir/host_key
AuthorizedKeysFile $sshd_dir/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
PidFile none
SetEnv HOME=$home
CONF
echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$sshd_dir/host_key.pub")" > "$sshd_dir/known_hosts"
cfg="$sshd_dir/ssh_config"
cat > "$cfg" <<CONF
Host box
  HostName 127.0.0.1
  Port $port
  User $(id -un)
  IdentityFile $sshd_dir/user_key
  IdentitiesOnly yes
  UserKnownHostsFile $sshd_dir/known_hosts
  StrictHostKeyChecking yes
  LogLevel ERROR
CONF
/usr/sbin/sshd -D -e -f "$sshd_dir/sshd_config" 2> "$sshd_dir/sshd.log" &
sshd_pid=$!
trap 'kill "$sshd_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do ssh -F "$cfg" -o BatchMode=yes box true 2>/dev/null && break; sleep 0.1; done
ssh -F "$cfg" -o BatchMode=yes box true

runctl="$root/runctl"
"$runctl" --version >/dev/null   # builds the CLI when needed, outside the measurements

now() { python3 -c 'import time; print(time.perf_counter())'; }
elapsed() { python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 4))" "$1" "$2"; }

rsync_first=(); rsync_again=(); runctl_first=(); runctl_again=()
measure_rsync() {
  local dest="$home/rsync-$1" t0 t1
  sync
  t0=$(now); rsync -a -e "ssh -F $cfg" --exclude .complete "$tree/" "box:$dest/"; t1=$(now)
  rsync_first+=("$(elapsed "$t0" "$t1")")
  sync
  t0=$(now); rsync -a -e "ssh -F $cfg" --exclude .complete "$tree/" "box:$dest/"; t1=$(now)
  rsync_again+=("$(elapsed "$t0" "$t1")")
}

measure_runctl() {
  local spec="$out/ssh-sync-$1.yaml" run_out
  cat > "$spec" <<YAML
version: 1
name: ssh-sync-bench
workdir: $tree
target: {provider: ssh, host: box, ssh_config: $cfg, workdir: runctl-$1}
steps:
  - {id: provision, uses: provision}
  - {id: first, uses: sync, with: {exclude: [".complete"]}}
  - {id: flush, uses: run, with: {command: ["sync"]}}
  - {id: again, uses: sync, with: {exclude: [".complete"]}}
YAML
  rm -rf "$state/cache"; sync
  run_out=$("$runctl" --state-dir "$state" apply "$spec")
  run_id=$(printf '%s\n' "$run_out" | head -1 | sed 's/^run //')
  read -r f a < <(python3 - "$state/runs/$run_id/journal.jsonl" <<'PY'
import json, sys
from datetime import datetime
starts, ends = {}, {}
def t(s):
    return datetime.fromisoformat(s[:26].rstrip("Z"))
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("type") == "attempt_started":
        starts[r["step"]] = t(r["at"])
    elif r.get("type") == "attempt_ended":
        if r.get("outcome") != "succeeded":
            sys.exit("step %s did not succeed: %s" % (r["step"], r.get("message")))
        ends[r["step"]] = t(r["at"])
print(*[round((ends[s] - starts[s]).total_seconds(), 4) for s in ("first", "again")])
PY
)
  runctl_first+=("$f"); runctl_again+=("$a")
}

for ((i = 1; i <= rounds; i++)); do
  if ((i % 2)); then measure_rsync "$i"; measure_runctl "$i"; else measure_runctl "$i"; measure_rsync "$i"; fi
  echo "round $i: rsync -a -e ssh ${rsync_first[-1]} / ${rsync_again[-1]} s;" \
       "runctl ssh sync step $f / $a s (run $run_id)" >&2
done

python3 - "$rounds" "${rsync_first[*]}" "${rsync_again[*]}" "${runctl_first[*]}" "${runctl_again[*]}" <<'PY'
import statistics, sys
rounds = sys.argv[1]
med = [statistics.median(list(map(float, a.split()))) for a in sys.argv[2:]]
rows = [("first sync", med[0], med[2], 1.0), ("unchanged re-sync", med[1], med[3], 0.5)]
print("ssh sync of 10,000 files (~80 MB) to a local sshd, medians of %s rounds" % rounds)
print("%-20s %14s %14s %8s %8s" % ("", "rsync -e ssh", "runctl (ssh)", "ratio", "target"))
for name, r, s, target in rows:
    ratio = s / r if r > 0 else float("inf")
    print("%-20s %13.3fs %13.3fs %7.2fx <= %.1fx %s" % (name, r, s, ratio, target, "ok" if ratio <= target else "MISSED"))
PY

rm -rf "$home" "$state/runs"
