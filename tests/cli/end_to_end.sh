#!/usr/bin/env bash
# End-to-end checks of the ucsc binary (issue 3 acceptance): set-up, login + list, bad input,
# CSRF, graceful shutdown, backup/restore (also SQLite → PostgreSQL), audit tampering, bulk
# import with bad rows, TLS, config file + environment overrides. Loopback only.
set -uo pipefail
bin=$1
src=$2
work=$(mktemp -d)
pids=()
passed=0
failed=0
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

ok() { echo "PASS: $1"; passed=$((passed + 1)); }
bad() { echo "FAIL: $1"; failed=$((failed + 1)); }
check() {  # check NAME CONDITION...
  local name=$1
  shift
  if "$@"; then ok "$name"; else bad "$name"; fi
}
# shellcheck source=../shared_data.sh
source "$src/tests/shared_data.sh"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() {  # wait_up URL [curl args]
  local url=$1
  shift
  for _ in $(seq 100); do
    curl -fsk "$@" "$url" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}
count() { sqlite3 "$1" "select count(*) from $2"; }

db=$work/ucsc.db
# ---- set-up: demo province, one user per role ----
export UCSC_RULEPACKS="$src/data/rulepacks" UCSC_EVIDENCE_DIR="$work/evidence"
"$bin" demo init --db "sqlite:$db" --from "$src/data/demo" >"$work/init.txt" 2>&1
check "demo init prints one password per role" test "$(grep -c '): ' "$work/init.txt")" -eq 7
check "demo province has >= 40 organisations" test "$(count "$db" organisations)" -ge 40
check "demo province has >= 150 systems" test "$(count "$db" systems)" -ge 150
pw=$(sed -n 's/^  dieuphoi (coordinator): //p' "$work/init.txt")

# ---- compliance (issue 4): the demo's evidence history at 31/12/2026 ----
"$bin" compliance status --db "sqlite:$db" --at 2026-12-31 --json >"$work/cs.json"
share() { jq -r ".summary.$1 * 100 / .summary.pairs | floor" "$work/cs.json"; }
check "compliance at 31/12/2026: ok >= 10% of the pairs" test "$(share ok)" -ge 10
check "compliance at 31/12/2026: due soon >= 10% of the pairs" test "$(share due_soon)" -ge 10
check "compliance at 31/12/2026: overdue >= 10% of the pairs" test "$(share overdue)" -ge 10
check "every overdue row names its rule, legal basis and the missing evidence" \
  jq -e '[.rows[] | select(.state == "overdue")] | length > 0 and all(.rule_id != "" and .basis.document != "" and .missing != "")' "$work/cs.json"
"$bin" compliance status --db "sqlite:$db" --at 2026-12-31 --lang vi >"$work/cs.txt"
check "human output: Vietnamese, overdue rows with căn cứ and còn thiếu" \
  bash -c "grep -q 'quá hạn' $work/cs.txt && grep -q 'căn cứ: ' $work/cs.txt && grep -q 'còn thiếu: ' $work/cs.txt"
# ---- plans and drills (issue 15): R3–R5 evaluate from them, not from uploaded files ----
"$bin" compliance status --db "sqlite:$db" --at 2026-12-31 --json --rule R3 >"$work/r3.json"
"$bin" compliance status --db "sqlite:$db" --at 2026-12-31 --json --rule R4 >"$work/r4.json"
"$bin" compliance status --db "sqlite:$db" --at 2026-12-31 --json --rule R5 >"$work/r5.json"
for r in r3 r4 r5; do
  check "$r: some rows ok and some overdue at 31/12/2026" \
    jq -e '.summary.ok > 0 and .summary.overdue > 0 and ([.rows[].rule_id] | unique) == [.rows[0].rule_id]' "$work/$r.json"
done
check "R3 and R4 are met only by approved plans (evidence plan:<id>:v<n>, :r4 for R4)" \
  jq -e -s '(.[0].rows | map(select(.state == "ok")) | all(.evidence_id | test("^plan:.*:v[0-9]+$"))) and (.[1].rows | map(select(.state == "ok")) | all(.evidence_id | test("^plan:.*:r4$")))' "$work/r3.json" "$work/r4.json"
check "R5 is met only by closed live-fire drills (evidence drill:<id>:<system>)" \
  jq -e '.rows | map(select(.state == "ok")) | length > 0 and all(.evidence_id | startswith("drill:"))' "$work/r5.json"
