"""Why an answer is flagged (``flag_reason``): one place for the endpoint and the monitor.

The guard answers instead of the model for the refusals; a withheld answer is the model's,
replaced by the knowledge base's quoted sentences (grounding.policy).
"""

from ..grounding.policy import UNGROUNDED

TOXIC_INPUT, TOXIC_OUTPUT = "toxic_input", "toxic_output"
OFF_TOPIC = "off_topic"
REFUSALS = (TOXIC_INPUT, OFF_TOPIC, TOXIC_OUTPUT)  # the guard answered, not the model
WITHHELD = (UNGROUNDED,)  # the model's answer was withheld: quoted sentences instead
