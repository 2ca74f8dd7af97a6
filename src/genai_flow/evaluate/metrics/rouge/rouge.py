"""ROUGE as an `evaluate` metric module, computed with Google's `rouge_score` package."""

import datasets
import evaluate
from rouge_score import rouge_scorer

_DESCRIPTION = """ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum F-measures between predictions and
references (Lin, 2004), with the Porter stemmer by default. Returns the mean F-measure per type,
or one score per pair with ``use_aggregator=False``."""

_KWARGS_DESCRIPTION = """
Args:
    predictions: list of generated texts.
    references: list of reference texts, one per prediction.
    rouge_types: subset of ["rouge1", "rouge2", "rougeL", "rougeLsum"] (default: all four).
    use_stemmer: reduce words to their stems before matching (default: True).
    use_aggregator: return the mean over pairs instead of per-pair lists (default: True).
Returns:
    {rouge_type: float} or {rouge_type: [float, ...]}
"""

_CITATION = """@inproceedings{lin-2004-rouge,
  title = "{ROUGE}: A Package for Automatic Evaluation of Summaries",
  author = "Lin, Chin-Yew", booktitle = "Text Summarization Branches Out", year = "2004"}"""

ROUGE_TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]


class Rouge(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features(
                {"predictions": datasets.Value("string"), "references": datasets.Value("string")}
            ),
        )

    def _compute(self, predictions, references, rouge_types=None, use_stemmer=True, use_aggregator=True):
        rouge_types = list(rouge_types or ROUGE_TYPES)
        scorer = rouge_scorer.RougeScorer(rouge_types=rouge_types, use_stemmer=use_stemmer)
        pairs = [scorer.score(ref, pred) for ref, pred in zip(references, predictions)]
        per_pair = {kind: [float(scores[kind].fmeasure) for scores in pairs] for kind in rouge_types}
        if use_aggregator:
            # A plain mean: deterministic (rouge_score's bootstrap aggregator resamples at random).
            return {kind: sum(values) / len(values) if values else 0.0 for kind, values in per_pair.items()}
        return per_pair
