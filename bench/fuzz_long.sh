#!/usr/bin/env bash
# The long fuzz run (docs/fuzzing.md): the property tests of tests/test_fuzz_readers.py with
# HYPOTHESIS_PROFILE=long (40 times the examples of `make test`, failures shrunk to small examples),
# at the lowest CPU priority. Extra arguments go to pytest (e.g. -k csv, -x).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
status=0
HYPOTHESIS_PROFILE=long nice -n 19 .venv/bin/pytest -q -s -p no:cacheprovider \
    -W ignore::hypothesis.errors.HypothesisWarning \
    tests/test_fuzz_readers.py -k "never_crash or fuzzed or exit_code" "$@" || status=$?
echo "fuzz_long: exit $status after $(( $(date +%s) - start )) s"
exit "$status"
