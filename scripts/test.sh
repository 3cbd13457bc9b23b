#!/usr/bin/env bash
# Runs every test. Sets up the Python venv first (tests that need the real SDK fail in CI without it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-python.sh
cargo test "$@"
