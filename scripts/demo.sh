#!/usr/bin/env bash
# The main job: set up what is missing, then create (or reopen) a SQLite desk
# at ./servicedesk.db with a demo center, clients and staff, and print them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec "${BUILD_DIR:-build}/examples/sdctl" --db "${SERVICEDESK_DB:-servicedesk.db}" demo "$@"
