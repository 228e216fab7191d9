#!/usr/bin/env bash
# CVE matching benchmarks (issue 6). Builds nothing: pass the ucsc binary (default build/ucsc).
#
#   bench/vuln/vuln_bench.sh [UCSC] [WORKDIR]
#
# 1. Index the shared NVD subset (4,850 records), 5 runs: `ucsc vuln match` prints the load+index
#    time on stderr ("indexed in X s"); /usr/bin/time -v gives the process's peak RSS.
# 2. Match 10,000 inventory CPEs drawn from that data (gen_inventory.py, fixed seed), as 2,500
#    systems of 4 CPEs (an OS and three applications) and as 10,000 one-CPE systems; the time
#    printed is the matching alone ("matched ... in X s").
# 3. A synthetic 300,000-record NVD (gen_nvd.py: the subset replicated with new ids, zstd -3)
#    indexed once: index time and peak RSS.
# WORKDIR (default a fresh mktemp dir, removed at the end) holds the generated files (~140 MB).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ucsc=${1:-$root/build/ucsc}
work=${2:-}
shared=$root/../shared/data
nvd=$shared/nvd/nvd-subset.json.zst
kev=$shared/kev/known_exploited_vulnerabilities.json
cleanup=""
if [[ -z $work ]]; then
  work=$(mktemp -d)
  cleanup=$work
fi
trap '[[ -n $cleanup ]] && rm -rf "$cleanup"' EXIT

probe=cpe:2.3:a:openbsd:openssh:8.9:p1
run() {  # run LABEL ARGS...: prints the ucsc stderr summary lines and the peak RSS
  local label=$1
  shift
  /usr/bin/time -v "$ucsc" vuln match --lang en "$@" >/dev/null 2>"$work/err"
  local rss
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/err")
  echo "$label: $(grep -E '^(nvd|matched)' "$work/err" | tr '\n' ';') peak RSS ${rss} KiB"
}

echo "== 1. index the NVD subset (5 runs)"
for i in 1 2 3 4 5; do run "subset run $i" --nvd "$nvd" --kev "$kev" --cpe "$probe"; done

echo "== 2. match 10,000 CPEs"
[[ -s $work/inv4.txt ]] || python3 "$root/bench/vuln/gen_inventory.py" "$nvd" 10000 4 >"$work/inv4.txt"
[[ -s $work/inv1.txt ]] || python3 "$root/bench/vuln/gen_inventory.py" "$nvd" 10000 1 >"$work/inv1.txt"
for i in 1 2 3; do
  run "2,500 systems x 4 CPEs, run $i" --nvd "$nvd" --kev "$kev" --inventory "$work/inv4.txt"
  run "10,000 systems x 1 CPE, run $i" --nvd "$nvd" --kev "$kev" --inventory "$work/inv1.txt"
done

echo "== 3. synthetic 300,000-record NVD"
if [[ ! -s $work/nvd300k.json.zst ]]; then
  python3 "$root/bench/vuln/gen_nvd.py" "$nvd" 300000 | zstd -q -3 -T2 -o "$work/nvd300k.json.zst"
fi
ls -l "$work/nvd300k.json.zst"
for i in 1 2; do run "300k run $i" --nvd "$work/nvd300k.json.zst" --kev "$kev" --cpe "$probe"; done
