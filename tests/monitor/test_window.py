"""The monitor's window: --since and --last as a person types them, and clear errors."""

from __future__ import annotations

import pytest

from genai_flow.monitor.run_local import MonitorError, parse_duration, parse_time, window_bounds

NOW = 1_790_000_000.0


@pytest.mark.parametrize("text, seconds", [("90s", 90), ("30m", 1800), ("24h", 86400), ("7d", 604800),
                                           ("1.5h", 5400), ("2w", 1209600)])
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


def test_times_are_utc_unless_they_say():
    assert parse_time("2026-11-30T00:00:00") == parse_time("2026-11-30T00:00:00+00:00")
    assert parse_time("2026-11-30T01:00:00+01:00") == parse_time("2026-11-30T00:00:00")
    assert parse_time("1790000000") == 1790000000.0


def test_window_from_last_or_since_or_the_default():
    assert window_bounds(None, "1h", "24h", now=NOW) == (NOW - 3600, NOW)
    assert window_bounds(None, None, "24h", now=NOW) == (NOW - 86400, NOW)
    assert window_bounds(str(NOW - 10), None, "24h", now=NOW) == (NOW - 10, NOW)
    assert window_bounds(str(NOW - 10), None, "24h", until=str(NOW - 5), now=NOW) == (NOW - 10, NOW - 5)


@pytest.mark.parametrize("since, last, message", [
    ("2026-11-30", "1h", "not both"), (None, "ten minutes", "cannot read the duration"),
    ("yesterday", None, "cannot read the time"), (str(NOW + 60), None, "starts at or after its end"),
])
def test_bad_windows_say_why(since, last, message):
    with pytest.raises(MonitorError, match=message):
        window_bounds(since, last, "24h", now=NOW)
    with pytest.raises(MonitorError, match="--until needs --since"):
        window_bounds(None, "1h", "24h", until=str(NOW))
