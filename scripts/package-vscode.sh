#!/usr/bin/env bash
# Package editors/vscode into a .vsix with npm's @vscode/vsce.
#
#   scripts/package-vscode.sh [OUT_DIR]      (default: dist/)
#
# Works in a temporary copy, so neither node_modules nor the .vsix lands in the tree
# (dist/ is not committed). Needs node and npm; vsce and the extension's one dependency,
# vscode-languageclient, are installed into the copy from the npm registry.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$(mkdir -p "${1:-$ROOT/dist}" && cd "${1:-$ROOT/dist}" && pwd)
WORK=$(mktemp -d)
TOOLS=$(mktemp -d)
trap 'rm -rf "$WORK" "$TOOLS"' EXIT

cp -R "$ROOT/editors/vscode/." "$WORK/"
cp "$ROOT/LICENSE" "$WORK/LICENSE"
cd "$WORK"
npm install --no-audit --no-fund --omit=dev >/dev/null
# vsce in a folder of its own, so its packages stay out of the extension.
npm install --prefix "$TOOLS" --no-audit --no-fund @vscode/vsce >/dev/null
VERSION=$(node -p 'require("./package.json").version')
"$TOOLS/node_modules/.bin/vsce" package --out "$OUT/crmtpl-$VERSION.vsix"
echo "$OUT/crmtpl-$VERSION.vsix"
