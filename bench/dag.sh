#!/usr/bin/env bash
# Bench: a DAG of `run` steps executing `true`, through runctl and through `make -j2` on the same
# DAG, side by side; then runctl's time per step at 100, 1,000 and 5,000 steps.
#   bench/dag.sh            # 1,000 steps vs make -j2, then the scaling table
#   STEPS=2000 bench/dag.sh # another size for the comparison
# The DAG has a realistic shape: layers of WIDTH steps, each step needing two steps of the layer
# before it (a fan-out/fan-in pipeline), so there is parallelism and every layer is a barrier-ish
# join. runctl runs with --parallelism 2 and its journal durable (group-committed fsyncs).
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

# runctl_time N: wall seconds of `runctl apply` of the N-step DAG (fresh state folder).
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
  echo "$t1 - $t0" | bc -l
}

make_time() {
  local d="$out/$1" t0 t1
  t0=$(now)
  make -s -j2 -C "$d" all >/dev/null
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}

# median of three runs of a timing function
median3() {
  local f="$1" n="$2" a b c
  a=$($f "$n"); b=$($f "$n"); c=$($f "$n")
  printf '%s\n%s\n%s\n' "$a" "$b" "$c" | sort -g | sed -n 2p
}

"$root/runctl" --version >/dev/null # builds the jars and the AppCDS archive when stale

gen "$steps"
r=$(median3 runctl_time "$steps")
m=$(median3 make_time "$steps")
printf '%d-step DAG (layers of %d), median of 3:\n' "$steps" "$width"
printf '  runctl apply --parallelism 2: %6.2f s\n' "$r"
printf '  make -j2:                     %6.2f s\n' "$m"
printf '  ratio runctl/make:            %6.2f x   (target <= 2x)\n' "$(echo "$r / $m" | bc -l)"
c1=$(JAVA_OPTS_BENCH=-XX:TieredStopAtLevel=1 median3 runctl_time "$steps")
printf '  runctl with C1 only (RUNCTL_JAVA_OPTS=-XX:TieredStopAtLevel=1): %6.2f s, %.2f x\n' "$c1" "$(echo "$c1 / $m" | bc -l)"

echo
echo "runctl time per step (wall time of apply / steps, JVM start included):"
for n in 100 1000 5000; do
  [[ -d "$out/$n" ]] || gen "$n"
  t=$(median3 runctl_time "$n")
  printf '  %5d steps: %7.2f s total, %6.2f ms per step\n' "$n" "$t" "$(echo "$t * 1000 / $n" | bc -l)"
done