check "an upload cannot stand for the plan's content (no uploaded ir_plan_content)" \
  test "$(sqlite3 "$db" "select count(*) from evidence where type = 'ir_plan_content' and id not like 'plan:%'")" = 0
"$bin" plan list --db "sqlite:$db" --json >"$work/plans.json"
check "ucsc plan list: approved, draft and stale plans" \
  jq -e '[.items[].status.kind] | (index("approved_current") != null) and (index("draft") != null) and (index("stale") != null)' "$work/plans.json"
plan_id=$(jq -r '[.items[] | select(.state == "approved")][0].id' "$work/plans.json")
"$bin" plan show "$plan_id" --db "sqlite:$db" --lang en >"$work/plan.txt"
check "ucsc plan show: R3 status and R4 completeness" bash -c "grep -q '^  R3: ' $work/plan.txt && grep -q 'R4: every mandatory section written' $work/plan.txt"
"$bin" plan document "$plan_id" --db "sqlite:$db" --out "$work/plan.docx" >/dev/null
check "ucsc plan document: a Kế hoạch as DOCX" bash -c "unzip -p $work/plan.docx word/document.xml | grep -q 'KẾ HOẠCH'"
"$bin" drill list --db "sqlite:$db" --json >"$work/drills.json"
check "ucsc drill list: one drill still planned (20/12/2026)" \
  jq -e '[.items[] | select(.state == "planned")] | length == 1' "$work/drills.json"
check "ucsc drill list: one tabletop exercise" jq -e '[.items[] | select(.kind == "tabletop")] | length == 1' "$work/drills.json"
drill_id=$(jq -r '[.items[] | select(.state == "closed" and .kind == "live_fire")][0].id' "$work/drills.json")
"$bin" drill show "$drill_id" --db "sqlite:$db" --json >"$work/drill.json"
check "ucsc drill show: findings of process, technology and people, R5 per system" \
  jq -e '([.findings[].category] | sort) == ["people", "process", "technology"] and (.r5 | length) == 1' "$work/drill.json"
"$bin" drill report "$drill_id" --db "sqlite:$db" --out "$work/drill.docx" >/dev/null
check "ucsc drill report: a Báo cáo as DOCX" bash -c "unzip -p $work/drill.docx word/document.xml | grep -q 'BÁO CÁO'"
mkdir -p "$work/badpack" && cp "$src/data/rulepacks/vn-2022.yaml" "$work/badpack/"
sed 's/kind: rolling_window/kind: fortnightly/' "$src/data/rulepacks/vn-2026.yaml" >"$work/badpack/vn-2026.yaml"
check "a pack with an unknown kind is refused with file:line" \
  bash -c "! $bin compliance check-packs $work/badpack 2>$work/bp.err && grep -q 'vn-2026.yaml:[0-9]*: unknown kind' $work/bp.err"
"$bin" compliance report --db "sqlite:$db" --at 2026-12-31 --out "$work/bc.docx" >/dev/null
check "compliance report as DOCX" bash -c "unzip -p $work/bc.docx word/document.xml | grep -q 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'"
"$bin" compliance level-report --db "sqlite:$db" --org "Sở Y tế" --year 2026 --out "$work/lr.docx" >/dev/null
check "level-security report (R23) as DOCX" bash -c "unzip -p $work/lr.docx word/document.xml | grep -q 'Thông tư số 12/2022/TT-BTTTT'"
check "a report with an unknown extension is refused" bash -c "! $bin compliance report --db sqlite:$db --out $work/x.txt 2>/dev/null"

# ---- incidents (issue 14): ucsc incident create|list|show|document|summary ----
syt=$(sqlite3 "$db" "select id from organisations where doc like '%\"name\":\"Sở Y tế\"%' limit 1")
syt_sys=$(sqlite3 "$db" "select id from systems where owner_org_id='$syt' limit 1")
cat >"$work/incident.json" <<JSON
{"title": "Mã độc tống tiền cổng thông tin", "description": "Máy chủ bị mã hóa dữ liệu",
 "type": "encryption", "detected_at": "2026-01-05T01:00:00Z",
 "affected_systems": [{"system_id": "$syt_sys"}],
 "notification": {"reporter": {"name": "Sở Y tế", "address": "12 Lê Lợi"},
                  "operator_name": "Trung tâm CNTT Sở Y tế", "handling_result": "Đã cô lập"}}
