# ucsc: the everyday entry points. Every target but `format` first runs scripts/bootstrap,
# which installs missing Debian packages (a no-op, in well under a second, when all are there).
#
#   make build   Release build in build/
#   make run     build, create ./var/ucsc.db with demo data once, serve on 127.0.0.1:8080
#   make test    build + ctest (with a throw-away PostgreSQL), ASan+UBSan unit tests (clang),
#                fuzz smoke (about 2 minutes), format check, header self-containment,
#                clang-tidy on the changed .cc files (TIDY_BASE, default origin/main or HEAD~1)
#   make fuzz    longer fuzzing: FUZZ_SECONDS (default 300) per target
#   make bench   build the Google Benchmark binaries in build-bench/ (running them: bench/README.md)
#   make format  clang-format -i every *.h / *.cc under src tests fuzz bench
#   make clean   remove the build directories (distclean: also ./var)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.ONESHELL:
.DEFAULT_GOAL := build

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 300
DB := sqlite:./var/ucsc.db
LISTEN ?= 127.0.0.1:8080

# ccache is picked up by CMakeLists.txt; a base dir makes hits independent of the checkout path.
export CCACHE_BASEDIR := $(CURDIR)
MAKEFLAGS += --no-print-directory

.PHONY: bootstrap build run test fuzz bench format clean distclean

bootstrap:
	@scripts/bootstrap --quiet

build: bootstrap
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
	cmake --build build -j$(JOBS)
	web/scripts/build

run: build
	@mkdir -p var
	if [[ ! -e var/ucsc.db ]]; then
	  # The one-time passwords are kept (owner-only) so that a later `make run` can show them.
	  umask 077
	  ./build/ucsc demo init --db $(DB) >var/demo-credentials.txt || { rm -f var/ucsc.db; exit 1; }
	fi
	cat var/demo-credentials.txt 2>/dev/null || true
	echo "ucsc: http://$(LISTEN)/  (API: http://$(LISTEN)/api/v1/openapi.json; stop with Ctrl-C)"
	# Hunts use the SigmaHQ rules shipped beside the project when no rule set is configured.
	if [[ -z $${UCSC_SIGMA_RULES:-} && ! -d data/sigma/rules && -d ../shared/data/sigma/rules ]]; then
	  export UCSC_SIGMA_RULES=../shared/data/sigma/rules
	fi
	# Scan findings use the NVD subset and KEV catalogue beside the project unless configured.
	if [[ -z $${UCSC_NVD:-} && -f ../shared/data/nvd/nvd-subset.json.zst ]]; then
	  export UCSC_NVD=../shared/data/nvd/nvd-subset.json.zst
	  export UCSC_KEV=$${UCSC_KEV:-../shared/data/kev/known_exploited_vulnerabilities.json}
	fi
	exec ./build/ucsc serve --db $(DB) --listen $(LISTEN)

# Stages after the build all run; the target fails if any of them failed.
test: build
	@failed=()
	passed_n=0; failed_n=0
	count() {  # count LOG: add ctest's "N% tests passed, F tests failed out of T" to the sums
	  local line t f
	  line=$$(grep -E '[0-9]+ tests failed out of [0-9]+' "$$1" | tail -n1 || true)
	  [[ -n $$line ]] || return 0
	  f=$$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$$line")
	  t=$$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$$line")
	  passed_n=$$((passed_n + t - f)); failed_n=$$((failed_n + f))
	}
	echo "== ctest (Release, with a throw-away PostgreSQL)"
	scripts/pg-test run -- ctest --test-dir build --output-on-failure -j2 2>&1 \
	  | tee build/ctest.log || failed+=("ctest")
	count build/ctest.log
	echo "== ASan+UBSan build (clang, Debug) and unit tests"
	if cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DUCSC_SANITIZE=ON \
	     -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null \
	   && cmake --build build-asan -j$(JOBS); then
	  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    scripts/pg-test run -- ctest --test-dir build-asan -L unit --output-on-failure -j2 2>&1 \
	    | tee build-asan/ctest.log || failed+=("ctest-asan")
	  count build-asan/ctest.log
	else
	  failed+=("build-asan")
	fi
	echo "== web unit tests (vitest)"
	web/scripts/test unit 2>&1 | tee build/web-unit.log || failed+=("web-unit")
	count build/web-unit.log
	echo "== web browser tests (playwright-core, Debian chromium, real ucsc serve)"
	web/scripts/test e2e 2>&1 | tee build/web-e2e.log || failed+=("web-e2e")
	count build/web-e2e.log
	echo "== fuzz smoke"
	scripts/fuzz-smoke || failed+=("fuzz-smoke")
	echo "== format check"
	scripts/format-check || failed+=("format-check")
	echo "== header self-containment (every src/**/*.h compiled alone)"
	scripts/check-headers || failed+=("check-headers")
	echo "== clang-tidy on the .cc files changed against $${TIDY_BASE:-origin/main or HEAD~1}"
	scripts/tidy-changed || failed+=("tidy-changed")
	echo
	echo "$$passed_n passed, $$failed_n failed"
	if (( $${#failed[@]} > 0 )); then
	  echo "make test: FAILED: $${failed[*]}" >&2
	  exit 1
	fi
	echo "make test: all stages passed"

fuzz: bootstrap
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz-smoke

bench: bootstrap
	@cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DUCSC_BUILD_BENCHMARKS=ON \
	  -DUCSC_BUILD_TESTS=OFF
	cmake --build build-bench -j$(JOBS)
	echo "benchmarks built in build-bench/; see bench/README.md to run them"

format:
	@dirs=(); for d in src tests fuzz bench; do [[ -d $$d ]] && dirs+=("$$d"); done
	(( $${#dirs[@]} > 0 )) || exit 0
	find "$${dirs[@]}" -type f \( -name '*.h' -o -name '*.cc' \) -print0 | xargs -0 -r clang-format -i

clean:
	rm -rf build build-asan build-fuzz build-bench fuzz/out

distclean: clean
	rm -rf var
