#!/usr/bin/env python3
"""Differential check of `sekoia-wizard sync` against the real SDK on random modules.

Generates modules that combine field types, defaults, constraints, enums, nested models, secrets
and component attributes, then writes each case as `<out>/case-N/{input,expected}`:
- v2: `expected/` is what `sekoia-automation generate-files-from-code` (SDK 1.27.0) writes;
- v1 (`--v1`): the models import `pydantic.v1`; `expected/` is built like SDK 1.22.5 did
  (`Model.schema()`, secrets moved for the module configuration only).

Usage: python scripts/sync-differential.py OUT [--cases N] [--seed S] [--v1]
Then compare with sekoia-wizard (scripts/sync-differential.sh does both steps).
"""

import argparse
import json
import random
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

WORDS = ["alpha", "beta", "gamma", "host", "port", "query", "limit", "scope", "token", "user", "page", "label", "region"]
CLASSES = ["Acme", "Orbit", "Nova", "Zinc", "Pylon", "Quill", "Rover", "Sable", "Tundra", "Umbra", "Vex", "Wren"]


def field_name(rng, used):
    while True:
        n = "_".join(rng.sample(WORDS, rng.choice([1, 1, 2])))
        if n not in used:
            used.add(n)
            return n


class Gen:
    def __init__(self, rng, v1):
        self.rng = rng
        self.v1 = v1
        self.support = []  # extra class definitions (enums, nested models) for the current file
        self.imports = set()
        self.counter = 0

    def fresh(self, suffix):
        self.counter += 1
        return f"{self.rng.choice(CLASSES)}{self.rng.choice(CLASSES)}{self.counter}{suffix}"

    def enum(self):
        name = self.fresh("Kind")
        kind = self.rng.choice(["str", "int", "plain"])
        doc = self.rng.random() < 0.3
        if kind == "int":
            members = [("LOW", "1"), ("HIGH", "2"), ("TOP", "3")]
            head = f"class {name}(int, Enum):"
        else:
            members = [("RED", '"red"'), ("BLUE", '"blue"'), ("GREEN", '"green"')]
            head = f"class {name}(str, Enum):" if kind == "str" else f"class {name}(Enum):"
        members = members[: self.rng.choice([2, 3])]
        body = [head]
        if doc:
            body.append('    """Kinds of\n    things."""')
        body += [f"    {m} = {v}" for m, v in members]
        self.support.append("\n".join(body))
        self.imports.add("from enum import Enum")
        return name, members

    def nested(self, depth):
        name = self.fresh("Item")
        used = set()
        lines = [f"class {name}(BaseModel):"]
        if self.rng.random() < 0.3:
            lines.append(f'    """An item {name}."""')
        for _ in range(self.rng.choice([1, 2, 3])):
            ann, default = self.field(depth + 1, allow_secret=False)
            lines.append(f"    {field_name(self.rng, used)}: {ann}{default}")
        self.support.append("\n".join(lines))
        return name

    def field(self, depth=0, allow_secret=True):
        r = self.rng
        F = "Field"
        choice = r.choice(
            [
                "str", "int", "float", "bool", "datetime", "date", "url", "dict", "dict_str", "dict_any",
                "list_str", "list_int", "list_bare", "set", "opt", "pipe_opt", "literal", "literal1",
                "enum", "nested", "list_nested", "opt_nested", "union", "any", "tuple", "annotated",
                "field_constraints", "field_desc", "field_title", "field_factory", "secret", "examples",
                "extra", "neg_default", "float_default", "unicode_default", "list_default", "dict_default",
                "str_constraints", "opt_constrained",
            ]
        )
        if depth > 1 and choice in ("nested", "list_nested", "opt_nested"):
            choice = "str"
        if choice == "secret" and (not allow_secret or self.v1 and r.random() < 0.5):
            choice = "field_desc"
        if self.v1 and choice in ("annotated", "examples", "opt_constrained", "literal1", "tuple"):
            choice = "str"
        opt = lambda: r.random() < 0.5
        if choice == "str":
            return "str", (' = "x"' if opt() else "")
        if choice == "int":
            return "int", (f" = {r.randint(0, 9)}" if opt() else "")
        if choice == "float":
            return "float", (" = 2.5" if opt() else "")
        if choice == "bool":
            return "bool", (f" = {r.choice(['True', 'False'])}" if opt() else "")
        if choice == "datetime":
            self.imports.add("from datetime import datetime")
            return "datetime | None", " = None"
        if choice == "date":
            self.imports.add("from datetime import date")
            return "date", ""
        if choice == "url":
            self.imports.add("HttpUrl")
            return "HttpUrl", ""
        if choice == "dict":
            return "dict", (" = {}" if opt() else "")
        if choice == "dict_str":
            return "dict[str, str]", f" = {F}(default_factory=dict)"
        if choice == "dict_any":
            self.imports.add("from typing import Any")
            return "dict[str, Any] | None", " = None"
        if choice == "list_str":
            return "list[str]", ""
        if choice == "list_int":
            return "list[int]", f" = {F}(default_factory=list)"
        if choice == "list_bare":
            return "list", " = []"
        if choice == "set":
            return "set[str]", ""
        if choice == "opt":
            self.imports.add("from typing import Optional")
            return "Optional[int]", (" = None" if opt() else "")
        if choice == "pipe_opt":
            return "str | None", " = None"
        if choice == "literal":
            self.imports.add("from typing import Literal")
            vals = r.sample(["get", "post", "put", "csv", "json"], r.choice([2, 3]))
            return f"Literal[{', '.join(repr(v) for v in vals)}]", (f' = "{vals[0]}"' if opt() else "")
        if choice == "literal1":
            self.imports.add("from typing import Literal")
            return "Literal['only']", ""
        if choice == "enum":
            name, members = self.enum()
            return name, (f" = {name}.{members[0][0]}" if opt() else "")
        if choice == "nested":
            return self.nested(depth), ""
        if choice == "list_nested":
            return f"list[{self.nested(depth)}]", (" = []" if opt() else "")
        if choice == "opt_nested":
            return f"{self.nested(depth)} | None", " = None"
        if choice == "union":
            self.imports.add("from typing import Union")
            return "Union[int, str]", (" = 1" if opt() else "")
        if choice == "any":
            self.imports.add("from typing import Any")
            return "Any", " = None"
        if choice == "tuple":
            return "tuple[int, str]", ""
        if choice == "annotated":
            self.imports.add("from typing import Annotated")
            return f'Annotated[int, {F}(gt=0, description="Positive")]', f" = {r.randint(1, 9)}"
        if choice == "field_constraints":
            return "int", f" = {F}({r.randint(1, 5)}, ge=1, le={r.randint(10, 99)}, description=\"Bounded\")"
        if choice == "field_desc":
            return "str", f' = {F}(..., description="Desc \\"quoted\\"")'
        if choice == "field_title":
            return "str", f' = {F}("x", title="Custom title")'
        if choice == "field_factory":
            return "list[str]", f" = {F}(default_factory=list, description=\"Factory\")"
        if choice == "secret":
            if self.v1:
                return "str", f' = {F}(..., description="Secret", secret=True)'
            return "str", f' = {F}(..., description="Secret", json_schema_extra={{"secret": True}})'
        if choice == "examples":
            return "str", f' = {F}("a", examples=["a", "b"])'
        if choice == "extra":
            if self.v1:
                return "str", f' = {F}("a", format="hostname")'
            return "str", f' = {F}("a", json_schema_extra={{"format": "hostname", "x-order": 1}})'
        if choice == "neg_default":
            return "int", " = -3"
        if choice == "float_default":
            return "float", " = 1e-05"
        if choice == "unicode_default":
            return "str", ' = "caf\u00e9 \u2013"'
        if choice == "list_default":
            return "list[int]", " = [1, 2]"
        if choice == "dict_default":
            return "dict[str, int]", ' = {"b": 1, "a": 2}'
        if choice == "str_constraints":
            return "str", f' = {F}(min_length=1, max_length=20{", regex=" if self.v1 else ", pattern="}"^[a-z]+$")'
        if choice == "opt_constrained":
            self.imports.add("from typing import Optional")
            return "Optional[int]", f" = {F}(None, ge=0)"
        raise AssertionError(choice)

    def model(self, name, n_fields, base="BaseModel", allow_secret=True):
        used = set()
        lines = [f"class {name}({base}):"]
        if self.rng.random() < 0.2:
            lines.append(f'    """Model {name}.\n\n    Details here.\n    """')
        fields = []
        for _ in range(n_fields):
            ann, default = self.field(allow_secret=allow_secret)
            fields.append(f"    {field_name(self.rng, used)}: {ann}{default}")
        lines += fields or ["    pass"]
        return "\n".join(lines)

    def file(self, body_classes, extra_imports):
        pyd = "pydantic.v1" if self.v1 else "pydantic"
        names = ["BaseModel", "Field"] + (["HttpUrl"] if "HttpUrl" in self.imports else [])
        head = sorted(i for i in self.imports if i.startswith("from "))
        head.append(f"from {pyd} import {', '.join(names)}")
        head += extra_imports
        text = "\n".join(head) + "\n\n\n" + "\n\n\n".join(self.support + body_classes) + "\n"
        self.support, self.imports = [], set()
        return text


