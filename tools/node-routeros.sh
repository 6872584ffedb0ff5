#!/bin/bash
# node-routeros.sh: the npm client node-routeros, for
# tests/remote/test-api-node.sh, installed into _deps/ (never into the
# tree) with npm's ordinary client. Without npm it says so and fails; the
# test then skips, saying why.
#   tools/node-routeros.sh [DEST]     (default: _deps/node-routeros)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dest=$(realpath -m "${1:-$top/_deps/node-routeros}")
version=1.6.9
command -v npm > /dev/null || { echo "node-routeros: no npm on this machine" >&2; exit 1; }
[ -f "$dest/node_modules/node-routeros/package.json" ] &&
	grep -q "\"version\": \"$version\"" "$dest/node_modules/node-routeros/package.json" && exit 0
mkdir -p "$dest"
npm install --prefix "$dest" --no-audit --no-fund --no-save "node-routeros@$version"