JSON
incidents_before=$(count "$db" incidents)
"$bin" incident create --db "sqlite:$db" --from "$work/incident.json" --org "$syt" --json >"$work/inc.json"
inc_id=$(jq -r .id "$work/inc.json")
check "incident create stores one incident from the JSON file" \
  test "$(count "$db" incidents)" -eq $((incidents_before + 1))
check "incident list --json has it" bash -c "'$bin' incident list --db 'sqlite:$db' --json | jq -e --arg id '$inc_id' '.items | map(.id) | index(\$id)' >/dev/null"
check "incident list in English" bash -c "'$bin' incident list --db 'sqlite:$db' --lang en | grep -q 'incident(s)'"
check "incident show: R8 overdue since 10/01/2026, in Vietnamese" \
  bash -c "'$bin' incident show '$inc_id' --db 'sqlite:$db' --lang vi | grep -q 'QUÁ HẠN.*R8.*10/01/2026'"
check "incident show --json lists the clocks with their rules" \
  bash -c "'$bin' incident show '$inc_id' --db 'sqlite:$db' --json | jq -e '.clocks | map(.rule) | index(\"R8\")' >/dev/null"
"$bin" incident document "$inc_id" --db "sqlite:$db" --form notification --out "$work/tb.docx" >/dev/null
check "incident document: the notification as DOCX in the Decree 30 layout" \
  bash -c "unzip -p '$work/tb.docx' word/document.xml | grep -q 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' && unzip -p '$work/tb.docx' word/document.xml | grep -q 'Trung tâm CNTT Sở Y tế'"
check "incident document: Form 03 refused, naming the missing fields" \
  bash -c "! '$bin' incident document '$inc_id' --db 'sqlite:$db' --form form03 --out '$work/f3.docx' 2>'$work/f3.err' && grep -q '/initial_report/contact/name' '$work/f3.err' && test ! -e '$work/f3.docx'"
check "incident document: an unknown form is refused" \
  bash -c "! '$bin' incident document '$inc_id' --db 'sqlite:$db' --form form99 --out '$work/x.docx' 2>/dev/null"
# Form 05 (R16): the incident of 05/01/2026 is in the first half of 2026 (16/12/2025 .. 20/6/2026).
"$bin" incident summary --db "sqlite:$db" --year 2026 --half 1 --out "$work/f5.json" >/dev/null
check "incident summary: the province's H1 2026 Form 05 counts the encryption incident" \
  bash -c "jq -e '.period.from == \"2025-12-16\" and .period.to == \"2026-06-20\" and (.rows[] | select(.type == \"encryption\") | .count) >= 1' '$work/f5.json' >/dev/null"
"$bin" incident summary --db "sqlite:$db" --year 2026 --half 1 --org "$syt" --out "$work/f5.docx" >/dev/null
check "incident summary: Form 05 of Sở Y tế as DOCX in the Decree 30 layout" \
  bash -c "unzip -p '$work/f5.docx' word/document.xml | grep -q 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' && unzip -p '$work/f5.docx' word/document.xml | grep -q 'Tổng cộng'"
check "incident summary: a bad half is refused" \
  bash -c "! '$bin' incident summary --db 'sqlite:$db' --year 2026 --half 3 --out '$work/x.docx' 2>/dev/null"

# ---- report import into findings (issue 6 point 4) and R6 ----
# A Nuclei report on the vCenter server of the provincial data centre (10.10.16.232 in the demo
# inventory) naming a KEV-listed CVE, and a host no asset has.
cat >"$work/nuclei.jsonl" <<'JSONL'
{"template-id":"CVE-2023-20198","info":{"name":"Cisco IOS XE web UI privilege escalation","severity":"critical","classification":{"cve-id":["cve-2023-20198"],"cvss-score":10.0}},"type":"http","host":"https://10.10.16.232:443","ip":"10.10.16.232","port":"443","matched-at":"https://10.10.16.232:443/webui"}
{"template-id":"tech-detect","info":{"name":"nginx","severity":"info","classification":{"cve-id":null}},"type":"http","host":"http://192.0.2.77","ip":"192.0.2.77","port":"80","matched-at":"http://192.0.2.77/"}
JSONL
# The KEV entry as CISA publishes it (catalogue 2025.08.25), kept here so the test needs nothing
# outside the project.
kev_file=$work/kev.json
cat >"$kev_file" <<'JSON'
{"title":"CISA Catalog of Known Exploited Vulnerabilities","catalogVersion":"2025.08.25","count":1,
 "vulnerabilities":[{"cveID":"CVE-2023-20198","vendorProject":"Cisco","product":"IOS XE Web UI",
 "vulnerabilityName":"Cisco IOS XE Web UI Privilege Escalation Vulnerability",
 "dateAdded":"2023-10-16","dueDate":"2023-10-20","knownRansomwareCampaignUse":"Unknown"}]}