def make_case(root: Path, rng, v1):
    g = Gen(rng, v1)
    pkg = f"{rng.choice(CLASSES).lower()}_modules"
    mod = f"{rng.choice(CLASSES)}Module"
    (root / pkg).mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "tests" / "__init__.py").write_text("")
    manifest = {"configuration": {}, "description": "D", "name": "N", "slug": "n", "categories": [],
                "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "version": "0.1.0"}
    (root / "manifest.json").write_text(json.dumps(manifest, indent=2))
    models = g.model(f"{mod}Configuration", rng.randint(0, 4))
    (root / pkg / "models.py").write_text(g.file([models], []))
    (root / pkg / "__init__.py").write_text(
        f"from sekoia_automation.module import Module\nfrom {pkg}.models import {mod}Configuration\n\n\n"
        f"class {mod}(Module):\n    configuration: {mod}Configuration\n"
    )
    (root / "main.py").write_text(f"from {pkg} import {mod}\n\nif __name__ == \"__main__\":\n    module = {mod}()\n    module.run()\n")
    for i in range(rng.randint(1, 4)):
        kind = rng.choice(["action", "action", "trigger", "connector"])
        cls = f"{rng.choice(CLASSES)}{rng.choice(CLASSES)}{i}{kind.title()}"
        attrs = ""
        if rng.random() < 0.3:
            attrs += f'    name = "{cls[:6]} th\u00e9 {i}"\n'
        if rng.random() < 0.3:
            attrs += '    description = "Does \u00e9 things"\n'
        classes = []
        if kind == "action":
            args = rng.random() < 0.7
            res = rng.random() < 0.7
            if args:
                classes.append(g.model(f"{cls}Arguments", rng.randint(1, 4), allow_secret=False))
            if res:
                classes.append(g.model(f"{cls}Results", rng.randint(1, 4), allow_secret=False))
                attrs += f"    results_model = {cls}Results\n"
            arg = f"{cls}Arguments" if args else "dict"
            classes.append(f"class {cls}(Action):\n{attrs}\n    def run(self, arguments: {arg}):\n        raise NotImplementedError")
            imports = ["from sekoia_automation.action import Action"]
        elif kind == "trigger":
            classes.append(g.model(f"{cls}Configuration", rng.randint(1, 4)))
            if rng.random() < 0.5:
                classes.append(g.model(f"{cls}Event", rng.randint(1, 3), allow_secret=False))
                attrs += f"    results_model = {cls}Event\n"
            classes.append(f"class {cls}(Trigger):\n    configuration: {cls}Configuration\n{attrs}\n    def run(self):\n        raise NotImplementedError")
            imports = ["from sekoia_automation.trigger import Trigger"]
        else:
            conf = rng.random() < 0.8
            if conf:
                classes.append(g.model(f"{cls}Configuration", rng.randint(0, 3), base="DefaultConnectorConfiguration", allow_secret=False))
            line = f"    configuration: {cls}Configuration\n" if conf else ""
            classes.append(f"class {cls}(Connector):\n{line}{attrs}\n    def run(self):\n        raise NotImplementedError")
            imports = ["from sekoia_automation.connector import Connector, DefaultConnectorConfiguration"]
        (root / pkg / f"{kind}_{cls.lower()}.py").write_text(g.file(classes, imports))


def expected_v2(inp: Path, out: Path, sdk: str):
    shutil.copytree(inp, out)
    subprocess.run([sdk, "generate-files-from-code", str(out)], check=True, capture_output=True)


def expected_v1(inp: Path, out: Path):
    """SDK 1.22.5's generate-files-from-code, on pydantic.v1 models (`.schema()`)."""
    code = r'''
import json, sys, inspect
from pathlib import Path
from uuid import UUID, uuid5
from inspect import getmembers, isclass, isabstract, signature
from importlib import import_module
from pkgutil import walk_packages
base = Path(sys.argv[1]); sys.path.insert(0, str(base))
from sekoia_automation.action import Action
from sekoia_automation.trigger import Trigger
from sekoia_automation.connector import Connector
from sekoia_automation.module import Module
from sekoia_automation.utils import get_annotation_for
import pydantic.v1 as v1
class DefaultConnectorConfiguration(v1.BaseModel):
    intake_server: str | None = None
    intake_key: str
import sekoia_automation.connector as sdk_connector
sdk_connector.DefaultConnectorConfiguration = DefaultConnectorConfiguration  # 1.22.5's was pydantic.v1
found = {"a": set(), "t": set(), "c": set(), "m": set()}
for _, name, ispkg in walk_packages([str(base)]):
    if ispkg or name == "tests" or name.startswith("tests."):
        continue
    for _, obj in getmembers(import_module(name), isclass):
        if isabstract(obj): continue
        if issubclass(obj, Action): found["a"].add(obj)
        elif issubclass(obj, Connector) and obj != Connector: found["c"].add(obj)
        elif issubclass(obj, Trigger) and obj not in {Trigger, Connector}: found["t"].add(obj)
        elif issubclass(obj, Module) and obj != Module: found["m"].add(obj)
module_uuid = UUID(json.loads((base / "manifest.json").read_text())["uuid"])
def schema(m):
    return m.schema() if m is not None else {}
def conf(cls):
    c = get_annotation_for(cls, "configuration")
    if c is not None and c.__name__ == "DefaultConnectorConfiguration" and not issubclass(c, v1.BaseModel):
        c = DefaultConnectorConfiguration
    return c
def write(prefix, cls, args, results):
    name = cls.name or cls.__name__
    m = {"name": name, "description": cls.description or name, "uuid": str(uuid5(module_uuid, name)),
         "docker_parameters": cls.__name__, "arguments": args}
    if results is not None: m["results"] = results
    (base / f"{prefix}_{name.lower().replace(' ', '_')}.json").write_text(json.dumps(m, indent=2))
for a in found["a"]:
    p = list(signature(a.run).parameters.values())
    ann = p[1].annotation if len(p) > 1 else None
    args = ann.schema() if isclass(ann) and issubclass(ann, v1.BaseModel) else {}
    write("action", a, args, schema(getattr(a, "results_model", None)))
for t in found["t"]:
    write("trigger", t, schema(conf(t)), schema(getattr(t, "results_model", None)))
for c in found["c"]:
    write("connector", c, schema(conf(c)), None)
(mod,) = found["m"]
cm = conf(mod)
man = json.loads((base / "manifest.json").read_text())
man["configuration"] = cm.schema()
for n, f in cm.__fields__.items():
    if f.field_info.extra.get("secret", False):
        man["configuration"]["properties"][n].pop("secret")
        man["configuration"].setdefault("secrets", []).append(n)
(base / "manifest.json").write_text(json.dumps(man, indent=2))
'''
    shutil.copytree(inp, out)
    subprocess.run([sys.executable, "-c", code, str(out)], check=True, capture_output=True)
    # main.py is not compared for v1 cases (same generator as v2).
    (out / "main.py").unlink(missing_ok=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--cases", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--v1", action="store_true")
    ap.add_argument("--sdk", default=str(Path(sys.executable).parent / "sekoia-automation"))
    a = ap.parse_args()
    rng = random.Random(a.seed)
    for n in range(a.cases):
        case = a.out / f"case-{n:03d}"
        make_case(case / "input", rng, a.v1)
        try:
            if a.v1:
                expected_v1(case / "input", case / "expected")
            else:
                expected_v2(case / "input", case / "expected", a.sdk)
        except subprocess.CalledProcessError as e:
            print(f"{case}: SDK failed: {e.stderr.decode()[-400:]}", file=sys.stderr)
            shutil.rmtree(case)
            continue
        exp = case / "expected"
        for f in list(exp.rglob("*")):
            if f.is_file() and not (f.parent == exp and (f.suffix == ".json" or f.name == "main.py")):
                f.unlink()
        for d in sorted((p for p in exp.rglob("*") if p.is_dir()), reverse=True):
            d.rmdir()


if __name__ == "__main__":
    main()
