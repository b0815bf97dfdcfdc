#!/usr/bin/env bash
# Bench: a DAG of `run` steps executing `true`, through runctl and through `make -j2` on the same
# DAG, side by side; then runctl's time per step at 100, 1,000 and 5,000 steps.
#   bench/dag.sh            # 1,000 steps vs make -j2, then the scaling table
#   STEPS=2000 bench/dag.sh # another size for the comparison
# The DAG has a realistic shape: layers of WIDTH steps, each step needing two steps of the layer
# before it (a fan-out/fan-in pipeline), so there is parallelism and every layer is a barrier-ish
# join. runctl runs with --parallelism 2 and its journal durable (group-committed fsyncs).
# Two runctl figures, each with its ratio to make in the same bench run:
# - whole command: wall time of `runctl apply`, JVM start, spec loading and planning included;
# - run itself: the run's own duration from its journal (run_started -> run_ended), which leaves
#   out JVM start-up and planning, as bench/sync.sh uses the sync step's own duration.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="$root/bench/out/dag"
steps="${STEPS:-1000}"
width="${WIDTH:-20}"
rm -rf "$out"
mkdir -p "$out"

# gen N: writes $out/N/job.yaml and $out/N/Makefile for the same DAG.
gen() {
  local n="$1" d="$out/$1"
  mkdir -p "$d"
  python3 - "$n" "$width" "$d" <<'PY'
import random, sys
n, width, d = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rnd = random.Random(7)
ids = [f"s{i:05d}" for i in range(n)]
needs = []
for i in range(n):
    layer = i // width
    if layer == 0:
        needs.append([])
    else:
        prev = range((layer - 1) * width, min(layer * width, n))
        needs.append(sorted({ids[rnd.choice(prev)], ids[rnd.choice(prev)]}))
with open(f"{d}/job.yaml", "w") as y:
    y.write(f"version: 1\nname: dag{n}\nsteps:\n")
    for i, sid in enumerate(ids):
        y.write(f"  - id: {sid}\n    uses: run\n    needs: [{', '.join(needs[i])}]\n"
                "    with: {command: [\"true\"]}\n")
with open(f"{d}/Makefile", "w") as m:
    m.write(".PHONY: all " + " ".join(ids) + "\nall: " + " ".join(ids) + "\n")
    for i, sid in enumerate(ids):
        m.write(f"{sid}: {' '.join(needs[i])}\n\t@true\n")
PY
}

now() { date +%s.%N; }

# journal_seconds JOURNAL: the run's own duration, run_started -> run_ended, from its records.
journal_seconds() {
  python3 - "$1" <<'PY'
import datetime, json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
first, last = json.loads(lines[0]), json.loads(lines[-1])
assert first["type"] == "run_started" and last["type"] == "run_ended", "journal incomplete"
def at(r):
    main, _, frac = r["at"].rstrip("Z").partition(".")
    t = datetime.datetime.fromisoformat(main).replace(tzinfo=datetime.timezone.utc).timestamp()
    return t + float("0." + (frac or "0"))
print(f"{at(last) - at(first):.4f}")
PY
}

# runctl_time N: "WALL RUN" seconds of `runctl apply` of the N-step DAG (fresh state folder):
# the command's wall time, and the run's own duration from its journal.
runctl_time() {
  local d="$out/$1"
  rm -rf "$d/state"
  local t0 t1
  t0=$(now)
  (cd "$d" && RUNCTL_JAVA_OPTS="${JAVA_OPTS_BENCH:-}" "$root/runctl" --state-dir "$d/state" apply job.yaml --parallelism 2 >"$d/apply.out" 2>"$d/apply.err") || {
    echo "runctl apply failed for $1 steps; see $d/apply.out and $d/apply.err" >&2
    exit 1
  }
  t1=$(now)
  echo "$(echo "$t1 - $t0" | bc -l) $(journal_seconds "$d"/state/runs/*/journal.jsonl)"
}

make_time() {
  local d="$out/$1" t0 t1
  t0=$(now)
  make -s -j2 -C "$d" all >/dev/null
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}

# medians: reads rows of numbers, prints the median of each column (three rows: the middle one).
medians() {
  python3 -c '
import sys
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
print(" ".join(f"{sorted(c)[len(c) // 2]:.4f}" for c in zip(*rows)))'
}

ratio() { echo "$1 / $2" | bc -l; }

"$root/runctl" --version >/dev/null # builds the jars and the AppCDS archive when stale

gen "$steps"
# Three rounds, runctl and make interleaved so that load from other work on the machine hits both.
read -r rw rr m < <(for _ in 1 2 3; do echo "$(runctl_time "$steps") $(make_time "$steps")"; done | medians)
printf '%d-step DAG (layers of %d), medians of 3 interleaved rounds:\n' "$steps" "$width"
printf '  make -j2:                                             %6.2f s\n' "$m"
printf '  runctl apply, whole command (wall time, JVM start,\n'
printf '    spec loading and planning included):                %6.2f s  %6.2f x make  (target <= 2x)\n' \
  "$rw" "$(ratio "$rw" "$m")"
printf '  runctl run itself (journal: run_started -> run_ended): %6.2f s  %6.2f x make  (target <= 2x)\n' \
  "$rr" "$(ratio "$rr" "$m")"

echo
echo "runctl per step, median of 3 (whole command | run itself):"
for n in 100 1000 5000; do
  [[ -d "$out/$n" ]] || gen "$n"
  read -r w r < <(for _ in 1 2 3; do runctl_time "$n"; done | medians)
  printf '  %5d steps: %6.2f s | %6.2f s total, %6.2f | %6.2f ms per step\n' \
    "$n" "$w" "$r" "$(echo "$w * 1000 / $n" | bc -l)" "$(echo "$r * 1000 / $n" | bc -l)"
done
