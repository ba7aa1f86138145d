#!/usr/bin/env bash
# Every test: set up what is missing, build, then run the C++, C, Python and
# CLI tests through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j 2 "$@"
