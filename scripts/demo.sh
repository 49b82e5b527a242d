#!/usr/bin/env bash
# The README's first command: installs what is missing, builds the release preset and the web
# console (console/build.sh), then runs `ncbnet demo`, which initialises a demo network (on
# first run) in $NCBNET_DEMO_DIR and serves it, with the console at /, on
# https://127.0.0.1:$PORT, printing the URL and the demo logins. Ctrl-C stops it.
# Environment: NCBNET_DEMO_DIR (default ./data-demo), PORT (default 8443), JOBS.
set -euo pipefail

cd "$(dirname "$0")/.."
jobs="${JOBS:-$(nproc 2>/dev/null || echo 2)}"

bash scripts/install-deps.sh
cmake --preset release
cmake --build --preset release -j"$jobs" --target ncbnet

# The web console (console/, docs/console.md), served by the hub at /, and the public notices
# page (console/dist-public), served at /public.
bash console/build.sh

exec build/release/src/apps/ncbnet/ncbnet demo \
  --data-dir "${NCBNET_DEMO_DIR:-$PWD/data-demo}" --port "${PORT:-8443}" \
  --console-dir "$PWD/console/dist" --public-dir "$PWD/console/dist-public"
