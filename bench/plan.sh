#!/usr/bin/env bash
# Start-up benchmark: wall time of `./runctl plan specs/examples/quickstart.yaml` next to a JVM
# hello world, both measured in this one run (medians of N alternating runs), and their ratio.
# The target is a ratio of at most 6.
#   bash bench/plan.sh            # N=15
#   N=30 bash bench/plan.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
n="${N:-15}"
spec="${SPEC:-specs/examples/quickstart.yaml}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
javac="${JAVA_HOME:+$JAVA_HOME/bin/}javac"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/Hello.java" <<'JAVA'
public class Hello {
  public static void main(String[] args) {
    System.out.println("hello world");
  }
}
JAVA
"$javac" -d "$tmp" "$tmp/Hello.java"

# Build and archive first (not timed), and make sure the plan is valid: timing a failure is no use.
if ! ./runctl plan "$spec" >"$tmp/plan.out" 2>&1; then
  cat "$tmp/plan.out" >&2
  echo "bench/plan.sh: runctl plan $spec failed; fix that first" >&2
  exit 1
fi
./runctl plan "$spec" >/dev/null 2>&1 # a second warm-up, so the page cache holds the jars

now_us() { date +%s%6N; }
time_us() {
  local start end
  start="$(now_us)"
  "$@" >/dev/null 2>&1
  end="$(now_us)"
  echo $((end - start))
}
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%d", m}'; }

: >"$tmp/hello.txt"
: >"$tmp/plan.txt"
for ((i = 0; i < n; i++)); do
  time_us "$java" -cp "$tmp" Hello >>"$tmp/hello.txt"
  time_us ./runctl plan "$spec" >>"$tmp/plan.txt"
done
hello="$(median <"$tmp/hello.txt")"
plan="$(median <"$tmp/plan.txt")"

awk -v h="$hello" -v p="$plan" -v n="$n" -v spec="$spec" 'BEGIN {
  printf "JVM hello world        %.3f s (median of %d)\n", h / 1e6, n
  printf "runctl plan            %.3f s (median of %d, %s)\n", p / 1e6, n, spec
  printf "ratio                  %.1fx (target: at most 6x)\n", p / h
}'
