#!/usr/bin/env bash
# End-to-end test of `ucsc scan ... --nvd PATH --kev PATH` (issue 6): a fake SSH service on a
# loopback port (the only address scanned), a two-record NVD file and a one-entry KEV catalogue
# written here, then the table and the --json output are checked for each CVE's id, tier, CVSS
# score/severity and KEV due date. With ../shared/data present, the real NVD subset must list
# CVE-2024-6387 as confirmed for OpenSSH 8.9p1 (test vector 1 of ../shared/data/nvd/SOURCE.md).
#
#   tests/scan/scan_cli_test.sh UCSC_BINARY PROJECT_ROOT
set -uo pipefail
bin=$1
root=$2
work=$(mktemp -d)
server_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
check() {  # check NAME COMMAND...: runs COMMAND, reports ok/FAIL
  local name=$1
  shift
  if "$@"; then
    echo "ok   $name"
  else
    echo "FAIL $name"
    failures=$((failures + 1))
  fi
}
# shellcheck source=../shared_data.sh
source "$root/tests/shared_data.sh"

# ---- a fake OpenSSH 8.9p1 on 127.0.0.1 ----
cat >"$work/fake_ssh.py" <<'PY'
import socket, sys, threading
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
with open(sys.argv[1], "w") as f:
    f.write(str(s.getsockname()[1]))
def serve(c):
    try:
        c.sendall(b"SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10\r\n")
        c.settimeout(2)
        c.recv(1024)
    except OSError:
        pass
    finally:
        c.close()
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
python3 "$work/fake_ssh.py" "$work/port" &
server_pid=$!
for _ in $(seq 50); do [[ -s $work/port ]] && break; sleep 0.1; done
port=$(cat "$work/port")
[[ -n $port ]] || { echo "FAIL fake SSH service did not start"; exit 1; }

