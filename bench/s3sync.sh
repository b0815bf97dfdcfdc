#!/usr/bin/env bash
# Bench: an unchanged re-sync to S3 through runctl next to `aws s3 sync`, same 2,000-file tree
# (10 KiB files), both against the same moto_server (the patched one of the aws target's tests).
#   bench/s3sync.sh             # 2,000 files of 10 KiB
#   FILES=500 bench/s3sync.sh   # another size
#   RUNS=5 bench/s3sync.sh      # rounds (default 3): medians of the first syncs, sides interleaved
#   RUNCTL=/other/build/runctl bench/s3sync.sh   # another build of runctl (a before/after pair)
# runctl: a run with provision, sync, sync again (nothing changed), teardown, applied with the aws
# target; each sync's figure is the step's own duration as the run's journal records it
# (attempt_started to attempt_ended): hashing (with the manifest cache), the S3 side, and the one
# SSM command that checks the instance's workdir. aws: `aws s3 sync` wall time, first and then
# unchanged (median of 3). The ratios printed are runctl's unchanged re-sync over aws's (target
# at most 0.25), and runctl's first upload over aws's first sync (target at most 1.0).
# A first sync is split into runctl's upload and the instance's pull from the bucket, which aws s3
# sync does not do. The upload is the sync.upload step, from its attempt's start to its last
# "uploaded" line: hashing every file (cold cache), the bucket's check and one listing, and the
# PUTs; it runs beside provision, whose calls share moto with it. aws s3 sync's figure is its whole
# command: Python's start, one listing, the PUTs (10 threads). runctl's JVM start is not in its
# figure: the run pays it once, before any step. moto serves a few hundred requests a second on
# two cores, for either side; it is the floor of both figures.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="$root/bench/out/s3sync"
files="${FILES:-2000}"
runs="${RUNS:-3}"
python="${RUNCTL_MOTO_PYTHON:-python3}"
command -v aws >/dev/null || { echo "bench/s3sync.sh needs the aws CLI (pip install awscli)" >&2; exit 2; }
"$python" -c 'import moto, werkzeug' 2>/dev/null || { echo "bench/s3sync.sh needs python moto (pip install 'moto[server]')" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out/tree"

# The tree: FILES files of 10 KiB of random bytes, 50 per folder.
"$python" - "$out/tree" "$files" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, "d%03d" % (i // 50))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%05d.bin" % i), "wb") as f:
        f.write(os.urandom(10 * 1024))
PY

port=$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$python" "$root/targets/aws/src/test/python/runctl_moto.py" --port "$port" --sandbox "$out/sandbox" >"$out/moto.log" 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true' EXIT
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
unset AWS_PROFILE
for _ in $(seq 1 100); do
  curl -sf "$AWS_ENDPOINT_URL/runctl-moto/stats" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf -X POST -d '{"instance_profile": "runctl-ssm"}' "$AWS_ENDPOINT_URL/runctl-moto/setup" >/dev/null
# moto imports a service's backend (and EC2 its catalogue of images) on the first request to it:
# done here, so that neither side's figure carries it (runctl's upload runs beside provision).
aws ec2 describe-instances >/dev/null
aws ssm get-parameter --name /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64 >/dev/null

now() { "$python" -c 'import time; print(time.perf_counter())'; }

# The wall time of one `aws s3 sync` of the tree to bucket $1, in seconds.
aws_sync() {
  local t0 t1
  t0=$(now)
  aws s3 sync --only-show-errors "$out/tree" "s3://$1/tree" || exit 1 # in $( ): set -e is off
  t1=$(now)
  "$python" -c "print(round($t1 - $t0, 3))"
}

# One round: aws s3 sync's first sync to a bucket of its own, then a runctl run (provision, sync,
# sync again, teardown) with a bucket and state folder of its own; the figures are the rounds'
# medians, the two sides taking turns so that both see the same load.
runctl_round() {
  local r=$1 bucket="bench-runctl-$1" state="$out/state-$1"
  aws s3 mb "s3://$bucket" >/dev/null
  cat >"$out/job-$r.yaml" <<YAML
version: 1
name: s3sync-bench
workdir: tree
target:
  provider: aws
  region: us-east-1
  instance_type: t3.medium
  image: {ssm_parameter: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64}
  iam_instance_profile: runctl-ssm
  bucket: $bucket
steps:
  - id: provision
    uses: provision
  - id: sync
    uses: sync
  - id: resync
    uses: sync
  - id: teardown
    uses: teardown
    when: always
YAML
  (cd "$out" && "${RUNCTL:-$root/runctl}" --state-dir "$state" apply "job-$r.yaml" >"$out/apply-$r.out" 2>"$out/apply-$r.err") || {
    echo "runctl apply failed; see $out/apply-$r.out and $out/apply-$r.err" >&2
    exit 1
  }
  local run_id
  run_id=$(head -1 "$out/apply-$r.out" | sed 's/^run //')
  # The first sync moves the data twice: up to the bucket, then down to the instance (one SSM
  # command). Its upload part: the sync.upload step the planner puts beside provision (the
  # attempt's start to its last "uploaded" line); a build without it uploads inside the sync step.
  local log="$state/runs/$run_id/logs/sync.upload.log" ahead=1
  [[ -f "$log" ]] || { log="$state/runs/$run_id/logs/sync.log"; ahead=0; }
  "$python" - "$state/runs/$run_id/journal.jsonl" "$log" "$ahead" <<'PY'
import json, re, sys
from datetime import datetime
start, took = {}, {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    at = datetime.fromisoformat(r["at"].replace("Z", "+00:00"))
    if r["type"] == "attempt_started":
        start[r["step"]] = at
    elif r["type"] == "attempt_ended" and r["step"] in start:
        took[r["step"]] = (at - start[r["step"]]).total_seconds()
stamps = [(datetime.fromisoformat(m.group(1).replace("Z", "+00:00")), m.group(2))
          for m in (re.match(r"\[([^\]]+)\] (.*)", l) for l in open(sys.argv[2])) if m]
ups = [t for t, text in stamps if re.match(r"uploaded [0-9]+/", text)]
upload = (ups[-1] - stamps[0][0]).total_seconds() if ups else 0
print(round(took["sync"], 3), round(took["resync"], 3), round(upload, 3), sys.argv[3])
PY
}

firsts=() agains=() uploads=() aws_firsts=()
for r in $(seq 1 "$runs"); do
  aws s3 mb "s3://bench-awscli-$r" >/dev/null
  aws_firsts+=("$(aws_sync "bench-awscli-$r")")
  res=$(runctl_round "$r")
  read -r first again upload ahead <<<"$res"
  firsts+=("$first") agains+=("$again") uploads+=("$upload")
  echo "round $r: aws s3 sync ${aws_firsts[-1]}s, runctl upload ${upload}s (load $(cut -d' ' -f1 /proc/loadavg))" >&2
done
# aws s3 sync, unchanged: three re-syncs of the first round's bucket.
aws_again=()
for _ in 1 2 3; do
  aws_again+=("$(aws_sync bench-awscli-1)")
done
"$python" - "$files" "${firsts[*]}" "${agains[*]}" "${aws_firsts[*]}" "${aws_again[*]}" "${uploads[*]}" "$ahead" <<'PY'
import statistics, sys
def med(arg):
    return statistics.median(float(x) for x in arg.split())
files, first, again, aws_first, aws_again, upload = int(sys.argv[1]), *map(med, sys.argv[2:7])
ahead = sys.argv[7] == "1"
rounds = len(sys.argv[2].split())
pull = first if ahead else first - upload
print(f"tree: {files} files of 10 KiB, moto_server on 127.0.0.1; medians of {rounds} rounds")
print(f"{'':28}{'first sync':>12}{'unchanged':>12}")
print(f"{'runctl (sync step, journal)':28}{first:>11.3f}s{again:>11.3f}s")
print(f"{'aws s3 sync (wall)':28}{aws_first:>11.3f}s{aws_again:>11.3f}s")
print(f"runctl's first sync: {upload:.3f}s uploading (aws s3 sync: {aws_first:.3f}s)"
      + (" in sync.upload, beside provision," if ahead else ",")
      + f" then {pull:.3f}s for the instance to fetch the blobs and lay out the workdir")
ratio = again / aws_again
print(f"unchanged re-sync ratio runctl/aws: {ratio:.3f}x (target <= 0.25x): {'ok' if ratio <= 0.25 else 'OVER TARGET'}")
first_ratio = upload / aws_first
print(f"first-sync upload ratio runctl/aws: {first_ratio:.3f}x (target <= 1.0x): {'ok' if first_ratio <= 1.0 else 'OVER TARGET'}")
PY
