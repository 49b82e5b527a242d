#!/usr/bin/env bash
# Builds the web console (console/, docs/console.md) into console/dist, which the hub serves
# at / (--console-dir), and the public notices page into console/dist-public, which a public web
# server serves (or the demo hub, at /public: --public-dir). Installs the npm packages from the
# lockfile (npm ci) when they are missing or the lockfile changed. Needs Node.js 20 (>= 20.19)
# and npm.
set -euo pipefail

cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  echo "build-console: npm not found; the console needs Node.js 20 and npm" >&2
  exit 1
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build
