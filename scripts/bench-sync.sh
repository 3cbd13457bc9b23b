#!/usr/bin/env bash
# Benchmark: `sekoia-wizard sync` against the SDK's `sekoia-automation generate-files-from-code`
# on the seed TestHTTP module and on a synthetic module with 500 components (300 actions,
# 100 triggers, 100 connectors) generated here. Prints both times and the ratio.
#
# Usage: scripts/bench-sync.sh [RUNS]     (default 3 runs each; the best time is kept)
# Env: SEKOIA_AUTOMATION (path to the SDK CLI; default .venv/bin/sekoia-automation, skipped if
#      absent), SEKOIA_WIZARD_BIN (default: the release build, scripts/wizard-bin.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-3}"
bin="${SEKOIA_WIZARD_BIN:-$("$here/scripts/wizard-bin.sh")}"
sdk="${SEKOIA_AUTOMATION:-$here/.venv/bin/sekoia-automation}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

synthetic() {
  local root="$1" pkg="$1/bench_modules"
  mkdir -p "$pkg" "$root/tests"
  : > "$root/tests/__init__.py"
  cat > "$root/manifest.json" <<'JSON'
{
  "configuration": {},
  "description": "Synthetic benchmark module",
  "name": "Bench",
  "slug": "bench",
  "categories": [],
  "uuid": "2d6c3a39-5b1e-4f38-9a54-0c7b9e0c1d11",
  "version": "0.1.0"
}
JSON
  cat > "$pkg/models.py" <<'PY'
from pydantic import BaseModel, Field


class BenchModuleConfiguration(BaseModel):
    api_key: str = Field(..., description="API key", json_schema_extra={"secret": True})
    base_url: str = "https://example.com"
PY
  cat > "$pkg/__init__.py" <<'PY'
from sekoia_automation.module import Module
from bench_modules.models import BenchModuleConfiguration


class BenchModule(Module):
    configuration: BenchModuleConfiguration
PY
  printf 'from bench_modules import BenchModule\n\nif __name__ == "__main__":\n    module = BenchModule()\n    module.run()\n' > "$root/main.py"
  for i in $(seq 1 300); do
    cat > "$pkg/action_a$i.py" <<PY
from enum import Enum
from typing import Literal, Optional

from pydantic import BaseModel, Field, HttpUrl
from sekoia_automation.action import Action


class Kind$i(str, Enum):
    LOW = "low"
    HIGH = "high"


class Item$i(BaseModel):
    key: str
    count: int = 0


class Action${i}Arguments(BaseModel):
    url: HttpUrl
    mode: Literal["get", "post"] = "get"
    kind: Kind$i = Kind$i.LOW
    limit: int = Field(10, ge=1, le=100, description="Page size")
    items: list[Item$i] = []
    since: Optional[str] = None


class Action${i}Results(BaseModel):
    total: int
    items: list[Item$i] = []


class Action$i(Action):
    name = "Action number $i"
    description = "Does thing $i"
    results_model = Action${i}Results

    def run(self, arguments: Action${i}Arguments) -> Action${i}Results:
        raise NotImplementedError
PY
  done
  for i in $(seq 1 100); do
    cat > "$pkg/trigger_t$i.py" <<PY
from pydantic import BaseModel, Field
from sekoia_automation.trigger import Trigger


class Trigger${i}Configuration(BaseModel):
    token: str = Field(..., json_schema_extra={"secret": True})
    frequency: int = 60


class Trigger${i}Event(BaseModel):
    id: str
    payload: dict | None = None


class Trigger$i(Trigger):
    configuration: Trigger${i}Configuration
    results_model = Trigger${i}Event

    def run(self):
        raise NotImplementedError
PY
    cat > "$pkg/connector_c$i.py" <<PY
from pydantic import Field
from sekoia_automation.connector import Connector, DefaultConnectorConfiguration


class Connector${i}Configuration(DefaultConnectorConfiguration):
    batch_size: int = Field(100, gt=0)


class Connector$i(Connector):
    configuration: Connector${i}Configuration

    def run(self):
        raise NotImplementedError
PY
  done
}

# Best wall time, in seconds, of `$runs` runs of "$@" on fresh copies of $src.
best_time() {
  local src="$1"; shift
  local best=""
  for _ in $(seq 1 "$runs"); do
    rm -rf "$work/run" && cp -r "$src" "$work/run"
    local start end t
    start=$(date +%s.%N)
    "$@" "$work/run" >/dev/null 2>"$work/err" || { echo "failed: $* ($(tail -3 "$work/err"))" >&2; exit 1; }
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
  done
  printf '%.3f' "$best"
}

bench() {
  local label="$1" src="$2"
  local ours theirs
  ours=$(best_time "$src" "$bin" sync)
  if [ -x "$sdk" ]; then
    theirs=$(best_time "$src" "$sdk" generate-files-from-code)
    # Same output? (JSON byte for byte, main.py as a set of lines, as the SDK's order is random.)
    rm -rf "$work/a" "$work/b" && cp -r "$src" "$work/a" && cp -r "$src" "$work/b"
    "$bin" sync "$work/a" >/dev/null 2>&1
    "$sdk" generate-files-from-code "$work/b" >/dev/null 2>&1
    local same=identical
    for f in "$work"/b/*.json; do cmp -s "$f" "$work/a/$(basename "$f")" || same="DIFFERENT ($(basename "$f"))"; done
    diff <(sort "$work/a/main.py") <(sort "$work/b/main.py") >/dev/null || same="DIFFERENT (main.py)"
    echo "$label: outputs $same" >&2
    printf '%-28s sekoia-wizard sync %8ss   SDK generate-files-from-code %8ss   ratio %6.1fx\n' \
      "$label" "$ours" "$theirs" "$(echo "$theirs / $ours" | bc -l)"
  else
    printf '%-28s sekoia-wizard sync %8ss   (SDK not found at %s: no comparison)\n' "$label" "$ours" "$sdk"
  fi
}

seed="$here/tests/fixtures/seed-testhttp/v2/input"
synthetic "$work/synthetic"
bench "seed TestHTTP (3 components)" "$seed"
bench "synthetic (500 components)" "$work/synthetic"
