"""Evaluation logic: generation, metrics, model-as-judge, the comparison report and the gate."""
