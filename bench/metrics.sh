#!/usr/bin/env bash
# Following $RUNCTL_METRICS: the train step's metrics follower against a file that grows to
# 100,000 points, 100 points between two polls (1,000 polls), on the real local machine.
#   bench/metrics.sh                  # 100,000 points, 100 per poll
#   POINTS=200000 PER_POLL=50 bench/metrics.sh
# Prints, per quarter of the points, the follower's own time and its thread's CPU time (its poll
# calls; the writing is not counted) and the bytes its reads answered. A follower that reads the
# whole file at each poll reads about 7 times as much in the last quarter as in the first
# (quadratic in the points), and its time grows with it; one that reads from where it stopped reads
# what was appended: the same for each quarter, and about as long each (linear). The bytes are
# exact; the times move with the machine's load (compare two builds interleaved). The harness is
# MetricsFollowBench in the steps module's test sources; every point is checked to be copied
# exactly once.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
points="${POINTS:-100000}"
per_poll="${PER_POLL:-100}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

cd "$root"
mvn -B -o -q -pl steps -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="steps/target/test-classes:steps/target/classes:$(cat steps/target/bench.classpath)"
"$java" -cp "$cp" dev.runctl.steps.train.MetricsFollowBench "$points" "$per_poll"
