#!/usr/bin/env python3
"""Measures `sekoia-wizard sync` against the real SDK's `generate-files-from-code` on a library of
real modules (for example a checkout of SEKOIA-IO/automation-library). Not run in CI.

For each module directory (a `manifest.json` next to Python code):
1. two copies are made in a temporary directory, with every component JSON removed (so stale
   hand-written files cannot hide a difference);
2. the SDK runs on the first copy (`python -m sekoia_automation.cli generate-files-from-code`);
   a module the SDK cannot import counts as "SDK does not run" and is skipped;
3. `sekoia-wizard sync` runs on the second copy;
4. the component JSONs' `arguments` / `results` and the manifest `configuration` are compared,
   key order included (the files are compared as the SDK serialises them).

Sibling modules named as Poetry path dependencies (`aws-helpers = {path = "../AWS"}`) are copied
next to both copies and put on the SDK's PYTHONPATH, as `poetry install` would make them importable.

With --install, a module whose import fails on a missing third-party package gets its declared
dependencies installed (names only, latest versions) into a scratch virtualenv layered over the
SDK's (a .pth file), with the SDK and pydantic pinned; then the SDK is run again. This is slow and
needs PyPI; without it the SDK's own venv is used as is.

Usage: scripts/sync-vs-sdk.sh LIBRARY_PATH [--only NAME ...] [--install] [--keep DIR] [--verbose]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

COMPONENT = re.compile(r"^(action|trigger|connector)_.+\.json$")


def is_code_module(path: Path) -> bool:
    if not (path / "manifest.json").is_file():
        return False
    if (path / "main.py").is_file():
        return True
    return any(p.is_file() for p in path.glob("*/__init__.py") if p.parent.name != "tests")


def path_dependencies(module: Path) -> list[Path]:
    """Sibling directories named as Poetry path dependencies."""
    try:
        data = tomllib.loads((module / "pyproject.toml").read_text())
    except (OSError, tomllib.TOMLDecodeError):
        return []
    out = []
    poetry = data.get("tool", {}).get("poetry", {})
    tables = [poetry.get("dependencies", {})]
    for group in poetry.get("group", {}).values():
        tables.append(group.get("dependencies", {}))
    for table in tables:
        for spec in table.values():
            if isinstance(spec, dict) and "path" in spec:
                target = (module / spec["path"]).resolve()
                if target.is_dir():
                    out.append(target)
    return out


def pep440(spec: str) -> str:
    """A Poetry version constraint as a pip one (`^1.2` -> `>=1.2,<2`)."""
    spec = spec.strip()
    if spec in ("", "*"):
        return ""
    m = re.fullmatch(r"([\^~])\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?.*", spec)
    if m:
        op, major, minor, patch = m.group(1), int(m.group(2)), m.group(3), m.group(4)
        low = ".".join(x for x in (str(major), minor, patch) if x is not None)
        if op == "^":
            if major > 0 or minor is None:
                high = f"{major + 1}"
            elif int(minor) > 0 or patch is None:
                high = f"0.{int(minor) + 1}"
            else:
                high = f"0.0.{int(patch) + 1}"
        else:
            high = f"{major}.{int(minor) + 1}" if minor is not None else f"{major + 1}"
        return f">={low},<{high}"
    if re.fullmatch(r"\d+(\.\d+)*", spec):
        return f"=={spec}"
    return spec


def declared_dependencies(module: Path) -> list[str]:
    """The module's runtime requirements as pip arguments (the SDK and pydantic excluded)."""
    try:
        data = tomllib.loads((module / "pyproject.toml").read_text())
    except (OSError, tomllib.TOMLDecodeError):
        return []
    out = []
    poetry = data.get("tool", {}).get("poetry", {}).get("dependencies", {})
    for name, spec in poetry.items():
        if name == "python" or (isinstance(spec, dict) and "path" in spec):
            continue
        extras = spec.get("extras") if isinstance(spec, dict) else None
        version = spec.get("version", "") if isinstance(spec, dict) else spec
        req = f"{name}[{','.join(extras)}]" if extras else name
        out.append(req + pep440(str(version)))
    out.extend(data.get("project", {}).get("dependencies", []))
    skip = {"sekoia-automation-sdk", "pydantic", "pydantic-core"}
    return [r for r in out if re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0].lower() not in skip]


def pip_install(python: str, constraints: Path, reqs: list[str]) -> None:
    """Installs `reqs`, one by one when the batch fails (one unbuildable package must not
    block the others)."""
    base = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-c", str(constraints)]
    if subprocess.run([*base, *reqs], capture_output=True, text=True, timeout=900).returncode == 0:
        return
    for req in reqs:
        subprocess.run([*base, req], capture_output=True, text=True, timeout=900)


def copy_module(src: Path, dst: Path) -> None:
    shutil.copytree(
        src,
        dst,
        symlinks=True,
        ignore=shutil.ignore_patterns(".venv", "__pycache__", ".mypy_cache", ".pytest_cache", "node_modules"),
    )
    for f in dst.iterdir():
        if f.is_file() and COMPONENT.match(f.name):
            f.unlink()


