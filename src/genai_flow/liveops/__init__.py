"""LiveOps: what happens after deploy. Every answered request is recorded as a monitoring event
(:mod:`.recorder` into :mod:`.store`), without ever slowing or failing the request, and people
rate answers and correct them (feedback, in the same store). :mod:`.drift` measures how far a
window's questions are from the training questions (for the monitor)."""

from .recorder import EventRecorder, close_recorders, flush_recorders, recorder_for
from .store import EventStore

__all__ = ["EventRecorder", "EventStore", "close_recorders", "flush_recorders", "recorder_for"]
