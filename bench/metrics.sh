#!/usr/bin/env bash
# Following $RUNCTL_METRICS: the train step's metrics follower against a file that grows to
# 100,000 points, 100 points between two polls (1,000 polls), on the real local machine.
#   bench/metrics.sh                  # 100,000 points, 100 per poll
#   POINTS=200000 PER_POLL=50 bench/metrics.sh
# Prints the follower's own time (its poll calls; the writing is not counted) per quarter of the
# points. A follower that reads the whole file at each poll costs in proportion to the file's size,
# so its last quarter takes about 7 times as long as its first (quadratic in the points); one that
# reads from where it stopped costs in proportion to what was appended: the quarters take about as
# long each (linear). The harness is MetricsFollowBench in the steps module's test sources; every
# point is checked to be copied exactly once.
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
