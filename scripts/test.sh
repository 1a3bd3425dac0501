#!/usr/bin/env bash
# `npm test`: setup, host tests, release build + size budget, the headless-Chrome wasm suite against
# the mock API, and the Node/Playwright suites on the built package. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh || { echo "setup failed"; exit 1; }

passed=0; failed=0; broken=()
logdir=$(mktemp -d)
cleanup() { [ -n "${mock_pid:-}" ] && kill "$mock_pid" 2>/dev/null; rm -rf "$logdir"; }
trap cleanup EXIT

# Adds the pass/fail counts of a cargo-style ("N passed; M failed") log.
count_cargo() {
  local p f
  p=$(grep -Eo '[0-9]+ passed' "$1" | awk '{s+=$1} END {print s+0}')
  f=$(grep -Eo '[0-9]+ failed' "$1" | awk '{s+=$1} END {print s+0}')
  passed=$((passed + p)); failed=$((failed + f)); echo "  → $p passed, $f failed"
}

step() { printf '\n== %s\n' "$1"; }

step "host: cargo test (pure core)"
cargo test --release 2>&1 | tee "$logdir/host.log" | grep -E '^(test result|running|error)' || true
[ "${PIPESTATUS[0]}" -eq 0 ] || broken+=("cargo test")
count_cargo "$logdir/host.log"

step "clippy: library code may not unwrap, expect, panic or index (lints in Cargo.toml)"
if cargo clippy --quiet --release --lib -- -D warnings && cargo clippy --quiet --release --lib --target wasm32-unknown-unknown -- -D warnings && cargo clippy --quiet --release --lib --target wasm32-unknown-unknown --no-default-features -- -D warnings; then
  passed=$((passed + 1)); echo "  → clean"
else
  failed=$((failed + 1)); broken+=("clippy")
fi

step "release build + size budget"
if bash scripts/build.sh && node bench/size.mjs --check; then passed=$((passed + 1)); else failed=$((failed + 1)); broken+=("size"); fi

step "browser: wasm-pack test --headless --chrome (against the mock API)"
node www/server.mjs --api-only --port-file "$logdir/port" > "$logdir/mock.log" 2>&1 &
mock_pid=$!
for _ in $(seq 50); do [ -s "$logdir/port" ] && break; sleep 0.1; done
export STEADFETCH_MOCK_URL="http://127.0.0.1:$(cat "$logdir/port")"
export WASM_BINDGEN_TEST_TIMEOUT=600
wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver -- --test browser \
  > "$logdir/wasm.log" 2>&1
wasm_rc=$?
grep -E '^test |test result|browser fixture table|browser real-world corpus|browser real-world replay' "$logdir/wasm.log"
if [ $wasm_rc -ne 0 ]; then broken+=("wasm-pack test"); grep -A25 'panicked at' "$logdir/wasm.log" | head -80; fi
count_cargo "$logdir/wasm.log"
grep -q 'test result' "$logdir/wasm.log" || { failed=$((failed + 1)); broken+=("wasm-pack test ran nothing"); tail -30 "$logdir/wasm.log"; }
kill "$mock_pid" 2>/dev/null; mock_pid=""

step "package: Node + Playwright suites (tests/js)"
node --test --test-reporter=spec tests/js/ 2>&1 | tee "$logdir/node.log" | grep -vE '^\s*$' | tail -n 60
[ "${PIPESTATUS[0]}" -eq 0 ] || broken+=("node --test")
p=$(grep -E '^ℹ pass' "$logdir/node.log" | awk '{print $3}'); f=$(grep -E '^ℹ fail' "$logdir/node.log" | awk '{print $3}')
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); echo "  → ${p:-0} passed, ${f:-0} failed"
[ -n "$p" ] || { failed=$((failed + 1)); broken+=("node tests ran nothing"); }

echo
[ ${#broken[@]} -eq 0 ] || echo "failing: ${broken[*]}"
echo "$passed passed, $failed failed"
[ ${#broken[@]} -eq 0 ] && [ "$failed" -eq 0 ]
