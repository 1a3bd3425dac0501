#!/usr/bin/env bash
# `npm run fuzz`: every target for RUNS executions (default 1,000,000) on nightly cargo-fuzz.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH"
RUNS="${RUNS:-1000000}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
node make-seeds.mjs
for target in normalize headers text; do
  echo "== $target: $RUNS runs"
  cargo +nightly fuzz run "$target" "corpus/$target" -- -runs="$RUNS" -max_len=65536 -print_final_stats=1 2>&1 \
    | grep -E '^(stat::number_of_executed_units|stat::peak_rss|Done|==[0-9]+== ERROR|SUMMARY)' || true
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz target $target failed"; exit 1; }
done
