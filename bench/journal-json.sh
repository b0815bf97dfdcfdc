#!/usr/bin/env bash
# Bench: what the journal's JSON writer costs a run. Encodes the three records of each step of a
# STEPS-step run (default 1,000, bench/dag.sh's size) in fresh JVMs with apply's JIT flags, once
# with the journal's codec (the hand-made JsonLine) and once with jackson-core's generator, reused
# line after line as the journal used it before, alternating, and prints the medians of the CPU
# time the encoding took (the JIT compiler's threads included). Compare the difference with the
# run-itself figure of bench/dag.sh.
#   bench/journal-json.sh            # 1,000 steps, 9 rounds
#   STEPS=5000 ROUNDS=5 bench/journal-json.sh
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
steps="${STEPS:-1000}"
rounds="${ROUNDS:-9}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
javac="${JAVA_HOME:+$JAVA_HOME/bin/}javac"

"$root/runctl" --version >/dev/null # builds the jars when stale
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/dev/runctl/engine/state" "$tmp/classes"
cp "$root/bench/journal-json/JournalJsonBench.java" "$tmp/src/dev/runctl/engine/state/"
cp="$root/cli/target/runctl.jar"
"$javac" -d "$tmp/classes" -cp "$cp" "$tmp"/src/dev/runctl/engine/state/*.java
# The same JIT settings as ./runctl gives apply (C1 without profiling, no C2 for this code).
flags=(-XX:+UseParallelGC -XX:-C1ProfileCalls -XX:-C1ProfileVirtualCalls -XX:-C1ProfileInlinedCalls
  -XX:-C1ProfileBranches -XX:-C1ProfileCheckcasts -XX:Tier4InvocationThreshold=1000000000
  -XX:Tier4MinInvocationThreshold=1000000000 -XX:Tier4CompileThreshold=1000000000
  -XX:Tier4BackEdgeThreshold=1000000000 -XX:CompileCommand=quiet
  "-XX:CompileCommand=CompileThresholdScaling,dev.runctl.*::*,0.1")
# the bench's classes first: they are in the engine's package, next to the codec in the jar
run() { "$java" "${flags[@]}" -cp "$tmp/classes:$cp" dev.runctl.engine.state.JournalJsonBench "$1" "$steps"; }

for ((i = 0; i < rounds; i++)); do
  echo "$(run jackson | cut -d' ' -f1) $(run hand | cut -d' ' -f1)"
done | python3 -c '
import sys
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
j, h = (sorted(c)[len(c) // 2] for c in zip(*rows))
steps = int(sys.argv[1])
print(f"journal JSON of a {steps}-step run ({3 * steps} records), fresh JVM, medians of {len(rows)}:")
print(f"  jackson-core generator (reused per thread): {j:7.1f} ms CPU")
print(f"  hand-made JsonLine (the journal now):       {h:7.1f} ms CPU")
print(f"  difference:                                 {j - h:7.1f} ms, {(j - h) / steps:.3f} ms per step")' "$steps"
