#!/usr/bin/env bash
# Creates .venv with the real sekoia-automation-sdk (the version the golden fixtures come from),
# pytest and requests-mock. Idempotent: a venv that already has them is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# black and mypy as the automation-library's CI runs them (psf/black@stable, `pip install mypy`),
# pinned so a new release cannot change the verdict under the tests.
if ! .venv/bin/python -c "import sekoia_automation, pytest, requests_mock, pytest_cov" 2>/dev/null \
  || [ "$(.venv/bin/mypy --version 2>/dev/null | cut -d' ' -f2)" != "2.4.1" ] \
  || [ "$(.venv/bin/black --version 2>/dev/null | head -1 | cut -d' ' -f2)" != "26.10.1" ]; then
  .venv/bin/pip install -q --disable-pip-version-check \
    "sekoia-automation-sdk==1.27.0" pytest pytest-cov requests-mock "mypy==2.4.1" "black==26.10.1"
fi