def layout(library: Path, module: Path, root: Path) -> Path:
    """Copies `module` (and its path-dependency siblings) under `root`; returns the module copy."""
    target = root / module.name
    copy_module(module, target)
    for dep in path_dependencies(module):
        if not (root / dep.name).exists():
            shutil.copytree(dep, root / dep.name, symlinks=True, ignore=shutil.ignore_patterns(".venv", "__pycache__"))
    return target


def run_sdk(python: str, module: Path, extra_path: list[Path], timeout: int) -> tuple[bool, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in extra_path)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    try:
        proc = subprocess.run(
            [python, "-m", "sekoia_automation.cli", "generate-files-from-code", "."],
            cwd=module,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return False, "timeout"
    text = proc.stdout + proc.stderr
    ok = proc.returncode == 0 and "Found 0 or more than 1 module" not in text
    return ok, text


def failure_reason(text: str) -> str:
    for pattern in (r"(ModuleNotFoundError: No module named '[^']+')", r"(\w+Error: [^\n]+)", r"(\[!\][^\n]+)"):
        found = re.findall(pattern, text)
        if found:
            return found[-1].strip()[:160]
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return (lines[-1] if lines else "no output")[:160]


def missing_module(text: str) -> str | None:
    found = re.findall(r"No module named '([^'.]+)", text)
    return found[-1] if found else None


def canonical(value) -> str:
    return json.dumps(value, indent=2)


def first_difference(want, got, path="") -> str:
    if type(want) is not type(got):
        return f"{path or '/'}: SDK {canonical(want)[:120]} / sync {canonical(got)[:120]}"
    if isinstance(want, dict):
        wk, gk = list(want), list(got)
        for k in wk:
            if k not in got:
                return f"{path}/{k}: missing in sync (SDK {canonical(want[k])[:100]})"
        for k in gk:
            if k not in want:
                return f"{path}/{k}: only in sync ({canonical(got[k])[:100]})"
        for k in wk:
            if canonical(want[k]) != canonical(got[k]):
                return first_difference(want[k], got[k], f"{path}/{k}")
        return f"{path or '/'}: key order SDK {wk} / sync {gk}"
    if isinstance(want, list):
        if len(want) != len(got):
            return f"{path}: SDK {canonical(want)[:120]} / sync {canonical(got)[:120]}"
        for i, (a, b) in enumerate(zip(want, got)):
            if canonical(a) != canonical(b):
                return first_difference(a, b, f"{path}/{i}")
    return f"{path or '/'}: SDK {canonical(want)[:120]} / sync {canonical(got)[:120]}"


def load(path: Path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


DELIBERATE = "deliberate: "


def sdk_classes_in_main(sdk_dir: Path) -> set[str]:
    """SDK classes the SDK registered because a module merely imported them (its main.py imports
    them from `sekoia_automation`); sync deliberately does not turn those into components."""
    try:
        text = (sdk_dir / "main.py").read_text()
    except OSError:
        return set()
    return set(re.findall(r"^from sekoia_automation[\w.]* import (\w+)$", text, re.M))


def compare(sdk_dir: Path, sync_dir: Path) -> list[str]:
    """The differences between what the SDK and sync wrote; those sync makes on purpose start
    with DELIBERATE."""
    problems = []
    sdk_files = sorted(f.name for f in sdk_dir.iterdir() if COMPONENT.match(f.name))
    sync_files = sorted(f.name for f in sync_dir.iterdir() if COMPONENT.match(f.name))
    sdk_classes = sdk_classes_in_main(sdk_dir)
    for name in sdk_files:
        if name not in sync_files:
            docker = (load(sdk_dir / name) or {}).get("docker_parameters")
            if docker in sdk_classes:
                problems.append(f"{DELIBERATE}{name}: SDK class {docker} imported, not a component")
            else:
                problems.append(f"{name}: not written by sync")
            continue
        want, got = load(sdk_dir / name), load(sync_dir / name)
        for key in ("arguments", "results"):
            a, b = (want or {}).get(key), (got or {}).get(key)
            if canonical(a) != canonical(b):
                problems.append(f"{name} {key}{first_difference(a, b)}")
    for name in sync_files:
        if name not in sdk_files:
            problems.append(f"{name}: written by sync only")
    want = (load(sdk_dir / "manifest.json") or {}).get("configuration")
    got = (load(sync_dir / "manifest.json") or {}).get("configuration")
    if canonical(want) != canonical(got):
        problems.append(f"manifest.json configuration{first_difference(want, got)}")
    return problems


def scratch_python(base_python: str, where: Path) -> str:
    """A venv layered over the SDK's venv, where module dependencies can be installed."""
    python = where / "bin" / "python"
    if python.is_file():
        return str(python)
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    site = subprocess.run(
        [base_python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    own = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    Path(own, "zz_sdk_venv.pth").write_text(site + "\n")
    pins = subprocess.run(
        [base_python, "-m", "pip", "freeze"], capture_output=True, text=True, check=True
    ).stdout
    # Everything the SDK's venv holds is pinned: a module pinning an old version of one of the
    # SDK's own dependencies (cachetools 3, say) must not break the SDK for the next modules.
    keep = [l for l in pins.splitlines() if "==" in l and not l.startswith("-e")]
    (where / "constraints.txt").write_text("\n".join(keep) + "\n")
    return str(python)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("library", type=Path)
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--install", action="store_true")
    ap.add_argument("--keep", type=Path, default=None, help="keep the work copies here")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--timeout", type=int, default=120)
    args = ap.parse_args()

    here = Path(__file__).resolve().parent.parent
    python = os.environ.get("SEKOIA_WIZARD_PYTHON", str(here / ".venv/bin/python"))
    wizard = os.environ["SEKOIA_WIZARD_BIN"]  # set by sync-vs-sdk.sh
    if not Path(wizard).is_file():
        print(f"no sekoia-wizard at {wizard}: build it or set SEKOIA_WIZARD_BIN", file=sys.stderr)
        return 2
    library = args.library.resolve()
    modules = sorted(p for p in library.iterdir() if p.is_dir() and is_code_module(p))
    if args.only:
        modules = [m for m in modules if m.name in args.only]
    work = args.keep or Path(tempfile.mkdtemp(prefix="sync-vs-sdk-"))
    work.mkdir(parents=True, exist_ok=True)
    scratch = None
    if args.install:
        scratch = scratch_python(python, Path(os.environ.get("SYNC_VS_SDK_VENV", "/tmp/sync-vs-sdk-venv")))

    stats = {"modules": len(modules), "sdk_fails": 0, "sync_fails": 0, "equal": 0, "equal_deliberate": 0, "different": 0}
    reasons: dict[str, int] = {}
    differences = []
    for module in modules:
        slot = work / module.name.replace(" ", "_")
        shutil.rmtree(slot, ignore_errors=True)
        sdk_copy = layout(library, module, slot / "sdk")
        sync_copy = layout(library, module, slot / "sync")
        siblings = [slot / "sdk" / d.name for d in path_dependencies(module)]
        py = python
        ok, out = run_sdk(py, sdk_copy, siblings, args.timeout)
        if not ok and scratch and missing_module(out):
            constraints = Path(scratch).parent.parent / "constraints.txt"
            reqs = declared_dependencies(module)
            for dep in path_dependencies(module):
                reqs.extend(declared_dependencies(dep))
            tried = set()
            for _ in range(4):
                if reqs:
                    pip_install(scratch, constraints, reqs)
                # A failed run may have rewritten main.py: start again from a fresh copy.
                shutil.rmtree(slot / "sdk")
                sdk_copy = layout(library, module, slot / "sdk")
                py = scratch
                ok, out = run_sdk(py, sdk_copy, siblings, args.timeout)
                missing = missing_module(out)
                if ok or not missing or missing in tried:
                    break
                # An undeclared (transitive) import: its distribution usually has its name.
                tried.add(missing)
                reqs = [missing.replace("_", "-")]
        if not ok:
            stats["sdk_fails"] += 1
            reason = failure_reason(out)
            key = re.sub(r"'[^']*'", "'…'", reason) if "No module named" not in reason else reason
            reasons[key] = reasons.get(key, 0) + 1
            print(f"SKIP {module.name}: SDK does not run: {reason}")
            continue
        proc = subprocess.run([wizard, "sync", str(sync_copy)], capture_output=True, text=True, timeout=args.timeout)
        if proc.returncode != 0:
            stats["sync_fails"] += 1
            print(f"FAIL {module.name}: sync failed: {(proc.stderr or proc.stdout).strip().splitlines()[:3]}")
            differences.append(module.name)
            continue
        problems = compare(sdk_copy, sync_copy)
        real = [p for p in problems if not p.startswith(DELIBERATE)]
        if problems and not real:
            stats["equal_deliberate"] += 1
            print(f"SAME {module.name} (but {'; '.join(p[len(DELIBERATE):] for p in problems)})")
        elif problems:
            problems = real + [p for p in problems if p.startswith(DELIBERATE)]
            stats["different"] += 1
            differences.append(module.name)
            print(f"DIFF {module.name}: {len(problems)} difference(s); first: {problems[0]}")
            if args.verbose:
                for p in problems[1:]:
                    print(f"     {p}")
        else:
            stats["equal"] += 1
            print(f"SAME {module.name}")
        if not args.keep:
            shutil.rmtree(slot, ignore_errors=True)

    compared = stats["equal"] + stats["equal_deliberate"] + stats["different"] + stats["sync_fails"]
    print()
    print(f"modules with code: {stats['modules']}")
    print(f"SDK does not run:  {stats['sdk_fails']}")
    for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1])[:15]:
        print(f"    {n:3d}  {reason}")
    print(f"compared:          {compared}")
    print(f"  equal:           {stats['equal']}")
    print(f"  equal but for deliberate differences: {stats['equal_deliberate']}")
    print(f"  different:       {stats['different']}")
    print(f"  sync failed:     {stats['sync_fails']}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
