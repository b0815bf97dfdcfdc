#!/usr/bin/env bash
# Bench: an unchanged re-sync to S3 through runctl next to `aws s3 sync`, same 2,000-file tree
# (10 KiB files), both against the same moto_server (the patched one of the aws target's tests).
#   bench/s3sync.sh             # 2,000 files of 10 KiB
#   FILES=500 bench/s3sync.sh   # another size
#   RUNCTL=/other/build/runctl bench/s3sync.sh   # another build of runctl (a before/after pair)
# runctl: a run with provision, sync, sync again (nothing changed), teardown, applied with the aws
# target; each sync's figure is the step's own duration as the run's journal records it
# (attempt_started to attempt_ended): hashing (with the manifest cache), the S3 side, and the one
# SSM command that checks the instance's workdir. aws: `aws s3 sync` wall time, first and then
# unchanged (median of 3). The ratios printed are runctl's unchanged re-sync over aws's (target
# at most 0.25), and runctl's first upload over aws's first sync (target at most 1.0). A first sync is also split into runctl's upload (comparable with aws s3 sync) and
# the instance's pull from the bucket, which aws s3 sync does not do.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="$root/bench/out/s3sync"
files="${FILES:-2000}"
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
aws s3 mb s3://bench-runctl >/dev/null
aws s3 mb s3://bench-awscli >/dev/null

now() { "$python" -c 'import time; print(time.perf_counter())'; }

# aws s3 sync: a first sync, then three unchanged re-syncs.
t0=$(now); aws s3 sync --only-show-errors "$out/tree" s3://bench-awscli/tree; t1=$(now)
aws_first=$("$python" -c "print(round($t1 - $t0, 3))")
aws_again=()
for _ in 1 2 3; do
  t0=$(now); aws s3 sync --only-show-errors "$out/tree" s3://bench-awscli/tree; t1=$(now)
  aws_again+=("$("$python" -c "print(round($t1 - $t0, 3))")")
done

# runctl: provision, sync, sync again, teardown.
cat >"$out/job.yaml" <<YAML
version: 1
name: s3sync-bench
workdir: tree
target:
  provider: aws
  region: us-east-1
  instance_type: t3.medium
  image: {ssm_parameter: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64}
  iam_instance_profile: runctl-ssm
  bucket: bench-runctl
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
(cd "$out" && "${RUNCTL:-$root/runctl}" --state-dir "$out/state" apply job.yaml >"$out/apply.out" 2>"$out/apply.err") || {
  echo "runctl apply failed; see $out/apply.out and $out/apply.err" >&2
  exit 1
}
run_id=$(head -1 "$out/apply.out" | sed 's/^run //')
read -r first again < <("$python" - "$out/state/runs/$run_id/journal.jsonl" <<'PY'
import json, sys
from datetime import datetime
start, took = {}, {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    at = datetime.fromisoformat(r["at"].replace("Z", "+00:00"))
    if r["type"] == "attempt_started":
        start[r["step"]] = at
    elif r["type"] == "attempt_ended" and r["step"] in start:
        took[r["step"]] = (at - start[r["step"]]).total_seconds()
print(round(took["sync"], 3), round(took["resync"], 3))
PY
)
# The first sync moves the data twice: up to the bucket, then down to the instance (one SSM
# command). Its upload part: the sync.upload step the planner puts beside provision (the attempt's
# start to its last "uploaded" line); a build without it uploads inside the sync step.
log="$out/state/runs/$run_id/logs/sync.upload.log"
[[ -f "$log" ]] || log="$out/state/runs/$run_id/logs/sync.log"
upload=$("$python" - "$log" <<'PY'
import re, sys
from datetime import datetime
stamps = [(datetime.fromisoformat(m.group(1).replace("Z", "+00:00")), m.group(2))
          for m in (re.match(r"\[([^\]]+)\] (.*)", l) for l in open(sys.argv[1])) if m]
ups = [t for t, text in stamps if re.match(r"uploaded [0-9]+/", text)]
print(round((ups[-1] - stamps[0][0]).total_seconds(), 3) if ups else 0)
PY
)

ahead=0
[[ "$log" == *sync.upload.log ]] && ahead=1
"$python" - "$files" "$first" "$again" "$aws_first" "${aws_again[*]}" "$upload" "$ahead" <<'PY'
import statistics, sys
files, first, again, aws_first = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
upload = float(sys.argv[6])
ahead = sys.argv[7] == "1"
pull = first if ahead else first - upload
aws_again = statistics.median(float(x) for x in sys.argv[5].split())
print(f"tree: {files} files of 10 KiB, moto_server on 127.0.0.1")
print(f"{'':28}{'first sync':>12}{'unchanged':>12}")
print(f"{'runctl (sync step, journal)':28}{first:>11.3f}s{again:>11.3f}s")
print(f"{'aws s3 sync (wall, median)':28}{aws_first:>11.3f}s{aws_again:>11.3f}s")
print(f"runctl's first sync: {upload:.3f}s uploading (aws s3 sync: {aws_first:.3f}s)"
      + (" in sync.upload, beside provision," if ahead else ",")
      + f" then {pull:.3f}s for the instance to fetch the blobs and lay out the workdir")
ratio = again / aws_again
print(f"unchanged re-sync ratio runctl/aws: {ratio:.3f}x (target <= 0.25x): {'ok' if ratio <= 0.25 else 'OVER TARGET'}")
first_ratio = upload / aws_first
print(f"first-sync upload ratio runctl/aws: {first_ratio:.3f}x (target <= 1.0x): {'ok' if first_ratio <= 1.0 else 'OVER TARGET'}")
PY
