"""Runs one component of a module as the SDK's run-action does, for `sekoia-wizard run`.

argv[1] is a JSON request: module root, class expression, module class, kind, arguments,
configuration, data path, the file where the outcome is written, and the bounds of a trigger's or
connector's run (max_events, timeout in seconds).

Actions: `run(arguments)`, results and logs in the outcome.
Triggers: the SDK's `send_event` runs (the results model checks the event); the request it would
send to Sekoia.io is printed instead, one JSON line per event.
Connectors: `push_events_to_intakes` runs for real, against a local intake started here; each
event it receives is printed, one per line (unless the configuration names an `intake_server`,
which then gets them).
Ctrl-C (SIGINT), max_events and the timeout all stop the component the same way: the SDK's
`stop()`, then KeyboardInterrupt to leave the component's loop even while it sleeps.
"""

import importlib.util
import json
import os
import signal
import sys
import threading
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# Events go to stdout behind this marker; everything else the component prints goes to stderr.
EVENT = "\x1esekoia-wizard-event "
_real_stdout = sys.stdout


def _attr(namespace, dotted):
    value = namespace
    for part in dotted.split("."):
        value = getattr(value, part)
    return value


class Bounds:
    def __init__(self, max_events, timeout):
        self.max_events = max_events
        self.timeout = timeout
        self.count = 0
        self.stopped = None
        self.lock = threading.Lock()

    def stop(self, reason):
        with self.lock:
            if self.stopped is None:
                self.stopped = reason
        os.kill(os.getpid(), signal.SIGINT)

    def event(self, text):
        with self.lock:
            self.count += 1
            count = self.count
            print(EVENT + text, file=_real_stdout, flush=True)
        if self.max_events is not None and count >= self.max_events:
            self.stop("max-events")


def _intake(bounds):
    """A local intake: the `/batch` API the SDK's connector pushes to."""

    class Intake(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            events = body.get("jsons", [])
            ids = []
            for event in events:
                if bounds.stopped is not None:
                    break
                ids.append(str(uuid.uuid4()))
                # One line per event: a string as it is, unless it spans lines.
                if isinstance(event, str) and "\n" not in event:
                    bounds.event(event)
                else:
                    bounds.event(json.dumps(event, default=str))
            answer = json.dumps({"received": True, "event_ids": ids}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Intake)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> int:
    request = json.loads(Path(sys.argv[1]).read_text())
    outcome = {"results": None, "error": None, "logs": [], "events": 0, "stopped": None}
    out_path = Path(request["outcome"])
    root = request["module_root"]
    sys.path.insert(0, root)
    item = None
    bounds = Bounds(request.get("max_events"), request.get("timeout"))
    timer = None
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
        kind = request["kind"]
        stopping = threading.Event()

        def on_sigint(*_):
            if bounds.stopped is None:
                bounds.stopped = "interrupted"
            if not stopping.is_set():
                stopping.set()
                if kind != "action":
                    item.stop()
                raise KeyboardInterrupt

        # After the component's constructor: the SDK's trigger registers its own handler there.
        signal.signal(signal.SIGINT, on_sigint)
        signal.signal(signal.SIGTERM, on_sigint)
        if bounds.timeout:
            timer = threading.Timer(bounds.timeout, bounds.stop, args=("timeout",))
            timer.daemon = True
            timer.start()
        if kind == "action":
            try:
                outcome["results"] = item.run(request["arguments"])
            except KeyboardInterrupt:
                outcome["error"] = "stopped ({}) before the action returned".format(bounds.stopped)
            else:
                outcome["error"] = item.error_message
            outcome["logs"] = item.logs
        else:
            sys.stdout = sys.stderr  # the component's own prints: stdout is for events

            def send_request(data, *args, **kwargs):
                if bounds.stopped is not None:
                    return
                shown = {"event_name": data.get("name"), "event": data.get("event")}
                if data.get("directory"):
                    shown["directory"] = data["directory"]
                bounds.event(json.dumps(shown, default=str))

            def log(message, level="info", *args, **kwargs):
                print(f"log: {level}: {message}", file=sys.stderr, flush=True)

            item._send_request = send_request
            item.log = log
            arguments = dict(request["arguments"])
            if kind == "connector" and not arguments.get("intake_server"):
                server = _intake(bounds)
                arguments["intake_server"] = "http://127.0.0.1:{}/".format(server.server_address[1])
            item.configuration = arguments
            try:
                item.run()
            except KeyboardInterrupt:
                pass
            # A component that returns by itself (no more events to send) ends the run too.
    except KeyboardInterrupt:
        pass
    except Exception:
        outcome["error"] = traceback.format_exc()
        if item is not None and hasattr(item, "logs"):
            outcome["logs"] = item.logs
    finally:
        if timer is not None:
            timer.cancel()
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    outcome["events"] = bounds.count
    outcome["stopped"] = bounds.stopped
    out_path.write_text(json.dumps(outcome, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
