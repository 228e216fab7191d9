#!/usr/bin/env bash
# Hunt benchmark on the OTRF corpus (issue 5 acceptance figures).
#
#   bench/hunt/run.sh [BUILD_DIR]      (default BUILD_DIR=build; needs target ucsc_hunt_bench,
#                                       configure with -DUCSC_BUILD_BENCHMARKS=ON)
#
# Decompresses ../shared/data/bench/otrf-windows.jsonl.zst once into $TMPDIR (default /tmp; never
# committed), reads it once to put it in the page cache, then measures with every rule of
# rules/windows: hunt on 1 and 2 threads, parse-only on 1 thread, load + compile of all of rules/
# (cold: empty prefilter cache; cached: second run), and peak RSS with /usr/bin/time -v.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build}"
bin="$build/bench/hunt/ucsc_hunt_bench"
shared="$root/../shared/data"
rules="$shared/sigma/rules"
tmp="${TMPDIR:-/tmp}"
corpus="$tmp/otrf-windows.jsonl"
[[ -x $bin ]] || { echo "build $bin first (-DUCSC_BUILD_BENCHMARKS=ON)" >&2; exit 2; }
if [[ ! -s $corpus ]]; then
  zstd -dq "$shared/bench/otrf-windows.jsonl.zst" -o "$corpus"
fi
cat "$corpus" > /dev/null  # page cache
cache="$(mktemp -d "$tmp/hunt-bench-cache.XXXXXX")"
trap 'rm -rf "$cache"' EXIT
export UCSC_HUNT_CACHE_DIR="$cache"

echo "machine: $(nproc) CPUs, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== load + compile, all of rules/ (cold, then cached)"
"$bin" "$rules" - 1 compile-only
"$bin" "$rules" - 1 compile-only
echo "== parse only, 1 thread"
"$bin" "$rules/windows" "$corpus" 1 parse-only
echo "== hunt, rules/windows, 1 thread"
"$bin" "$rules/windows" "$corpus" 1
echo "== hunt, rules/windows, 2 threads"
"$bin" "$rules/windows" "$corpus" 2
echo "== peak RSS, all of rules/, whole corpus, 2 threads"
/usr/bin/time -v "$bin" "$rules" "$corpus" 2 2>&1 |
  grep -E "events_per_s|Maximum resident|Elapsed" || true
