#!/usr/bin/env bash
# Scanner benchmarks against nmap (hyperfine, median of 5 runs), on 127.0.0.1 only:
#   1. full TCP connect scan of 65,535 ports:  nmap -sT -T4 -Pn -n -p- 127.0.0.1
#                                           vs ucsc scan 127.0.0.1 -p - --no-identify
#   2. version scan of the test services:     nmap -sV -Pn -n -p <open ports> 127.0.0.1
#                                           vs ucsc scan 127.0.0.1 -p <open ports>
# The services are the Debian test instances of tests/scan/services/start (needs root for
# postfix; scripts/bootstrap installs everything). Results go to OUT (default
# bench/scan/results): hyperfine JSON and Markdown, and each tool's identification output.
#
#   bench/scan/run.sh [UCSC_BINARY]      (default: build/ucsc)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
UCSC=${1:-$ROOT/build/ucsc}
OUT=${OUT:-$ROOT/bench/scan/results}
BASE=${BASE:-32000}
RUNS=${RUNS:-5}
mkdir -p "$OUT"
DIR=$(mktemp -d /tmp/ucsc-scan-bench.XXXXXX)
trap '"$ROOT/tests/scan/services/stop" "$DIR"' EXIT

"$ROOT/tests/scan/services/start" "$DIR" "$BASE"
cut -f1,2 "$DIR/services.tsv" >"$OUT/services.tsv"
if [[ -s $DIR/failed.tsv ]]; then
  echo "services that did not start:" >&2
  cat "$DIR/failed.tsv" >&2
fi
PORTS=$(cut -f2 "$DIR/services.tsv" | paste -sd, -)
echo "services on ports $PORTS"

hyperfine --runs "$RUNS" --warmup 1 --export-json "$OUT/full_scan.json" --export-markdown "$OUT/full_scan.md" \
  -n "nmap -sT -T4 -Pn -n -p- 127.0.0.1" "nmap -sT -T4 -Pn -n -p- 127.0.0.1" \
  -n "ucsc scan 127.0.0.1 -p - --no-identify" "$UCSC scan 127.0.0.1 -p - --no-identify"

hyperfine --runs "$RUNS" --warmup 1 --export-json "$OUT/version_scan.json" --export-markdown "$OUT/version_scan.md" \
  -n "nmap -sV -Pn -n -p <open ports> 127.0.0.1" "nmap -sV -Pn -n -p $PORTS 127.0.0.1" \
  -n "ucsc scan 127.0.0.1 -p <open ports>" "$UCSC scan 127.0.0.1 -p $PORTS"

nmap -sV -Pn -n -p "$PORTS" 127.0.0.1 -oN "$OUT/nmap_sv.txt" >/dev/null
"$UCSC" scan 127.0.0.1 -p "$PORTS" --lang en >"$OUT/ucsc_scan.txt"
"$UCSC" scan 127.0.0.1 -p "$PORTS" --json >"$OUT/ucsc_scan.json"

for f in full_scan version_scan; do
  jq -r '.results[] | "\(.command)\tmedian \(.median) s\tmean \(.mean) s\tmin \(.min) s\tmax \(.max) s"' "$OUT/$f.json"
done | tee "$OUT/medians.txt"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/medians.txt"
