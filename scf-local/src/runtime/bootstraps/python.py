"""scf-local's runner for Python event functions.

scf-local starts this file with the machine's python3 and talks to it through the Custom Runtime
API, exactly as it talks to a Custom Runtime's own bootstrap. Python 3.6+ standard library only.

Environment it reads (set by scf-local): SCF_RUNTIME_API and SCF_RUNTIME_API_PORT (where the API
is), _HANDLER ("module.function"), SCF_FUNCTIONNAME, SCF_FUNCTIONVERSION, SCF_NAMESPACE,
TENCENTCLOUD_REGION, and when set TENCENTCLOUD_APPID and TENCENTCLOUD_UIN. The working directory is
the code directory and PYTHONPATH lists the code directory, then the layers' directory.

Handler: the text before the last "." names the module, the rest the function. A "/" in the
module part separates directories ("src/app.main" imports the module src.app, as "src.app.main"
does), so code in subdirectories works with or without __init__.py files.

If the handler cannot be loaded (no such module, a syntax error, no such function), the runner
still reports ready and answers every event with an error of status 437 carrying the traceback,
so each invocation says clearly what is wrong instead of the instance dying at start.

Each event gets exactly one answer: the handler's return value as JSON text (Python's default
separators, non-ASCII kept, Decimal written as a string) on /response, or an error object on
/error: {"errorCode": -1, "errorMessage", "requestId", "stackTrace", "statusCode"} with status 430
for an exception or a result that is not JSON-serialisable, 400 for an event that is not JSON and
437 for a handler that could not be loaded.
"""

import http.client
import importlib
import json
import os
import sys
import traceback
from decimal import Decimal

USER_ERROR = 430
HANDLER_NOT_FOUND = 437
BAD_EVENT = 400


class ApiFailure(Exception):
    """The runtime API could not be reached or refused a call: the runner stops."""


class RuntimeApi(object):
    def __init__(self, host, port):
        self.host = host
        self.port = port

    def call(self, method, path, body=None):
        """One request on a fresh connection, no timeout; returns (headers, body)."""
        try:
            conn = http.client.HTTPConnection(self.host, self.port)
            try:
                conn.request(method, path, body=body)
                reply = conn.getresponse()
                data = reply.read()
            finally:
                conn.close()
        except (OSError, http.client.HTTPException) as err:
            raise ApiFailure("%s %s failed: %s" % (method, path, err))
        if not 200 <= reply.status < 300:
            raise ApiFailure("%s %s answered HTTP %d" % (method, path, reply.status))
        return reply, data


def error_object(message, request_id, stack, status):
    return json.dumps(
        {
            "errorCode": -1,
            "errorMessage": message,
            "requestId": request_id,
            "stackTrace": stack,
            "statusCode": status,
        },
        ensure_ascii=False,
    )


def exception_text(err):
    text = str(err)
    return text if text else type(err).__name__


def load_handler(spec):
    """Imports the handler; returns (function, None) or (None, (message, traceback))."""
    module_name, dot, function_name = spec.rpartition(".")
    if not dot or not module_name or not function_name:
        message = "handler %r is not of the form module.function" % spec
        return None, (message, message)
    module_name = module_name.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
        function = getattr(module, function_name)
        if not callable(function):
            raise TypeError("%s.%s is not a function" % (module_name, function_name))
        return function, None
    except Exception as err:  # anything the user's module raises while loading
        stack = traceback.format_exc().rstrip("\n")
        message = "handler %s could not be loaded: %s" % (spec, exception_text(err))
        sys.stderr.write(stack + "\n")
        return None, (message, stack)


def number(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return 0


def build_context(reply, request_id):
    env = os.environ
    namespace = env.get("SCF_NAMESPACE", "")
    extra = {"SCF_NAMESPACE": namespace}
    return {
        "memory_limit_in_mb": number(reply.getheader("memory_limit_in_mb")),
        "time_limit_in_ms": number(reply.getheader("time_limit_in_ms")),
        "request_id": request_id,
        "environment": json.dumps(extra, separators=(",", ":")),
        "environ": ";".join("%s=%s" % item for item in extra.items()),
        "function_version": env.get("SCF_FUNCTIONVERSION", ""),
        "function_name": env.get("SCF_FUNCTIONNAME", ""),
        "namespace": namespace,
        "tencentcloud_region": env.get("TENCENTCLOUD_REGION", ""),
        "tencentcloud_appid": env.get("TENCENTCLOUD_APPID", ""),
        "tencentcloud_uin": env.get("TENCENTCLOUD_UIN", ""),
    }


def encode_extra(value):
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)


def handle(handler, load_error, reply, body):
    """Runs one event; returns (route, text) for the one answer."""
    request_id = reply.getheader("request_id") or ""
    if load_error is not None:
        message, stack = load_error
        return "error", error_object(message, request_id, stack, HANDLER_NOT_FOUND)
    try:
        event = json.loads(body.decode("utf-8"))
    except ValueError as err:
        message = "the event is not valid JSON: %s" % err
        return "error", error_object(message, request_id, "", BAD_EVENT)
    context = build_context(reply, request_id)
    try:
        result = handler(event, context)
    except Exception as err:
        # Leave this runner's own frame out of the trace: it starts at the user's code.
        tb = err.__traceback__.tb_next or err.__traceback__
        stack = "".join(traceback.format_exception(type(err), err, tb)).rstrip("\n")
        sys.stderr.write(stack + "\n")
        return "error", error_object(exception_text(err), request_id, stack, USER_ERROR)
    try:
        return "response", json.dumps(result, ensure_ascii=False, default=encode_extra)
    except (TypeError, ValueError, RecursionError) as err:
        message = "the handler's return value cannot be encoded as JSON: %s" % err
        sys.stderr.write(message + "\n")
        return "error", error_object(message, request_id, "", USER_ERROR)


def flush():
    sys.stdout.flush()
    sys.stderr.flush()


def serve(api):
    handler, load_error = load_handler(os.environ.get("_HANDLER", ""))
    flush()
    api.call("POST", "/runtime/init/ready", b" ")
    while True:
        reply, body = api.call("GET", "/runtime/invocation/next")
        route, text = handle(handler, load_error, reply, body)
        flush()
        api.call("POST", "/runtime/invocation/" + route, text.encode("utf-8"))


def main():
    # Python puts this file's directory first on sys.path; drop it so that it cannot shadow a
    # module of the function's own.
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path and os.path.abspath(sys.path[0] or ".") == here:
        del sys.path[0]
    host = os.environ.get("SCF_RUNTIME_API")
    port = os.environ.get("SCF_RUNTIME_API_PORT")
    if not host or not port:
        sys.stderr.write(
            "scf-local python runner: SCF_RUNTIME_API and SCF_RUNTIME_API_PORT must be set\n"
        )
        sys.exit(2)
    try:
        serve(RuntimeApi(host, port))
    except ApiFailure as err:
        flush()
        sys.stderr.write("scf-local python runner: runtime API %s:%s: %s\n" % (host, port, err))
        sys.exit(1)


if __name__ == "__main__":
    main()
