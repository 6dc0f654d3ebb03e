#!/usr/bin/env bash
# Sets up oex on Debian 12: installs the build dependencies (apt-get, as root or through sudo),
# then configures and builds into build/. Safe to run again.
#   OEX_SKIP_APT=1  skip the package installation
#   OEX_BUILD_DIR   build directory (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  g++ cmake ninja-build pkg-config   # toolchain
  libcli11-dev nlohmann-json3-dev libfmt-dev uuid-dev rapidjson-dev   # libraries
  catch2 python3 python3-jsonschema   # tests and the conformance check
  zsh fish   # the completion tests run the zsh and fish scripts
  libavro-dev   # avro-c, the baseline of the Avro benchmark (tests/bench/bench_avro)
  libhiredis-dev redis-server redis-tools   # the Redis event bus; its tests run a redis-server
  chromium   # the browser test of oex docs (tests/browser/docs_site.py), skipped when absent
  librdkafka-dev libcurl4-openssl-dev kcat   # Kafka bus, its schema registry client, its tests
)

if [ "${OEX_SKIP_APT:-0}" != 1 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

build_dir=${OEX_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j2