# ---- NVD: one record that applies (range, KEV-listed), one that does not (other update) ----
cat >"$work/nvd.json" <<'JSON'
{"format":"NVD_CVE","version":"2.0","totalResults":2,"vulnerabilities":[
{"cve":{"id":"CVE-2099-0001","published":"2099-01-01T00:00:00.000","lastModified":"2099-01-02T00:00:00.000",
 "descriptions":[{"lang":"en","value":"OpenSSH before 9.8 test vector"}],
 "metrics":{"cvssMetricV31":[{"source":"nvd@nist.gov","type":"Primary","cvssData":{"version":"3.1",
   "vectorString":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H","baseScore":9.8,"baseSeverity":"CRITICAL"}}]},
 "configurations":[{"nodes":[{"operator":"OR","negate":false,"cpeMatch":[
   {"vulnerable":true,"criteria":"cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*","versionEndExcluding":"9.8"}]}]}]}},
{"cve":{"id":"CVE-2099-0002","published":"2099-01-01T00:00:00.000","lastModified":"2099-01-02T00:00:00.000",
 "descriptions":[{"lang":"en","value":"OpenSSH 8.9p2 only"}],
 "metrics":{"cvssMetricV31":[{"source":"nvd@nist.gov","type":"Primary","cvssData":{"version":"3.1",
   "vectorString":"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N","baseScore":3.7,"baseSeverity":"LOW"}}]},
 "configurations":[{"nodes":[{"operator":"OR","negate":false,"cpeMatch":[
   {"vulnerable":true,"criteria":"cpe:2.3:a:openbsd:openssh:8.9:p2:*:*:*:*:*:*"}]}]}]}}]}
JSON
cat >"$work/kev.json" <<'JSON'
{"catalogVersion":"2099.01.01","vulnerabilities":[
 {"cveID":"CVE-2099-0001","vendorProject":"OpenBSD","product":"OpenSSH","vulnerabilityName":"test",
  "dateAdded":"2099-01-10","dueDate":"2099-01-31","knownRansomwareCampaignUse":"Unknown"}]}
JSON

# ---- table ----
"$bin" scan 127.0.0.1 -p "$port" --lang en --nvd "$work/nvd.json" --kev "$work/kev.json" \
  >"$work/table.out" 2>"$work/table.err"
code=$?
check "scan with --nvd --kev exits 0" test "$code" -eq 0
check "table names the service's CPE" grep -q "cpe:2.3:a:openbsd:openssh:8.9:p1" "$work/table.out"
check "table lists the matching CVE with tier, CVSS and KEV due date" \
  grep -Eq "CVE-2099-0001 +confirmed +CVSS 9\.8 CRITICAL +KEV due 2099-01-31" "$work/table.out"
check "table leaves out the CVE of another update" bash -c "! grep -q CVE-2099-0002 '$work/table.out'"
check "table summary counts CVEs and KEV" grep -q "CVEs: 1, in KEV: 1" "$work/table.out"

# Vietnamese labels.
"$bin" scan 127.0.0.1 -p "$port" --lang vi --nvd "$work/nvd.json" --kev "$work/kev.json" \
  >"$work/table_vi.out" 2>/dev/null
check "Vietnamese table shows the KEV due date" grep -q "KEV hạn 2099-01-31" "$work/table_vi.out"

# ---- JSON ----
"$bin" scan 127.0.0.1 -p "$port" --json --nvd "$work/nvd.json" --kev "$work/kev.json" \
  >"$work/scan.json" 2>/dev/null
check "--json lists the CVE with tier, CVSS, KEV flag and due date" python3 - "$work/scan.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["services"]
assert len(s) == 1, s
cves = s[0]["cves"]
assert [c["id"] for c in cves] == ["CVE-2099-0001"], cves
c = cves[0]
assert c["tier"] == "confirmed", c
assert c["cvss"] == {"version": "3.1", "score": 9.8, "severity": "CRITICAL"}, c
assert c["kev"] is True and c["kev_due_date"] == "2099-01-31", c
assert d["summary"]["cves"] == 1 and d["summary"]["kev"] == 1, d["summary"]
PY

# Without KEV data: the CVE is listed, not flagged.
"$bin" scan 127.0.0.1 -p "$port" --json --nvd "$work/nvd.json" >"$work/nokev.json" 2>/dev/null
check "without --kev the CVE is not flagged" python3 -c "
import json, sys
c = json.load(open(sys.argv[1]))['services'][0]['cves'][0]
assert c['id'] == 'CVE-2099-0001' and c['kev'] is False and c['kev_due_date'] is None, c
" "$work/nokev.json"

# Without --nvd: no CVE key at all (the output of a plain scan is unchanged).
"$bin" scan 127.0.0.1 -p "$port" --json >"$work/plain.json" 2>/dev/null
check "without --nvd the JSON has no cves key" python3 -c "
import json, sys
s = json.load(open(sys.argv[1]))['services'][0]
assert 'cves' not in s and s['product'] == 'OpenSSH', s
" "$work/plain.json"

# ---- errors before any scan ----
"$bin" scan 127.0.0.1 -p "$port" --kev "$work/kev.json" >/dev/null 2>"$work/err1"
code=$?
check "--kev without --nvd is refused" bash -c "[[ $code -ne 0 ]] && grep -q -- '--kev needs --nvd' '$work/err1'"
echo '{"vulnerabilities":[' >"$work/broken.json"
"$bin" scan 127.0.0.1 -p "$port" --nvd "$work/broken.json" >/dev/null 2>"$work/err2"
code=$?
check "a malformed NVD file is refused with its name" bash -c "[[ $code -ne 0 ]] && grep -q broken.json '$work/err2'"

# ---- the real NVD subset and KEV catalogue ----
shared=$root/../shared/data
if shared_data "$shared/nvd/nvd-subset.json.zst" "$shared/kev/known_exploited_vulnerabilities.json"; then
  "$bin" scan 127.0.0.1 -p "$port" --json --nvd "$shared/nvd/nvd-subset.json.zst" \
    --kev "$shared/kev/known_exploited_vulnerabilities.json" >"$work/real.json" 2>/dev/null
  check "NVD subset: CVE-2024-6387 confirmed for OpenSSH 8.9p1 (SOURCE.md vector 1)" python3 -c "
import json, sys
cves = {c['id']: c for c in json.load(open(sys.argv[1]))['services'][0]['cves']}
c = cves['CVE-2024-6387']
assert c['tier'] == 'confirmed' and c['cvss']['severity'] == 'HIGH', c
" "$work/real.json"
fi

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
