"""Load the toxicity measurement in a fresh process with the network refused and recorded.

Prints one JSON line: the scores, the connection attempts made while loading and scoring
(``ours``: must be empty) and those of a control request (proves the guard sees attempts).
Run by tests/guardrails/test_toxicity.py with an empty HF_HOME, so the module is loaded for the first time.
"""

import json
import socket

attempts = []
_getaddrinfo, _connect = socket.getaddrinfo, socket.socket.connect
LOCAL = ("localhost", "127.0.0.1", "::1")


def _refuse(what):
    attempts.append(what)
    raise OSError(f"network disabled in this check: {what}")


def guarded_getaddrinfo(host, *args, **kwargs):
    if host not in LOCAL:
        _refuse(f"resolve {host}")
    return _getaddrinfo(host, *args, **kwargs)


def guarded_connect(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(address, tuple) and host not in LOCAL:
        _refuse(f"connect {host}")
    return _connect(self, address)


socket.getaddrinfo, socket.socket.connect = guarded_getaddrinfo, guarded_connect

import genai_flow  # noqa: E402,F401  (the offline policy)
import evaluate  # noqa: E402

from genai_flow.guardrails import MODULE_DIR  # noqa: E402

module = evaluate.load(str(MODULE_DIR))
scores = module.compute(predictions=["you are a stupid idiot and I hate you", "How do I pair the hub?"])
ours = list(attempts)

try:
    import httpx

    httpx.get("https://huggingface.co/api/models/facebook/roberta-hate-speech-dynabench-r4-target", timeout=5)
except Exception:
    pass
print(json.dumps({"scores": scores["toxicity"], "ours": ours, "control": attempts[len(ours):],
                  "module_type": module.module_type, "backend": module.backend}))
