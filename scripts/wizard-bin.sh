#!/usr/bin/env bash
# Builds the release binary (if it is not up to date) and prints its path. .cargo/config.toml builds
# for the host's tuple, so the binary is under target/<host tuple>/release, not target/release.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cargo build -q --release --manifest-path "$root/Cargo.toml" >&2
echo "${CARGO_TARGET_DIR:-$root/target}/$(rustc --print host-tuple)/release/sekoia-wizard"
