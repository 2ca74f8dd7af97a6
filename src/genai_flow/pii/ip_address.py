"""IP addresses, whole: with a CIDR prefix (``10.0.0.0/8``, ``fe80::/10``), a zone
(``fe80::1%eth0``) or an embedded IPv4 (``::ffff:192.0.2.1``, ``64:ff9b::198.51.100.1``).

Candidates are found by shape and checked by Python's ``ipaddress``. Presidio's IP recognizer
masked ``10.0.0.0/8`` as ``<IP_ADDRESS>/8`` and ``::ffff:192.0.2.1`` only in part, missed
most compressed IPv6 forms, and an invalid value such as ``192.168.1.256`` then went to the
phone recognizer. Here an IP-shaped value that ``ipaddress`` rejects is reported as invalid,
so that it is left alone (see :mod:`.invalid`). A prefix that is out of range
(``10.0.0.0/123``) is not part of the address: the address alone is masked.
"""

from __future__ import annotations

import ipaddress

import regex
from presidio_analyzer import EntityRecognizer, LocalRecognizer

from .regex_recognizer import recognizer_result as _result

_V4 = r"(?:\d{1,3}\.){3}\d{1,3}"
_PREFIX = r"(?:/\d{1,4})?(?!\d)"
# An IPv4 followed by ".1" keeps its first four parts ("192.168.1.1.1"), as Presidio does.
IPV4 = regex.compile(rf"(?<![\w.]){_V4}(?!\d){_PREFIX}")
# Two to seven colons between hex groups, an optional IPv4 tail, zone and prefix; never in
# the middle of a word, a longer hex run or a dotted number ("::ffff:192.168.1" is no IP).
IPV6 = regex.compile(
    rf"(?<![\w:.%])[0-9A-Fa-f]{{0,4}}(?::[0-9A-Fa-f]{{0,4}}){{2,7}}(?:(?<=:){_V4})?"
    rf"(?:%\w+)?{_PREFIX}(?![\w:]|\.\d)"
)


def _valid_span(value: str) -> int:
    """How many characters of ``value`` are a valid address: all of it, the address without
    an out-of-range prefix, or 0."""
    try:
        ipaddress.ip_interface(value)
        return len(value)
    except ValueError:
        pass
    address = value.split("/", 1)[0]
    if address != value:
        try:
            ipaddress.ip_address(address)
            return len(address)
        except ValueError:
            pass
    return 0


def ip_candidates(text: str) -> list[tuple[int, int, bool]]:
    """``(start, end, valid)`` for each IP-shaped value: the valid address (with its prefix
    when that is in range), or the whole shaped span with ``valid`` False."""
    found = []
    for pattern in (IPV6, IPV4):
        for match in pattern.finditer(text):
            length = _valid_span(match.group())
            if length:
                found.append((match.start(), match.start() + length, True))
            else:
                found.append((match.start(), match.end(), False))
    return found


class IpAddressRecognizer(LocalRecognizer):
    """IP_ADDRESS: IPv4 and IPv6 addresses and networks that ``ipaddress`` accepts."""

    SCORES = {4: 0.6, 6: 0.7}  # a dotted quad is sometimes a version number; colons seldom
    CONTEXT = ["ip", "ipv4", "ipv6", "address", "server", "router", "gateway", "host", "vpn",
               "subnet", "network", "cidr"]

    def __init__(self):
        super().__init__(supported_entities=["IP_ADDRESS"], name="IpAddressRecognizer",
                         context=self.CONTEXT)

    def load(self) -> None:  # noqa: D102 (patterns compile at import)
        pass

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        if "." not in text and ":" not in text:
            return []
        results = []
        for start, end, valid in ip_candidates(text):
            if valid:
                score = self.SCORES[6 if ":" in text[start:end] else 4]
                results.append(_result(self, start, end, score, "accepted by ipaddress"))
        # An IPv4 inside a valid IPv6 ("::ffff:192.0.2.1") is reported too; resolve.py merges
        # overlapping results of one type into the whole address.
        return EntityRecognizer.remove_duplicates(results)
