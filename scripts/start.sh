#!/usr/bin/env bash
# `npm start`: set up if needed, build the release package, serve the demo and the mock API.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh
bash scripts/build.sh
exec node www/server.mjs