JSON
UCSC_EVIDENCE_DIR="$work/evidence" "$bin" import nuclei "$work/nuclei.jsonl" --db "sqlite:$db" \
  --by-address --kev "$kev_file" --lang en >"$work/imp.out" 2>"$work/imp.err" || true
check "import --by-address stores the KEV finding and opens the two R6 tasks" \
  grep -q '1 new, 0 still open, 0 reopened, 0 fixed, 2 R6 tasks; evidence' "$work/imp.out"
check "import names the host no asset has" grep -q '192.0.2.77' "$work/imp.err"
check "the imported finding is stored" \
  test "$(sqlite3 "$db" "SELECT COUNT(*) FROM findings WHERE parent_id = 'CVE-2023-20198'")" -eq 1
UCSC_EVIDENCE_DIR="$work/evidence" "$bin" import nuclei "$work/nuclei.jsonl" --db "sqlite:$db" \
  --by-address --kev "$kev_file" --lang en >"$work/imp2.out" 2>/dev/null || true
check "a second import of the same report finds it still open, no new tasks" \
  grep -q '0 new, 1 still open, 0 reopened, 0 fixed, 0 R6 tasks' "$work/imp2.out"

# ---- signed Sigma rule bundles (issue 5 point 6) ----
mkdir -p "$work/sig/win"
printf 'title: Bundle test\nlogsource: {product: windows, category: process_creation}\ndetection:\n  sel: {Image|endswith: x.exe}\n  condition: sel\n' >"$work/sig/win/t.yml"
"$bin" sigma bundle keygen "$work/prov" >/dev/null
"$bin" sigma bundle keygen "$work/other" >/dev/null
"$bin" sigma bundle create --key "$work/prov.key" --out "$work/r.bundle" "$work/sig" >/dev/null
check "the bundle's secret key is owner-only" test "$(stat -c %a "$work/prov.key")" = 600
check "a signed bundle installs" bash -c "'$bin' sigma bundle install --pubkey '$work/prov.pub' '$work/r.bundle' '$work/installed' >/dev/null && test -f '$work/installed/win/t.yml'"
check "a bundle checked with another key is refused and the rules stay" bash -c "! '$bin' sigma bundle install --pubkey '$work/other.pub' '$work/r.bundle' '$work/installed' 2>/dev/null && test -f '$work/installed/win/t.yml'"

# ---- IOC sweeps (issue 5 point 5) ----
printf '# feed\nhxxp://evil[.]example/x\n203.0.113.9\nnot-an-ioc\n' >"$work/iocs.txt"
printf '%s\n' '{"DestinationIp":"203.0.113.9"}' '{"CommandLine":"curl http://evil.example/x/y"}' \
  '{"DestinationIp":"203.0.113.10"}' >"$work/ioc-events.jsonl"
"$bin" hunt --ioc "$work/iocs.txt" --input "$work/ioc-events.jsonl" --stats --no-cache \
  >"$work/ioc.out" 2>"$work/ioc.err"
check "hunt --ioc finds the address and the refanged URL, naming each indicator" \
  test "$(jq -r '"\(.record) \(.ioc.type) \(.ioc.value) \(.ioc.field)"' "$work/ioc.out" | tr '\n' ';')" \
  = "1 ipv4 203.0.113.9 DestinationIp;2 url http://evil.example/x CommandLine;"
check "hunt --ioc --stats names the rejected line" grep -q 'ioc rejected .*iocs.txt:4: cannot tell the type' "$work/ioc.err"

port=$(free_port)
"$bin" serve --db "sqlite:$db" --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
pids+=("$server")
base="http://127.0.0.1:$port"
check "server answers /healthz" wait_up "$base/healthz"

login=$(curl -s -D "$work/h" -H 'Content-Type: application/json' \
  -d "{\"username\":\"dieuphoi\",\"password\":\"$pw\"}" "$base/api/v1/auth/login")
