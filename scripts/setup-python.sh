#!/usr/bin/env bash
# Creates .venv with the real sekoia-automation-sdk (the version the golden fixtures come from),
# pytest and requests-mock. Idempotent: a venv that already has them is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
if ! .venv/bin/python -c "import sekoia_automation, pytest, requests_mock, pytest_cov" 2>/dev/null; then
  .venv/bin/pip install -q --disable-pip-version-check \
    "sekoia-automation-sdk==1.27.0" pytest pytest-cov requests-mock
fi
