# Sourced by the shell tests that read ../shared/data; the C++ tests use tests/shared_data.h.
# Needs the sourcing script's `check NAME COMMAND...`.
#
#   if shared_data "$file"...; then <checks that read it>; fi
#
# shared_data PATH...: true when every PATH exists. Otherwise it names the first missing one and
# is false; under CI=true the missing data is also a failed check (CI has ../shared/data, so a
# test that needs it fails instead of skipping).
shared_data() {
  local path
  for path in "$@"; do
    [[ -e $path ]] && continue
    if [[ ${CI:-} == true ]]; then
      check "shared data present (CI=true, so not skipped): $path" false
    else
      echo "skip: shared data missing: $path"
    fi
    return 1
  done
}
