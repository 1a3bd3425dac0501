#!/usr/bin/env bash
# The normalizer's differential check: `scripts/normdiff.sh [base-ref] [cases]` runs the working
# tree's core and base-ref's (default HEAD) on the corpus and on seeded mutations of it
# (tools/normdiff), and fails on any difference. A size or speed refactor of src/core should pass.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
base_ref=${1:-HEAD}
cases=${2:-200000}
dir=target/normdiff/base
rm -rf "$dir" && mkdir -p "$dir"
git archive "$base_ref" Cargo.toml src | tar -x -C "$dir"
sed -i 's/^name = "steadfetch"$/name = "steadfetch_base"/' "$dir/Cargo.toml"
cargo run --quiet --release --manifest-path tools/normdiff/Cargo.toml --target-dir target/normdiff/build -- "$cases"
