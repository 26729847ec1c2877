#!/usr/bin/env bash
# tests/cli/it_install.sh ARBITER SOURCE_DIR - `cmake --install` gives a
# library that a program finds through pkg-config, shared and static.
set -euo pipefail
build=$(dirname "$1")
src=$2
if grep -q '^ARBITER_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  echo "skipped: a sanitizer build's library needs its runtime; the normal build runs this"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig"
pass=0
check() { # check DESCRIPTION: runs the binary built just before
  out=$("$tmp/embed" "$tmp/prefix/share/arbiter/policies/default.yaml" 'Click here to claim your FR33 M0NEY')
  if grep -q "flagged: yes" <<<"$out"; then pass=$((pass + 1)); else echo "FAIL: $1: $out"; exit 1; fi
}
test -x "$tmp/prefix/bin/arbiter"
test -f "$tmp/prefix/include/arbiter/arbiter.h"
cc -std=c17 "$src/examples/embed.c" $(pkg-config --cflags --libs arbiter) \
   -Wl,-rpath,"$tmp/prefix/lib" -o "$tmp/embed"
check "shared library through pkg-config"
cc -std=c17 "$src/examples/embed.c" $(pkg-config --cflags arbiter) "$tmp/prefix/lib/libarbiter.a" \
   $(pkg-config --static --libs-only-l arbiter | sed 's/-larbiter//') -o "$tmp/embed"
check "static library"
echo "$pass passed, 0 failed"