cookie=$(tr -d '\r' <"$work/h" | sed -n 's/^[Ss]et-[Cc]ookie: ucsc_session=\([^;]*\);.*/\1/p')
csrf=$(jq -r .csrf_token <<<"$login")
check "login sets an HttpOnly SameSite=Strict cookie" grep -qi 'HttpOnly; SameSite=Strict' "$work/h"
# Walk every page of /api/v1/systems.
total=0
cursor=""
for _ in $(seq 20); do
  page=$(curl -s -H "Cookie: ucsc_session=$cookie" "$base/api/v1/systems?limit=50${cursor:+&cursor=$cursor}")
  total=$((total + $(jq '.items | length' <<<"$page")))
  cursor=$(jq -r '.next_cursor // empty' <<<"$page")
  [[ -z $cursor ]] && break
done
check "GET /api/v1/systems pages through every demo system" test "$total" -eq "$(count "$db" systems)"
check "search is diacritic-insensitive" test "$(curl -s -H "Cookie: ucsc_session=$cookie" \
  "$base/api/v1/organisations?q=so%20y%20te" | jq -r '.items[0].name')" = "Sở Y tế"

# ---- bad input: each a clean 4xx, server up, database unchanged ----
before=$(sqlite3 "$db" "select count(*) from organisations; select count(*) from systems; select max(seq) from audit_log")
status() { curl -s -o "$work/body" -w '%{http_code}' "$@"; }
auth=(-H "Cookie: ucsc_session=$cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json')
# The coordinator still holds a one-time password: writes are refused until it is changed.
check "one-time password: writes refused (403)" test "$(status "${auth[@]}" -d '{"name":"x","type":"agency"}' "$base/api/v1/organisations")" = 403
newpw="Đổi-mật-khẩu-2026!"
check "password change → 204" test "$(status "${auth[@]}" -d "{\"current_password\":\"$pw\",\"new_password\":\"$newpw\"}" "$base/api/v1/me/password")" = 204
before=$(sqlite3 "$db" "select count(*) from organisations; select count(*) from systems")
check "malformed JSON → 400" test "$(status "${auth[@]}" -d '{"name":' "$base/api/v1/organisations")" = 400
head -c 10485760 /dev/zero | tr '\0' 'a' >"$work/big"
check "10 MB body → 413" test "$(status "${auth[@]}" --data-binary @"$work/big" "$base/api/v1/organisations")" = 413
deep=$(python3 -c 'print("{\"name\":" + "["*200 + "]"*200 + "}")')
check "deep nesting → 400" test "$(status "${auth[@]}" -d "$deep" "$base/api/v1/organisations")" = 400
check "wrong type → 400 naming /level" bash -c "test \"\$(curl -s -o $work/b2 -w '%{http_code}' $(printf '%q ' "${auth[@]}") -d '{\"name\":\"x\",\"owner_org_id\":\"y\",\"level\":\"3\"}' $base/api/v1/systems)\" = 400 && jq -e '.errors[0].pointer == \"/level\"' $work/b2 >/dev/null"
check "unknown field → 400" test "$(status "${auth[@]}" -d '{"name":"x","type":"agency","colour":"red"}' "$base/api/v1/organisations")" = 400
check "SQL metacharacters in a search are literal" test "$(curl -s -H "Cookie: ucsc_session=$cookie" \
  "$base/api/v1/systems?q=%27%3B%20DROP%20TABLE%20systems%3B%20--" | jq '.items | length')" = 0
check "unknown id → 404" test "$(status -H "Cookie: ucsc_session=$cookie" "$base/api/v1/systems/01234567-0000-7000-8000-000000000000")" = 404
check "missing CSRF token → 403" test "$(status -H "Cookie: ucsc_session=$cookie" -H 'Content-Type: application/json' -d '{"name":"x","type":"agency"}' "$base/api/v1/organisations")" = 403
check "compliance API: overdue rows at 31/12/2026" test "$(curl -s -H "Cookie: ucsc_session=$cookie" "$base/api/v1/compliance/status?at=2026-12-31&state=overdue&limit=5" | jq '.items | length')" = 5
check "forged session → 401" test "$(status -H "Cookie: ucsc_session=forged" "$base/api/v1/systems")" = 401
check "no session → 401" test "$(status "$base/api/v1/systems")" = 401
sysid=$(curl -s -H "Cookie: ucsc_session=$cookie" "$base/api/v1/systems?limit=1" | jq -r '.items[0].id')
check "PATCH without If-Match → 428" test "$(status "${auth[@]}" -X PATCH -d '{"level":3}' "$base/api/v1/systems/$sysid")" = 428
check "PATCH with a stale If-Match → 412" test "$(status "${auth[@]}" -X PATCH -H 'If-Match: "999"' -d '{"level":3}' "$base/api/v1/systems/$sysid")" = 412
after=$(sqlite3 "$db" "select count(*) from organisations; select count(*) from systems")
check "database unchanged by the bad requests" test "$before" = "$after"
check "server still up after bad input" wait_up "$base/healthz"
check "metrics are served on loopback" bash -c "curl -s $base/metrics | grep -q ucsc_http_requests_total"

# ---- graceful shutdown ----
kill -TERM "$server"
stopped=1
for _ in $(seq 50); do
  if ! kill -0 "$server" 2>/dev/null; then stopped=0; break; fi
  sleep 0.1
done
wait "$server"
code=$?
check "SIGTERM stops the server within 5 s with exit 0" test "$stopped" -eq 0 -a "$code" -eq 0
check "shutdown is logged as JSON" bash -c "grep -q '\"msg\":\"stopped\"' $work/serve.log"

# ---- backup / restore round trip ----
"$bin" backup --db "sqlite:$db" "$work/backup.jsonl" >/dev/null
"$bin" restore --db "sqlite:$work/restored.db" "$work/backup.jsonl" >/dev/null
same=1
for t in organisations systems assets contacts ir_team_members users audit_log; do
  [[ $(count "$db" $t) == $(count "$work/restored.db" $t) ]] || same=0
done
check "backup → restore keeps every row" test "$same" -eq 1
check "restored audit chain verifies" "$bin" audit verify --db "sqlite:$work/restored.db"
if [[ -n ${UCSC_TEST_PG:-} ]]; then
  schema="e2e_$$"
  psql -q "$UCSC_TEST_PG" -c "CREATE SCHEMA $schema" >/dev/null
  pgurl="$UCSC_TEST_PG?options=-csearch_path%3D$schema"
  "$bin" restore --db "$pgurl" "$work/backup.jsonl" >/dev/null
  check "SQLite backup restores into PostgreSQL" test "$(psql -tA "$pgurl" -c 'select count(*) from systems')" = "$(count "$db" systems)"
  check "audit chain verifies on PostgreSQL" "$bin" audit verify --db "$pgurl"
  psql -q "$UCSC_TEST_PG" -c "DROP SCHEMA $schema CASCADE" >/dev/null
fi

# ---- audit tampering is detected ----
check "untouched audit log verifies" "$bin" audit verify --db "sqlite:$db"
cp "$db" "$work/t1.db"
sqlite3 "$work/t1.db" "update audit_log set after_json = '{}' where seq = 5"
"$bin" audit verify --db "sqlite:$work/t1.db" >"$work/v1" 2>&1
code=$?
check "an edited audit record is detected (exit 3)" bash -c "test $code -eq 3 && grep -q 'record 5 was altered' $work/v1"
cp "$db" "$work/t2.db"
sqlite3 "$work/t2.db" "delete from audit_log where seq = 7"
"$bin" audit verify --db "sqlite:$work/t2.db" >"$work/v2" 2>&1
code=$?
check "a deleted audit record is detected (exit 3)" bash -c "test $code -eq 3 && grep -q 'missing' $work/v2"

# ---- bulk import with bad rows: nothing imported, every row reported ----
mkdir -p "$work/bad"
cat >"$work/bad/systems.csv" <<'CSV'
key,name,owner_key,operator_key,level,decision_no,decision_date,approver,national_important,public_endpoints,description
ok1,Hệ thống tốt,Sở Y tế,,2,,,,false,,
bad1,Cấp độ sai,Sở Y tế,,7,,,,false,,
bad2,Chủ quản không có,khong-ton-tai,,3,,,,false,,
CSV
before=$(count "$db" systems)
"$bin" import inventory --db "sqlite:$db" "$work/bad" >"$work/imp.out" 2>"$work/imp.err"
code=$?
check "import with bad rows exits non-zero" test "$code" -ne 0
check "import reports each bad row with its line" bash -c "grep -q ':3:' $work/imp.err && grep -q ':4:' $work/imp.err"
check "import with bad rows writes nothing" test "$(count "$db" systems)" = "$before"
"$bin" import inventory --db "sqlite:$db" --partial "$work/bad" >/dev/null 2>&1
check "--partial imports the good row" test "$(count "$db" systems)" = "$((before + 1))"

# ---- hunt (issue 5): a Sigma correlation over low-level detections and a Sigma filter ----
corr=$src/tests/hunt/data/correlation
"$bin" hunt --rules "$corr/e2e.yml" --input "$corr/e2e.jsonl" --no-cache --stats \
  >"$work/hunt.out" 2>"$work/hunt.err"
check "hunt: one correlation line for alice with three records" \
  jq -se '[.[] | select(.correlation_type == "event_count")] | length == 1 and .[0].group.TargetUserName == "alice" and (.[0].records | length) == 3 and .[0].count == 3' "$work/hunt.out"
check "hunt: base rule silent (generate: false), filter drops svc_*, plain rule printed" \
  jq -se '[.[] | select(.correlation_type == null)] | length == 1 and .[0].rule_title == "Successful logon"' "$work/hunt.out"
check "hunt --stats counts correlation and filtered detections" \
  grep -q 'correlation detections 1, filtered by Sigma filters 3' "$work/hunt.err"
"$bin" hunt --rules "$corr/e2e.yml" --input "$corr/e2e.jsonl" --no-cache --min-level high >"$work/hunt-high.out"
check "hunt --min-level high keeps the low base rule of the high correlation" \
  jq -se 'length == 1 and .[0].correlation_type == "event_count"' "$work/hunt-high.out"
gzip -c "$corr/e2e.jsonl" | "$bin" hunt --rules "$corr/e2e.yml" --input - --no-cache >"$work/hunt-stdin.out"
check "hunt reads gzip-compressed JSON lines from stdin, format by content" \
  bash -c "jq -c 'del(.input, .records)' '$work/hunt.out' > '$work/a' && jq -c 'del(.input, .records)' '$work/hunt-stdin.out' > '$work/b' && test -s '$work/a' && cmp -s '$work/a' '$work/b'"
evtx_sample="$src/../shared/data/evtx/security.evtx"
if shared_data "$evtx_sample"; then
  "$bin" hunt --parse-only --input "$evtx_sample" --stats 2>"$work/evtx-file.err" >/dev/null
  zstd -qc "$evtx_sample" | "$bin" hunt --parse-only --input - --stats 2>"$work/evtx-stdin.err" >/dev/null
  check "hunt reads zstd-compressed EVTX from stdin: the same events as the file" \
    bash -c "grep -q 'events 2261,' '$work/evtx-stdin.err' && grep -q 'events 2261,' '$work/evtx-file.err'"
fi

# ---- TLS, config file and environment ----
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" \
  -days 1 -subj "/CN=localhost" >/dev/null 2>&1
port=$(free_port)
cat >"$work/config.json" <<JSON
{"listen": "127.0.0.1:1", "tls_cert": "$work/cert.pem", "tls_key": "$work/key.pem", "workers": 1}
JSON
UCSC_LISTEN="127.0.0.1:$port" "$bin" serve --db "sqlite:$db" --config "$work/config.json" >"$work/tls.log" 2>&1 &
pids+=($!)
check "HTTPS with the config file's certificate, port from UCSC_LISTEN" wait_up "https://127.0.0.1:$port/healthz"
curl -sk -D "$work/th" -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"username\":\"dieuphoi\",\"password\":\"$newpw\"}" "https://127.0.0.1:$port/api/v1/auth/login"
check "HSTS header over TLS" grep -qi '^strict-transport-security' "$work/th"
check "session cookie is Secure over TLS" grep -qi 'ucsc_session=.*; Secure' "$work/th"
check "plain HTTP is not served on the TLS port" bash -c "! curl -sf http://127.0.0.1:$port/healthz >/dev/null 2>&1"
check "a bad config key is refused" bash -c "echo '{\"colour\":1}' > $work/bad.json && ! $bin serve --db sqlite:$db --config $work/bad.json >/dev/null 2>&1"
check "a finding SLA of 0 days is refused, naming the key" bash -c "echo '{\"finding_sla\":{\"critical_days\":0}}' > $work/sla.json && ! $bin serve --db sqlite:$db --config $work/sla.json 2>$work/sla.err >/dev/null; grep -q critical_days $work/sla.err"

echo "$passed passed, $failed failed"
test "$failed" -eq 0
