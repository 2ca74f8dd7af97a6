"""Run PII masking with every non-loopback network access recorded and refused.

Prints one JSON line: {"ours": [...attempts...], "control": [...attempts...], "masked": ...}.
"control" is a plain TLDExtract() with a fresh cache, which fetches the public suffix list
from the internet: it proves that the guard sees the attempts it is meant to catch.
"""

import ipaddress
import json
import socket
import sys
import tempfile

attempts: list[str] = []
_getaddrinfo, _connect = socket.getaddrinfo, socket.socket.connect


def _is_loopback(host) -> bool:
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return str(host) in ("localhost", "")


def guarded_getaddrinfo(host, *args, **kwargs):
    if not _is_loopback(host):
        attempts.append(f"resolve {host}")
        raise OSError(f"network access to {host} is not allowed in this test")
    return _getaddrinfo(host, *args, **kwargs)


def guarded_connect(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(host):
        attempts.append(f"connect {host}")
        raise OSError(f"network access to {host} is not allowed in this test")
    return _connect(self, address)


socket.getaddrinfo = guarded_getaddrinfo
socket.socket.connect = guarded_connect

# --- ours: the whole path, from a cold process ----------------------------------------------
import tldextract  # noqa: E402

from genai_flow.pii import PiiConfig, mask_text  # noqa: E402

masked, _ = mask_text(
    "Mail jean-luc.moreau@example.fr or priya@mail.co.uk, call +44 20 7946 0958. "
    "Card 4111 1111 1111 1111, IBAN DE44 5001 0517 5407 3249 31, server 2a01:4db0::57aa.",
    PiiConfig.from_settings(),
)
tldextract.extract("someone@example.com")  # the module-level extractor Presidio's stock recognizer uses
ours = list(attempts)

# --- control: tldextract as shipped, with an empty cache -------------------------------------
attempts.clear()
with tempfile.TemporaryDirectory() as cache:
    tldextract.TLDExtract(cache_dir=cache)("someone@example.com")
control = list(attempts)

print(json.dumps({"ours": ours, "control": control, "masked": masked}))
sys.exit(0)
