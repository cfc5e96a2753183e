#!/usr/bin/env bash
# HAProxy's own regression tests (VTest scripts of HAProxy 2.6, kept outside this repository in
# ../shared/regtests) run against the packaged haquark.
#
#   src/test/regtests/run.sh                 # the must-pass list (what CI runs): all must pass
#   src/test/regtests/run.sh public          # every public test, to measure (failures expected)
#   src/test/regtests/run.sh my-list.txt     # a list of your own (paths as in public.txt)
#
# The program under test is a snapshot of bin/haquark + target/quarkus-app, so rebuilding while
# the tests run cannot change what they run. HAQUARK_REGTESTS points at another copy of the suite;
# RETRY, TIMEOUT_S and LOGDIR are passed on to the suite's run.sh.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
suite="${HAQUARK_REGTESTS:-$root/../shared/regtests}"
if [ ! -x "$suite/run.sh" ]; then
  echo "SKIPPED: HAProxy's reg-tests: $suite/run.sh not found (the suite is not part of this repository; set HAQUARK_REGTESTS)"
  exit 0
fi
case "${1:-}" in
  "") list="$here/must-pass.txt" ;;
  public) list="$suite/public.txt" ;;
  *) list="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" ;;
esac
if [ ! -f "$root/target/quarkus-app/quarkus-run.jar" ]; then
  (cd "$root" && ./mvnw -B package -DskipTests) || exit 2
fi
snap="$(mktemp -d)"
trap 'rm -rf "$snap"' EXIT
mkdir -p "$snap/bin" "$snap/target"
cp "$root/bin/haquark" "$snap/bin/"
cp -r "$root/target/quarkus-app" "$snap/target/"
# The list file: one test per line, '#' starts a comment (run.sh reads it the same way).
"$suite/run.sh" "$snap/bin/haquark" "$list"
