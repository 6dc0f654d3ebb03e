#!/usr/bin/env bash
# Benchmarks of oex against ajv 8 and @sourcemeta/jsonschema (see tests/bench/README.md).
#
#   tests/bench/run.sh [path/to/oex]        (default: build/oex)
#   tests/bench/run.sh --catalog [--oex PATH] [--count N] [--runs K] [--type T]... [--before PATH]
#                                           (every event type: bench_catalog.py)
#
# Installs what is missing (Debian packages python3, time, nodejs, npm; the npm packages
# pinned in tests/bench/package.json into build/bench-node, or $OEX_BENCH_NODE_DIR), then
# runs bench.py, which makes its data in a temporary directory under $TMPDIR (default /tmp;
# ~1.2 GB needed for a moment), prints the results table on stdout and removes the directory.
# Not part of ctest. Exit status: 0 all measured, 1 a correctness check failed, 2 setup error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
node_dir=$(realpath -m "${OEX_BENCH_NODE_DIR:-$repo/build/bench-node}") # absolute: node require()s from it

say() { printf '[bench] %s\n' "$*" >&2; }
die() { printf 'run.sh: error: %s\n' "$*" >&2; exit 2; }

catalog=()
if [ "${1:-}" = --catalog ]; then
  shift
  oex=$repo/build/oex
  catalog=(--oex "$oex")
  for ((i = 1; i <= $#; i++)); do
    if [ "${!i}" = --oex ]; then j=$((i + 1)); oex=${!j}; catalog=(); fi
  done
  catalog+=("$@")
else
  [ $# -le 1 ] || die "usage: tests/bench/run.sh [path/to/oex] | --catalog [options]"
  oex=${1:-$repo/build/oex}
fi
[ -x "$oex" ] && [ -f "$oex" ] || die "$oex is not an executable file (build the project first, or pass the path)"

# --- Debian packages, only those missing -------------------------------------------------
missing=()
command -v python3 >/dev/null 2>&1 || missing+=(python3)
[ -x /usr/bin/time ] || missing+=(time)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "missing ${missing[*]} and not root (no sudo)"
    sudo=(sudo)
  fi
  say "installing Debian packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
fi

# --- npm packages, into the build tree (never the repository) ----------------------------
# No lock file is written (--no-package-lock): package.json pins exact versions.
mkdir -p "$node_dir"
cp "$here/package.json" "$node_dir/package.json"
installed_ok() {
  node -e '
    const dir = process.argv[1];
    const want = require(dir + "/package.json").dependencies;
    for (const [name, version] of Object.entries(want)) {
      let got;
      try { got = require(dir + "/node_modules/" + name + "/package.json").version; }
      catch (e) { process.exit(1); }
      if (got !== version) process.exit(1);
    }' "$node_dir"
}
if ! installed_ok; then
  say "npm install --prefix $node_dir ($(node --version), npm $(npm --version))"
  npm install --prefix "$node_dir" --no-package-lock --no-audit --no-fund --loglevel=error >&2
  installed_ok || die "npm install did not give the versions pinned in $here/package.json"
fi

# --- measure -------------------------------------------------------------------------------
if [ ${#catalog[@]} -gt 0 ]; then
  exec python3 "$here/bench_catalog.py" --node-modules "$node_dir/node_modules" "${catalog[@]}"
fi
exec python3 "$here/bench.py" --oex "$oex" --node-modules "$node_dir/node_modules"
