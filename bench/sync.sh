#!/usr/bin/env bash
# Local sync against `rsync -a`, side by side, on a generated tree of 10,000 files (~80 MB).
#
#   bench/sync.sh            # 3 rounds (medians), tree and state under bench/out/sync
#   ROUNDS=5 bench/sync.sh
#
# What is measured, and how it is kept honest:
# - rsync: wall time of `rsync -a tree/ dest/` into an empty folder (first sync), again with nothing
#   changed (unchanged re-sync), and after rewriting one file (one file changed).
# - runctl: the sync step's own duration as the run's journal records it (attempt_started to
#   attempt_ended), which excludes the JVM start and the other steps. One run of a spec with
#   provision, then `first` (sync into the fresh, empty workspace), `flush` (a run step: `sync`),
#   `again` (nothing changed), `edit` (a run step that appends to one file of the tree and flushes)
#   and `changed` (sync again). Each round is a new run, so each `first` starts from an empty
#   workspace, like rsync's. rsync gets the same flushes at the same points, so that neither tool's
#   re-sync pays for the write-back of the 80 MB its first sync wrote.
# - The first sync is measured with a cold hash cache (the state folder's cache is deleted before
#   each round), so runctl reads and hashes all 80 MB, like rsync's first copy reads it all.
#   The re-syncs use what the first sync left: the workspace's manifest, and the cache of hashes
#   whose size and mtime did not change (rsync's quick check compares size and mtime as well).
# - Nothing is deleted between measurements: each rsync copy goes to a new folder and runctl's runs
#   have no teardown step; all of it is deleted at the end. On ext4 without a journal, creating a
#   file skips every inode deleted in the last minutes, so a bench that deleted 20,000 files per
#   round made each later first sync (of either tool) ten times slower than the first one.
#   Deletions in the minutes before still slow both: the bench waits until five minutes have
#   passed since its own last clean-up (WAIT=0 skips that), and cannot know of any other.
# Targets (DEVELOPERS.md / the briefing): first sync <= 1x rsync, unchanged re-sync <= 0.5x rsync.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${OUT:-$root/bench/out/sync}"
rounds="${ROUNDS:-3}"
tree="$out/tree"
state="$out/state"

command -v rsync >/dev/null || { echo "bench/sync.sh needs rsync as the peer: install it (e.g. apt-get install rsync)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench/sync.sh needs python3" >&2; exit 2; }

mkdir -p "$out"
. "$root/bench/tree.sh"
make_tree "$tree"

edit_target="$tree/d050/sub1/f050.bin"
spec="$out/sync-bench.yaml"
cat > "$spec" <<YAML
version: 1
name: sync-bench
workdir: tree
steps:
  - {id: provision, uses: provision}
  - {id: first, uses: sync, with: {exclude: [".complete"]}}
  - {id: flush, uses: run, with: {command: ["sync"]}}
  - {id: again, uses: sync, with: {exclude: [".complete"]}}
  - id: edit
    uses: run
    with: {command: ["python3", "-c", "import os, sys; open(sys.argv[1], 'ab').write(os.urandom(16)); os.sync()", "$edit_target"]}
  - {id: changed, uses: sync, with: {exclude: [".complete"]}}
YAML

runctl="$root/runctl"
"$runctl" --version >/dev/null   # builds the CLI when needed, outside the measurements

now() { python3 -c 'import time; print(time.perf_counter())'; }
elapsed() { python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 4))" "$1" "$2"; }

rsync_first=(); rsync_again=(); rsync_changed=()
runctl_first=(); runctl_again=(); runctl_changed=()
keep="$out/keep"   # what the rounds wrote, deleted only after the last measurement
cleaned="$out/.cleaned-at"
if [[ -f "$cleaned" && "${WAIT:-1}" != 0 ]]; then
  left=$(( $(cat "$cleaned") + 300 - $(date +%s) ))
  if ((left > 0)); then
    echo "waiting ${left}s: the last bench run deleted 20,000 files, and until five minutes have" \
         "passed new files are slow to create (WAIT=0 skips this)" >&2
    sleep "$left"
  fi
fi
rm -rf "$keep" "$state/runs"
mkdir -p "$keep"
measure_rsync() {
  local dest="$keep/rsync-$1" t0 t1
  mkdir -p "$dest"; sync
  t0=$(now); rsync -a --exclude .complete "$tree/" "$dest/"; t1=$(now)
  rsync_first+=("$(elapsed "$t0" "$t1")")
  sync
  t0=$(now); rsync -a --exclude .complete "$tree/" "$dest/"; t1=$(now)
  rsync_again+=("$(elapsed "$t0" "$t1")")
  python3 -c "import os, sys; open(sys.argv[1], 'ab').write(os.urandom(16)); os.sync()" "$edit_target"
  t0=$(now); rsync -a --exclude .complete "$tree/" "$dest/"; t1=$(now)
  rsync_changed+=("$(elapsed "$t0" "$t1")")
}

measure_runctl() {
  rm -rf "$state/cache"; sync
  local run_out
  run_out=$("$runctl" --state-dir "$state" apply "$spec")
  run_id=$(printf '%s\n' "$run_out" | head -1 | sed 's/^run //')
  read -r f a c < <(python3 - "$state/runs/$run_id/journal.jsonl" <<'PY'
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
print(*[round((ends[s] - starts[s]).total_seconds(), 4) for s in ("first", "again", "changed")])
PY
)
  runctl_first+=("$f"); runctl_again+=("$a"); runctl_changed+=("$c")
}

# Both write 80 MB per round; each first sync starts after `sync` has flushed the other's writes,
# and the order alternates so that neither always runs second.
for ((i = 1; i <= rounds; i++)); do
  if ((i % 2)); then measure_rsync "$i"; measure_runctl; else measure_runctl; measure_rsync "$i"; fi
  echo "round $i: rsync ${rsync_first[-1]} / ${rsync_again[-1]} / ${rsync_changed[-1]} s;" \
       "runctl sync step $f / $a / $c s (run $run_id)" >&2
done

python3 - "$rounds" "${rsync_first[*]}" "${rsync_again[*]}" "${rsync_changed[*]}" \
    "${runctl_first[*]}" "${runctl_again[*]}" "${runctl_changed[*]}" <<'PY'
import statistics, sys
rounds = sys.argv[1]
vals = [list(map(float, a.split())) for a in sys.argv[2:]]
med = [statistics.median(v) for v in vals]
rows = [("first sync", med[0], med[3], 1.0), ("unchanged re-sync", med[1], med[4], 0.5),
        ("one file changed", med[2], med[5], None)]
print("local sync of 10,000 files (~80 MB), medians of %s rounds" % rounds)
print("%-20s %10s %12s %8s %8s" % ("", "rsync -a", "runctl sync", "ratio", "target"))
for name, r, s, target in rows:
    ratio = s / r if r > 0 else float("inf")
    mark = "" if target is None else ("<= %.1fx %s" % (target, "ok" if ratio <= target else "MISSED"))
    print("%-20s %9.3fs %11.3fs %7.2fx %s" % (name, r, s, ratio, mark))
PY

# After the last measurement: the copies and the runs' workspaces.
rm -rf "$keep" "$state/runs"
date +%s >"$cleaned"
