#!/usr/bin/env bash
# send_event and start-up against the real upstream openedx-events 11.2.0 (issue 12, goals 2, 3
# and 5), measured in the same run; see tests/bench/README.md.
#   tests/bench/run_send.sh [send|startup] [build-dir] [-- options of the Python script]
#     send     (default) upstream_send.py: upstream send_event against bench_send (library),
#              oex send --jsonl --no-isolate and oex send --jsonl (isolated), per event type
#     startup  upstream_startup.py: oex list against import + load_all_signals()
# Installs Debian's python3-django, python3-attr, python3-stevedore, python3-bson and
# python3-typing-extensions if missing; needs the git mirrors under /work/.mirror (or
# OEX_MIRRORS); configures the build with -DOEX_BUILD_BENCH=ON and builds what it runs.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
mode=send
case "${1:-}" in send|startup) mode=$1; shift ;; esac
build=$repo/build
if [ $# -gt 0 ] && [ "$1" != "--" ]; then build=$1; shift; fi
[ "${1:-}" = "--" ] && shift

if ! /usr/bin/python3 -c "import django, attr, stevedore, bson, typing_extensions" 2>/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-django python3-attr \
    python3-stevedore python3-bson python3-typing-extensions >&2
fi

cmake -S "$repo" -B "$build" -DOEX_BUILD_BENCH=ON >/dev/null
targets=(oex)
[ "$mode" = send ] && targets+=(bench_send oex_test_plugins)
cmake --build "$build" -j2 --target "${targets[@]}" >&2

work=$(mktemp -d "${TMPDIR:-/tmp}/oex-bench-send.XXXXXX")
trap 'rm -rf "$work"' EXIT
# A copy of the binary, so that a rebuild during the run cannot mix two binaries.
cp "$build/oex" "$work/oex"
mirrors=${OEX_MIRRORS:-/work/.mirror}

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "oex:     $("$work/oex" --version); $(/usr/bin/python3 --version), Django $(/usr/bin/python3 -c 'import django; print(django.get_version())')"
if [ "$mode" = send ]; then
  /usr/bin/python3 "$here/upstream_send.py" --oex "$work/oex" --bench-send "$build/tests/bench/bench_send" \
    --plugin-dir "$build/plugins" --work "$work" --mirrors "$mirrors" "$@"
else
  /usr/bin/python3 "$here/upstream_startup.py" --oex "$work/oex" --mirrors "$mirrors" "$@"
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
