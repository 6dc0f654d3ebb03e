#!/bin/sh
# Installs the build into a temporary prefix and builds tests/install/consumer against it, once
# with find_package(oex) and once with pkg-config, then runs both programs.
#   check_install.sh BUILD_DIR SOURCE_DIR(tests/install) CMAKE LIBDIR(lib)
set -eu
build=$1 source=$2 cmake=${3:-cmake} libdir=${4:-lib}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
"$cmake" --install "$build" --prefix "$prefix" >/dev/null
test -f "$prefix/$libdir/liboex.a" || { echo "no $libdir/liboex.a installed"; exit 1; }
expected="75 event types, id of 36 characters, sourcelib 3 parts"

"$cmake" -S "$source/consumer" -B "$work/cmake-build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
"$cmake" --build "$work/cmake-build" >/dev/null
got=$("$work/cmake-build/consumer")
[ "$got" = "$expected" ] || { echo "find_package: got '$got'"; exit 1; }
echo "find_package(oex): $got"

export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig"
grep -qx "prefix=$prefix" "$prefix/$libdir/pkgconfig/oex.pc" || { echo "oex.pc has the wrong prefix"; exit 1; }
# shellcheck disable=SC2046
${CXX:-c++} -std=c++20 -O0 "$source/consumer/main.cpp" -o "$work/pc-consumer" \
  $(pkg-config --cflags --libs oex)
got=$("$work/pc-consumer")
[ "$got" = "$expected" ] || { echo "pkg-config: got '$got'"; exit 1; }
echo "pkg-config oex: $got"
