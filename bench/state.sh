#!/usr/bin/env bash
# Bench: the shared state's cost to a run. The 1,000-step DAG of bench/dag.sh (`run` steps, each
# printing its id, so that each has a log to ship; --parallelism 2), once with the local state folder only and once with
# `state: {backend: s3}` against moto_server on this machine, interleaved, three rounds.
#   bench/state.sh            # 1,000 steps
#   STEPS=2000 bench/state.sh
# Figures: the run's own duration from its journal (run_started -> run_ended) each way and their
# ratio (target <= 1.3x); how long after run_ended the s3 run's runctl exited, by which time the
# bucket must hold the whole journal (checked, byte for byte, against the local one); the objects
# the run left in the bucket. Needs python3 with moto[server] and boto3 (as the aws tests do).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="$root/bench/out/state"
steps="${STEPS:-1000}"
width="${WIDTH:-20}"
rm -rf "$out"
mkdir -p "$out"
py="${RUNCTL_MOTO_PYTHON:-python3}"

port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$py" -m moto.server -H 127.0.0.1 -p "$port" >"$out/moto.log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null || true' EXIT
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=testing \
  AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
unset AWS_PROFILE
for _ in $(seq 1 100); do
  curl -s -o /dev/null "$AWS_ENDPOINT_URL" && break
  sleep 0.1
done

"$py" - "$steps" "$width" "$out" <<'PY'
import random, sys, boto3
n, width, d = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
boto3.client("s3").create_bucket(Bucket="runctl-bench")
rnd = random.Random(7)
ids = [f"s{i:05d}" for i in range(n)]
needs = []
for i in range(n):
    layer = i // width
    prev = range((layer - 1) * width, min(layer * width, n))
    needs.append([] if layer == 0 else sorted({ids[rnd.choice(prev)], ids[rnd.choice(prev)]}))
for name, state in (("local", ""), ("s3", "state: {backend: s3, bucket: runctl-bench, prefix: bench}\n")):
    with open(f"{d}/{name}.yaml", "w") as y:
        y.write(f"version: 1\nname: dag{n}\n{state}steps:\n")
        for i, sid in enumerate(ids):
            y.write(f"  - id: {sid}\n    uses: run\n    needs: [{', '.join(needs[i])}]\n"
                    f"    with: {{command: [echo, {sid}]}}\n")
PY

now() { date +%s.%N; }

# run_times KIND: "RUN EXIT" seconds: the run's own duration from its journal, and the time
# from its run_ended record to the end of the runctl process.
run_times() {
  local kind="$1" d="$out/$1"
  rm -rf "$d"
  mkdir -p "$d"
  (cd "$out" && "$root/runctl" --state-dir "$d/state" apply "$kind.yaml" --parallelism 2 \
    >"$d/apply.out" 2>"$d/apply.err") || {
    echo "runctl apply ($kind) failed; see $d/apply.out and $d/apply.err" >&2
    exit 1
  }
  local exited
  exited=$(now)
  "$py" - "$d"/state/runs/*/journal.jsonl "$exited" "$kind" <<'PY'
import boto3, datetime, json, sys
path, exited, kind = sys.argv[1], float(sys.argv[2]), sys.argv[3]
data = open(path, "rb").read()
lines = data.decode().splitlines()
first, last = json.loads(lines[0]), json.loads(lines[-1])
assert first["type"] == "run_started" and last["type"] == "run_ended", "journal incomplete"
def at(r):
    main, _, frac = r["at"].rstrip("Z").partition(".")
    t = datetime.datetime.fromisoformat(main).replace(tzinfo=datetime.timezone.utc).timestamp()
    return t + float("0." + (frac or "0"))
if kind == "s3":
    s3 = boto3.client("s3")
    run = path.split("/")[-2]
    keys = [o["Key"] for p in s3.get_paginator("list_objects_v2").paginate(
        Bucket="runctl-bench", Prefix=f"bench/runs/{run}/") for o in p.get("Contents", [])]
    journal = b"".join(s3.get_object(Bucket="runctl-bench", Key=k)["Body"].read()
                       for k in sorted(keys) if "/journal/" in k)
    assert journal == data, f"the bucket's journal ({len(journal)} B) is not the run's ({len(data)} B)"
    print(f"{at(last) - at(first):.4f} {exited - at(last):.4f} {len(keys)}")
else:
    print(f"{at(last) - at(first):.4f} {exited - at(last):.4f} 0")
PY
}

medians() {
  python3 -c '
import sys
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
print(" ".join(f"{sorted(c)[len(c) // 2]:.4f}" for c in zip(*rows)))'
}

"$root/runctl" --version >/dev/null # builds the jars and the AppCDS archive when stale

read -r lr le _ sr se so < <(for _ in 1 2 3; do
  echo "$(run_times local) $(run_times s3)"
done | medians)
printf '%d-step DAG, medians of 3 interleaved rounds (load average %s):\n' "$steps" \
  "$(cut -d' ' -f1 /proc/loadavg)"
printf '  run itself, local state:          %6.2f s\n' "$lr"
printf '  run itself, s3 state (moto):      %6.2f s  %5.2f x local  (target <= 1.3x)\n' \
  "$sr" "$(echo "$sr / $lr" | bc -l)"
printf '  run_ended -> runctl exited, s3:   %6.2f s  (the whole journal in the bucket by then; local: %.2f s)\n' \
  "$se" "$le"
printf '  objects in the bucket per run:    %6.0f\n' "$so"
