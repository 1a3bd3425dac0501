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
  log="target/fuzz-$target.log"
  mkdir -p target
  status=0
  cargo +nightly fuzz run "$target" "corpus/$target" -- -runs="$RUNS" -max_len=65536 -print_final_stats=1 > "$log" 2>&1 || status=$?
  grep -E '^(stat::number_of_executed_units|Done|==[0-9]+== ERROR|SUMMARY)|panicked at' "$log" || true
  [ "$status" -eq 0 ] || { echo "fuzz target $target failed (see fuzz/$log and fuzz/artifacts/$target)"; exit 1; }
done
