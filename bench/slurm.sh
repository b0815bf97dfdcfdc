#!/usr/bin/env bash
# Slurm benchmark: from `runctl apply` to the training's first output line (in the train step's
# log), next to a hand-written `sbatch` + poll loop (`until grep -q ... out; do sleep 1; done`) for
# the same script on the same cluster, alternating, in this one run; medians and their ratio.
# The target is a ratio of at most 1.2.
#   sudo bash bench/slurm.sh          # N=7, PAUSE=5 (seconds between measurements); starts a
#                                     # throwaway two-node cluster (as the tests do)
#   SLURM_CONF=/etc/slurm/slurm.conf bash bench/slurm.sh   # an existing cluster instead
# The throwaway cluster needs Debian's slurmctld, slurmd, slurm-client and munge, and root.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${N:-7}"
tmp="$(mktemp -d)"
chmod 755 "$tmp"
pids=()
munge_pid=
cleanup() {
  ((${#pids[@]})) && scancel --user="$(id -un)" 2>/dev/null || true # only on our own cluster
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [[ -n "$munge_pid" ]] && kill "$munge_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1])'; }

start_cluster() {
  local d="$tmp/cluster" host
  mkdir -p "$d/munge" "$d/state" "$d/spool" "$d/log"
  chmod 755 "$d" "$d/munge"
  chown munge:munge "$d/munge"
  su -s /bin/sh munge -c "/usr/sbin/mungekey -c -k $d/munge/munge.key"
  su -s /bin/sh munge -c "/usr/sbin/munged -S $d/munge/socket --key-file=$d/munge/munge.key \
    --log-file=$d/munge/log --pid-file=$d/munge/pid --seed-file=$d/munge/seed"
  munge_pid="$(cat "$d/munge/pid")"
  host="$(hostname -s)"
  cat >"$d/slurm.conf" <<CONF
ClusterName=bench
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$d/munge/socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool/%n
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd-%n.pid
SlurmctldLogFile=$d/log/slurmctld.log
SlurmdLogFile=$d/log/slurmd-%n.log
NodeName=n1 NodeHostname=$host NodeAddr=127.0.0.1 Port=$(free_port) CPUs=1 State=UNKNOWN
NodeName=n2 NodeHostname=$host NodeAddr=127.0.0.1 Port=$(free_port) CPUs=1 State=UNKNOWN
PartitionName=debug Nodes=n1,n2 Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$d/slurm.conf"
  /usr/sbin/slurmctld -D -f "$SLURM_CONF" >"$d/log/ctld.out" 2>&1 &
  pids+=($!)
  for node in n1 n2; do
    /usr/sbin/slurmd -D -N "$node" -f "$SLURM_CONF" >"$d/log/$node.out" 2>&1 &
    pids+=($!)
  done
  for _ in $(seq 1 300); do
    [[ "$(sinfo -h -N -o '%t' 2>/dev/null | grep -c idle)" == 2 ]] && return 0
    sleep 0.2
  done
  echo "bench/slurm.sh: the throwaway cluster did not come up; see $d/log" >&2
  exit 1
}

if [[ -z "${SLURM_CONF:-}" ]]; then start_cluster; fi

project="$tmp/project"
mkdir -p "$project/training"
echo 'print("first line", flush=True)' >"$project/training/first.py"
cat >"$project/job.yaml" <<YAML
version: 1
name: first
target: {provider: slurm, workdir: $tmp/shared/first}
steps:
  - {id: provision, uses: provision}
  - {id: sync, uses: sync, with: {exclude: ["state/"]}}
  - {id: train, uses: train, with: {script: training/first.py}}
YAML
cat >"$tmp/hand.sh" <<'SH'
#!/bin/bash
python3 first.py
SH
cp "$project/training/first.py" "$tmp/first.py"

# Build and warm up first (not timed), and make sure it works: timing a failure is no use.
if ! (cd "$project" && "$root/runctl" --state-dir "$tmp/state" apply job.yaml) >"$tmp/warm.out" 2>&1; then
  cat "$tmp/warm.out" >&2
  echo "bench/slurm.sh: runctl apply failed; fix that first" >&2
  exit 1
fi

now_us() { date +%s%6N; }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%d", m}'; }

# runctl: from the start of apply until the first line is in the train step's log.
runctl_once() {
  local start log=
  start="$(now_us)"
  (cd "$project" && "$root/runctl" --state-dir "$tmp/state" apply job.yaml >"$tmp/apply.out" 2>&1) &
  local apply=$!
  while :; do
    if [[ -z "$log" ]]; then
      log="$(ls -t "$tmp"/state/runs/*/logs/train.log 2>/dev/null | head -n 1)"
      [[ -n "$log" && "$log" -ot "$tmp/mark" ]] && log=
    fi
    [[ -n "$log" ]] && grep -q 'first line' "$log" && break
    sleep 0.01
  done
  echo $(($(now_us) - start))
  wait "$apply"
}

# by hand: sbatch, then look at the output file once a second until the line is there.
hand_once() {
  local start out="$tmp/hand-$1.out"
  start="$(now_us)"
  (cd "$tmp" && sbatch --parsable --output="$out" --open-mode=append hand.sh >/dev/null)
  until grep -q 'first line' "$out" 2>/dev/null; do sleep 1; done
  echo $(($(now_us) - start))
}

: >"$tmp/runctl.txt"
: >"$tmp/hand.txt"
# A pause before each measurement: a node that has just run a job is scheduled again only
# seconds later, and both sides should find the cluster the same way.
pause="${PAUSE:-5}"
for ((i = 0; i < n; i++)); do
  sleep "$pause"
  touch "$tmp/mark"
  sleep 0.01
  runctl_once >>"$tmp/runctl.txt"
  sleep "$pause"
  hand_once "$i" >>"$tmp/hand.txt"
done
r="$(median <"$tmp/runctl.txt")"
h="$(median <"$tmp/hand.txt")"
awk -v r="$r" -v h="$h" -v n="$n" 'BEGIN {
  printf "sbatch + poll loop (1 s)   %.3f s to the first line (median of %d)\n", h / 1e6, n
  printf "runctl apply               %.3f s to the first line in the step log (median of %d)\n", r / 1e6, n
  printf "ratio                      %.2fx (target: at most 1.2x)\n", r / h
}'
