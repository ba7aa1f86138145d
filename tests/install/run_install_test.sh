#!/usr/bin/env bash
# Installs the build tree into a scratch prefix, then builds and runs a
# consumer project against it with find_package(servicedesk) and with
# pkg-config.
set -euo pipefail
build=$1
src=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src/consumer" -B "$work/consumer" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/consumer" >/dev/null
LD_LIBRARY_PATH="$work/prefix/lib:$work/prefix/lib/x86_64-linux-gnu" "$work/consumer/consumer" | grep -q "created center-1 MSK-01"
# pkg-config: compile flags and link line from the installed .pc file.
pc_dir=$(dirname "$(find "$work/prefix" -name servicedesk.pc | head -n 1)")
PKG_CONFIG_PATH="$pc_dir" pkg-config --exists servicedesk
c++ -std=c++17 "$src/consumer/main.cc" -o "$work/pc_consumer" \
  $(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs servicedesk) \
  -Wl,-rpath,"$(PKG_CONFIG_PATH="$pc_dir" pkg-config --variable=libdir servicedesk)"
"$work/pc_consumer" | grep -q "created center-1 MSK-01"
# The Python package, installed beside the library, imports with Debian's python3.
init=$(find "$work/prefix" -path '*dist-packages/servicedesk/__init__.py' | head -n 1)
[ -n "$init" ] && PYTHONPATH=$(dirname "$(dirname "$init")") /usr/bin/python3 -c "
import servicedesk, datetime
cal = servicedesk.BusinessCalendar('Europe/Moscow', {d: [('09:00', '18:00')] for d in range(5)})
start = datetime.datetime(2007, 1, 1, 22, 0, tzinfo=datetime.timezone.utc)
assert cal.add(start, datetime.timedelta(minutes=120)) == datetime.datetime(2007, 1, 2, 8, 0, tzinfo=datetime.timezone.utc)
"
# The installed sdctl finds the library beside it, without LD_LIBRARY_PATH.
(cd "$work" && env -u LD_LIBRARY_PATH "$work/prefix/bin/sdctl" --db memory: \
  calendars years | grep -q 2024)
# The CMake package asks only for what its interface uses: no SQLiteCpp.
config=$(find "$work/prefix" -name servicedeskConfig.cmake | head -n 1)
if [ -z "$config" ] || grep -q "find_dependency(SQLiteCpp" "$config"; then
  echo "servicedeskConfig.cmake missing or asks for SQLiteCpp" >&2
  exit 1
fi
# Only sd_* and servicedesk:: symbols are exported.
lib=$(find "$work/prefix" -name 'libservicedesk.so.*.*' | head -n 1)
leaked=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v '^sd_' | c++filt |
  grep -v 'servicedesk' | grep -v '^SERVICEDESK_' || true)
if [ -n "$leaked" ]; then
  echo "exported symbols outside sd_/servicedesk::" >&2
  echo "$leaked" | head -20 >&2
  exit 1
fi
echo "install test: find_package, pkg-config, installed sdctl and symbol visibility OK"
