"""Answers held to the knowledge base: groundedness, the extractive answer, the thresholds.

- :mod:`.facts`: the concrete facts of a text (numbers, prices, e-mail addresses, URLs, menu
  paths, codes, shortcuts);
- :mod:`.sentences`: sentences of answers and passages (spaCy's rule-based sentencizer);
- :mod:`.support`: how well an answer is supported by the passages (``groundedness``);
- :mod:`.extractive`: the most relevant sentences of the best passages, quoted and cited;
- :mod:`.thresholds`: the serving thresholds, read from the served model or the settings;
- :mod:`.calibration`: fitting those thresholds on held-out answers (evaluate).
"""
