#!/bin/bash
# runctl's batch script. $1 is the job's folder, which holds:
#   argv  the training command, NUL-separated (never word-split by a shell)
#   env   its environment, NUL-separated NAME=value (mode 600: secrets live here, never in argv)
# It starts one task per node (with srun when there are several), each with the distributed-training
# environment, forwards SIGUSR1 (sent before the time limit: checkpoint now) and SIGTERM to them,
# and records the exit code as "<job id> <restart count> <code>" in $1/exit.
# With "held" as $2 it runs detached on the login node instead (hold_allocation: true): it starts
# the training as a step of the held allocation ($RUNCTL_ALLOCATION, from the env file) with srun,
# from the workdir, and records the allocation's id with the code.
jobdir=$1
if [[ ${2:-} == held ]]; then
  exec >>"$jobdir/out" 2>&1 </dev/null # as sbatch --output --open-mode=append does
  cd "$jobdir/../../.." || exit 1
fi
while IFS= read -r -d '' kv; do export "$kv"; done <"$jobdir/env"
mapfile -d '' -t argv <"$jobdir/argv"

if [[ -n ${RUNCTL_ALLOCATION:-} ]]; then
  export SLURM_JOB_ID=$RUNCTL_ALLOCATION
  nodes=$RUNCTL_ALLOCATION_NODES
  nodelist=$(scontrol show job -o "$RUNCTL_ALLOCATION" | tr ' ' '\n' | sed -n 's/^NodeList=//p')
else
  nodes=${SLURM_JOB_NUM_NODES:-1}
  nodelist=$SLURM_JOB_NODELIST
fi
if ((nodes > 1)); then
  first=$(scontrol show hostnames "$nodelist" | head -n 1)
  addr=$(scontrol show node "$first" 2>/dev/null | tr ' ' '\n' | sed -n 's/^NodeAddr=//p' | head -n 1)
  export MASTER_ADDR=${MASTER_ADDR:-${addr:-$first}}
else
  export MASTER_ADDR=${MASTER_ADDR:-127.0.0.1}
fi
export MASTER_PORT=${MASTER_PORT:-$((20000 + SLURM_JOB_ID % 20000))}
export WORLD_SIZE=$nodes RUNCTL_NODES=$nodes
export SLURM_EXPORT_ENV=ALL # the job steps get this environment

label=()
if ((nodes > 1)); then label=(--label); fi
# shellcheck disable=SC2016
task='export NODE_RANK=${SLURM_NODEID:-0} RANK=${SLURM_PROCID:-0} LOCAL_RANK=${SLURM_LOCALID:-0}
if [ "$RUNCTL_LAUNCHER" = torchrun ]; then
  exec "$1" -m torch.distributed.run --nnodes="$RUNCTL_NODES" \
    --nproc_per_node="${RUNCTL_PROCS_PER_NODE:-1}" --node_rank="$SLURM_NODEID" \
    --master_addr="$MASTER_ADDR" --master_port="$MASTER_PORT" "${@:2}"
fi
exec "$@"'

# With secrets ($1/mask, NUL-separated, mode 600) the output passes through a filter that writes
# *** for each of them before it reaches the output file. Appended (>>), never truncated: the
# output file is shared by every segment and requeue of the job, and runctl reads it by offset.
out=/dev/stdout
filter=
if [[ -s "$jobdir/mask" ]]; then
  mapfile -d '' -t secrets <"$jobdir/mask"
  out="$jobdir/fifo.$SLURM_JOB_ID.${SLURM_RESTART_COUNT:-0}"
  rm -f "$out"
  mkfifo -m 600 "$out"
  (
    while IFS= read -r line || [[ -n "$line" ]]; do
      for s in "${secrets[@]}"; do line=${line//"$s"/***}; done
      printf '%s\n' "$line"
    done <"$out"
  ) &
  filter=$!
fi
if [[ -n ${RUNCTL_ALLOCATION:-} ]]; then # a step of the held allocation, on its nodes
  srun --jobid="$RUNCTL_ALLOCATION" --overlap --job-name="$RUNCTL_STEP_NAME" --nodes="$nodes" \
    --ntasks="$nodes" --ntasks-per-node=1 --kill-on-bad-exit=1 "${label[@]}" \
    /bin/bash -c "$task" runctl-task "${argv[@]}" >>"$out" 2>&1 &
elif ((nodes > 1)); then
  srun --nodes="$nodes" --ntasks="$nodes" --ntasks-per-node=1 --kill-on-bad-exit=1 "${label[@]}" \
    /bin/bash -c "$task" runctl-task "${argv[@]}" >>"$out" 2>&1 &
elif [[ "$RUNCTL_LAUNCHER" == torchrun ]]; then # one node: the batch step itself runs it
  /bin/bash -c "$task" runctl-task "${argv[@]}" >>"$out" 2>&1 &
else # one node, the command itself: no job step (its launch time), no second shell
  export NODE_RANK=0 RANK=0 LOCAL_RANK=0
  "${argv[@]}" >>"$out" 2>&1 &
fi
child=$!
trap 'kill -USR1 "$child" 2>/dev/null' USR1
trap 'kill -TERM "$child" 2>/dev/null' TERM
while kill -0 "$child" 2>/dev/null; do wait "$child"; done # a trapped signal ends a wait early
wait "$child" # bash keeps the status of its children: the code srun ended with
code=$?
if [[ -n "$filter" ]]; then
  while kill -0 "$filter" 2>/dev/null; do wait "$filter"; done
  rm -f "$out"
fi
printf '%s %s %s\n' "$SLURM_JOB_ID" "${SLURM_RESTART_COUNT:-0}" "$code" >"$jobdir/exit.tmp" &&
  mv -f "$jobdir/exit.tmp" "$jobdir/exit"
exit "$code"
