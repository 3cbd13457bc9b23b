#!/usr/bin/env bash
# Measures `sekoia-wizard sync` against the SDK's `generate-files-from-code` on a library of real
# modules (not run in CI; see scripts/sync-vs-sdk.py for the method).
# Usage: scripts/sync-vs-sdk.sh LIBRARY_PATH [--only NAME ...] [--install] [--keep DIR] [--verbose]
# Env: SEKOIA_WIZARD_PYTHON (Python with sekoia-automation-sdk, default .venv/bin/python),
#      SEKOIA_WIZARD_BIN (default: the release build, scripts/wizard-bin.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
python="${SEKOIA_WIZARD_PYTHON:-$here/.venv/bin/python}"
[ $# -ge 1 ] || { sed -n '2,6p' "$0" >&2; exit 2; }
export SEKOIA_WIZARD_BIN="${SEKOIA_WIZARD_BIN:-$("$here/scripts/wizard-bin.sh")}"
exec "$python" "$here/scripts/sync-vs-sdk.py" "$@"
