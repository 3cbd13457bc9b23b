"""Runs one component of a module as the SDK's run-action does, for `sekoia-wizard run`.

argv[1] is a JSON request: module root, class expression, module class, kind, arguments,
configuration, data path and the file where the outcome is written.
"""

import importlib.util
import json
import sys
import traceback
from pathlib import Path


def _attr(namespace, dotted):
    value = namespace
    for part in dotted.split("."):
        value = getattr(value, part)
    return value


def main() -> int:
    request = json.loads(Path(sys.argv[1]).read_text())
    outcome = {"results": None, "error": None, "logs": []}
    out_path = Path(request["outcome"])
    root = request["module_root"]
    sys.path.insert(0, root)
    item = None
    try:
        spec = importlib.util.spec_from_file_location("sekoia_wizard_main", Path(root) / "main.py")
        main_module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(main_module)  # not __main__: its registrations do not run
        from sekoia_automation.module import Module

        module_cls = Module
        if request.get("module_class"):
            try:
                module_cls = _attr(main_module, request["module_class"])
            except AttributeError:
                module_cls = Module
        module = module_cls()
        if request["configuration"]:
            module.configuration = request["configuration"]
        cls = _attr(main_module, request["class"])
        item = cls(module=module, data_path=Path(request["data_path"]))
        if request["kind"] == "action":
            outcome["results"] = item.run(request["arguments"])
            outcome["error"] = item.error_message
            outcome["logs"] = item.logs
        else:

            def show(*args, **kwargs):
                print(json.dumps({"event": [repr(a) if not isinstance(a, (dict, list, str)) else a for a in args]}, default=str), flush=True)
                return []

            item.send_event = show
            item.push_events_to_intakes = show
            item.log = lambda message, level="info", *a, **k: print(f"{level}: {message}", file=sys.stderr, flush=True)
            item.configuration = request["arguments"]
            try:
                item.run()
            except KeyboardInterrupt:
                pass
    except Exception:
        outcome["error"] = traceback.format_exc()
        if item is not None and hasattr(item, "logs"):
            outcome["logs"] = item.logs
    out_path.write_text(json.dumps(outcome, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
