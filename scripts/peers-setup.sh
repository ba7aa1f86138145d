#!/usr/bin/env bash
# Installs the peer libraries that benchmarks/peers/ compares against into
# .peers/ (gitignored). Idempotent: quiet and quick when they are present.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="${root}/.peers"
want_dayjs="1.11.13"
want_bt="1.0.4"

have() {  # have PACKAGE VERSION
  local pj="${prefix}/node_modules/$1/package.json"
  [[ -f "${pj}" ]] && grep -q "\"version\": \"$2\"" "${pj}"
}

if have dayjs "${want_dayjs}" && have dayjs-business-time "${want_bt}"; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "peers-setup: npm not found (Debian: apt-get install -y npm)" >&2
  exit 1
fi
mkdir -p "${prefix}"
npm install --prefix "${prefix}" --no-audit --no-fund --silent --save-exact \
  "dayjs@${want_dayjs}" "dayjs-business-time@${want_bt}" >/dev/null
echo "peers-setup: installed dayjs@${want_dayjs} dayjs-business-time@${want_bt} into ${prefix}"
