#!/usr/bin/env bash
# .ci/run must fail when any of the README's test runs fails, and pass when
# all do. Run with stand-ins for cmake and dpkg, so nothing is built or
# installed: `ci_run_fails_with_tests.sh <source dir>`.
set -u
top=$1
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT
# dpkg: every package is installed, so .ci/run installs nothing.
printf '#!/bin/sh\nexit 0\n' >"$fake/dpkg"
# cmake: fails the workflow named in $FAIL_PRESET, succeeds otherwise.
cat >"$fake/cmake" <<'SH'
#!/bin/sh
case " $* " in *" --preset $FAIL_PRESET "*) exit 1 ;; esac
exit 0
SH
chmod +x "$fake/dpkg" "$fake/cmake"

status=0
for preset in test test-tsan test-asan; do
  if FAIL_PRESET=$preset PATH="$fake:$PATH" "$top/.ci/run" >/dev/null 2>&1; then
    echo "FAIL: .ci/run passed although the $preset workflow failed"
    status=1
  fi
done
if ! FAIL_PRESET=none PATH="$fake:$PATH" "$top/.ci/run" >/dev/null 2>&1; then
  echo "FAIL: .ci/run failed although every step passed"
  status=1
fi
exit $status
