"""Train the toxicity head (``genai-flow train-guard``): reproducible, plain coefficients out.

1. read ``data/toxicity/toxicity_train.jsonl`` (``text``, ``toxic``, ``category`` per line);
2. split it 80/20, stratified by category, with a fixed seed;
3. normalize and embed every text (all-MiniLM-L6-v2, normalized embeddings), and score it
   with alt-profanity-check (for the fusions that use it);
4. choose the fusion and the regularization ``C`` by 5-fold cross-validation on the
   training split (out-of-fold partial AUC up to 10% false positives): the validation split
   is too small to tell variants apart reliably, and stays untouched for the threshold;
5. fit scikit-learn's ``LogisticRegression`` (lbfgs, deterministic) on the training split;
6. choose the threshold on the validation split: the highest recall that flags at most
   ``max_fpr`` of the ordinary benign texts (false positives refuse real customers: they
   cost more) and at most ``max_trap_fpr`` of the traps (``TRAP_CATEGORIES``);
7. write ``toxicity_head.npz`` + ``.json`` (see :mod:`.head`) and a report (json, HTML, PNG)
   with the validation metrics per category, and every variant's cross-validation and
   validation figures.

The same data, seed and embedder give byte-identical coefficients.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html
import io
import json
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from ..embed.embedder import model_label
from .head import FUSIONS, PROBE_TEXT, PROFANITY_FEATURE, ToxicityHead, embed, profanity_logit
from .normalize import normalize

DEFAULT_DATA = Path("data") / "toxicity" / "toxicity_train.jsonl"
AUTO = "auto"  # the fusion with the best cross-validated recall at the false-positive cap
C_GRID = (2.0, 8.0, 32.0)  # inverse L2 strengths tried by cross-validation
# Variants are ranked by the standardized partial AUC up to this false-positive rate: it
# weighs the low-false-positive end where the guard operates, and is far less noisy than the
# recall at one tail threshold (which flipped between runs on the same data).
PARTIAL_AUC_FPR = 0.1
# Benign categories written to look toxic (violent idioms, quotes, look-alike words, benign
# twins of toxic lines, quoted abuse): a quarter of the benign texts, and the hardest ones,
# rarer in real traffic. They get their own, looser cap, so that the hardest traps alone do
# not set the threshold (measured: with 5% for traps the head let "I will find out where you
# live and I will kill you" through).
TRAP_CATEGORIES = frozenset({"tech_trap", "quote_literature", "idiom", "near_miss", "lookalike_word", "counter_speech"})


@dataclasses.dataclass(frozen=True)
class TrainConfig:
    """What ``train-guard`` trains on and how."""

    data: Path  # the labeled jsonl
    head_file: Path  # where the .npz (and its .json) go
    report_dir: Path  # report.json, report.html, validation.png
    embedding_model: str = "all-MiniLM-L6-v2"
    seed: int = 13  # the split (and the solver, though lbfgs does not draw)
    validation_share: float = 0.2
    c: Optional[float] = None  # inverse L2 strength; None: chosen by cross-validation (C_GRID)
    class_weight: Optional[str] = None  # None or "balanced" (measured: no better here)
    max_fpr: float = 0.02  # ordinary benign texts flagged on validation, at most (2%)
    max_trap_fpr: float = 0.1  # texts of TRAP_CATEGORIES flagged on validation, at most (10%)
    limit: int = 0  # train on the first N texts per category (0: all): quick runs, tests
    fusion: str = AUTO  # one of head.FUSIONS, or "auto"
    command: str = "genai-flow train-guard"


def read_dataset(path: Path) -> list[dict]:
    """The labeled rows; raises ValueError naming the first bad line."""
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if not (isinstance(row.get("text"), str) and row["text"].strip()
                and isinstance(row.get("toxic"), bool) and isinstance(row.get("category"), str)):
            raise ValueError(f"{path}:{number}: needs a non-empty text, a boolean toxic and a category")
        rows.append(row)
    return rows


def split(categories: Sequence[str], share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Training and validation indices, stratified by category (so every category is in both)."""
    from sklearn.model_selection import train_test_split

    indices = np.arange(len(categories))
    train, validation = train_test_split(indices, test_size=share, stratify=list(categories), random_state=seed)
    return np.sort(train), np.sort(validation)


def choose_threshold(scores: np.ndarray, toxic: np.ndarray, max_fpr: float) -> float:
    """The lowest threshold (highest recall) that flags at most ``max_fpr`` of the benign
    scores: halfway between the highest benign score it must not flag and the next toxic one."""
    benign = np.sort(scores[~toxic])[::-1]
    allowed = int(np.floor(max_fpr * len(benign) + 1e-9))
    if allowed >= len(benign):
        return 0.0
    ceiling = benign[allowed]  # flagging this one would exceed max_fpr
    above = scores[toxic & (scores > ceiling)]
    upper = above.min() if above.size else min(1.0, ceiling + 1e-3)
    middle = round(float(ceiling + upper) / 2, 6)  # rounded for the json, never onto ceiling
    return middle if middle > ceiling else float(upper)


def threshold_for(scores: np.ndarray, toxic: np.ndarray, categories: np.ndarray, config: TrainConfig) -> float:
    """The threshold that keeps both caps: at most ``max_fpr`` of the ordinary benign texts
    and at most ``max_trap_fpr`` of the traps flagged (the higher of the two thresholds)."""
    traps = np.isin(categories, list(TRAP_CATEGORIES))
    ordinary = choose_threshold(scores[~traps], toxic[~traps], config.max_fpr)
    with_traps = toxic | traps
    return max(ordinary, choose_threshold(scores[with_traps], toxic[with_traps], config.max_trap_fpr))


def rates(scores: np.ndarray, toxic: np.ndarray, categories: np.ndarray, threshold: float) -> dict:
    """Recall (toxic categories) or false-positive rate (benign ones) per category."""
    from sklearn.metrics import roc_auc_score

    flagged = scores >= threshold
    traps = np.isin(categories, list(TRAP_CATEGORIES))
    per_category = {}
    for category in sorted(set(categories)):
        mask = categories == category
        kind = "recall" if toxic[mask].all() else "false_positive_rate"
        per_category[category] = {"texts": int(mask.sum()), kind: round(float(flagged[mask].mean()), 4)}
    return {
        "auc": round(float(roc_auc_score(toxic, scores)), 4) if 0 < toxic.sum() < len(toxic) else None,
        "recall": round(float(flagged[toxic].mean()), 4),
        "false_positive_rate": round(float(flagged[~toxic].mean()), 4),
        "benign_flagged": int(flagged[~toxic].sum()),
        "benign": int((~toxic).sum()),
        "traps_flagged": int(flagged[traps].sum()),
        "traps": int(traps.sum()),
        "toxic": int(toxic.sum()),
        "per_category": per_category,
    }


def fit_head(fusion, c, embeddings, profanity, toxic, train, config, model_name) -> ToxicityHead:
    """The head of one fusion fitted on the rows ``train`` (threshold still 0)."""
    from sklearn.linear_model import LogisticRegression

    features = embeddings
    if fusion == PROFANITY_FEATURE:
        features = np.hstack([embeddings, profanity_logit(profanity)[:, None]])
    model = LogisticRegression(
        C=c, class_weight=config.class_weight, solver="lbfgs", max_iter=5000, tol=1e-6,
        random_state=config.seed,
    ).fit(features[train], toxic[train])
    return ToxicityHead(model.coef_.ravel().astype(np.float64), float(model.intercept_[0]), 0.0, model_name, fusion)


def recall_at_fpr(scores: np.ndarray, toxic: np.ndarray, max_fpr: float) -> float:
    """Recall at the threshold :func:`choose_threshold` picks on these same scores."""
    return float((scores[toxic] >= choose_threshold(scores, toxic, max_fpr)).mean())


def cross_validate(embeddings, profanity, toxic, categories, train, config, model_name) -> dict:
    """Out-of-fold recall at ``max_fpr`` and AUC of every (fusion, C) on the training split,
    5 folds stratified by category: ``{"<fusion> C=<c>": {...}}``."""
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    folds = min(5, int(np.unique(categories[train], return_counts=True)[1].min()))
    splits = list(StratifiedKFold(folds, shuffle=True, random_state=config.seed).split(train, categories[train]))
    grid = (config.c,) if config.c else C_GRID
    fusions = FUSIONS if config.fusion == AUTO else (config.fusion,)
    results = {}
    for fusion in fusions:
        for c in grid:
            scores = np.zeros(len(train))
            for fit_rows, held_out in splits:
                head = fit_head(fusion, c, embeddings, profanity, toxic, train[fit_rows], config, model_name)
                scores[held_out] = head.score_embeddings(embeddings[train[held_out]], profanity[train[held_out]])
            results[f"{fusion} C={c:g}"] = {
                "fusion": fusion, "C": c, "recall": round(recall_at_fpr(scores, toxic[train], config.max_fpr), 4),
                "auc": round(float(roc_auc_score(toxic[train], scores)), 4),
                "partial_auc": round(float(roc_auc_score(toxic[train], scores, max_fpr=PARTIAL_AUC_FPR)), 4),
            }
    return results


def subset(rows: list[dict], limit: int) -> list[dict]:
    """The first ``limit`` rows of each category, in file order (all when 0)."""
    if not limit:
        return rows
    seen: dict[str, int] = {}
    kept = []
    for row in rows:
        seen[row["category"]] = seen.get(row["category"], 0) + 1
        if seen[row["category"]] <= limit:
            kept.append(row)
    return kept


def train(config: TrainConfig, embedder, profanity_scorer=None) -> dict:
    """Train, choose the threshold, write the head files and the report; returns the report.

    :param embedder: the sentence-transformers model named ``config.embedding_model``.
    :param profanity_scorer: texts -> probabilities (default: alt-profanity-check's), for the
        fusions that use it.
    """
    data_bytes = Path(config.data).read_bytes()
    rows = subset(read_dataset(config.data), config.limit)
    texts = [normalize(row["text"]) for row in rows]
    toxic = np.array([row["toxic"] for row in rows])
    categories = np.array([row["category"] for row in rows])
    train_index, validation_index = split(categories, config.validation_share, config.seed)

    embeddings = np.asarray(embed(embedder, texts), dtype=np.float64)
    if profanity_scorer is None:
        from .profanity import profanity_scorer as loader

        profanity_scorer = loader()
    profanity = np.asarray(profanity_scorer(texts), dtype=np.float64)
    model_name = model_label(config.embedding_model)
    selection = cross_validate(embeddings, profanity, toxic, categories, train_index, config, model_name)
    best = max(selection.values(), key=lambda row: (row["partial_auc"], row["recall"]))
    fusion, c = best["fusion"], best["C"]
    variants = {}  # every fusion with the chosen C, on the validation split (for the report)
    for name in FUSIONS:
        head = fit_head(name, c, embeddings, profanity, toxic, train_index, config, model_name)
        scores = head.score_embeddings(embeddings[validation_index], profanity[validation_index])
        threshold = threshold_for(scores, toxic[validation_index], categories[validation_index], config)
        head = dataclasses.replace(head, threshold=threshold)
        measured = rates(scores, toxic[validation_index], categories[validation_index], head.threshold)
        variants[name] = {key: measured[key] for key in ("auc", "recall", "false_positive_rate", "benign_flagged")}
        variants[name]["threshold"] = head.threshold
        if name == fusion:
            chosen, chosen_scores, validation = head, scores, measured
    probe = np.asarray(embed(embedder, [PROBE_TEXT])[0], dtype=np.float64)
    head, scores, threshold = dataclasses.replace(chosen, probe=probe), chosen_scores, chosen.threshold

    counts = {category: int((categories == category).sum()) for category in sorted(set(categories))}
    metadata = {
        "training_set": {"path": _shown(config.data), "sha256": hashlib.sha256(data_bytes).hexdigest(),
                         "texts": len(rows), "toxic": int(toxic.sum()), "per_category": counts,
                         "limit_per_category": config.limit},
        "split": {"seed": config.seed, "validation_share": config.validation_share,
                  "stratified_by": "category", "train": len(train_index), "validation": len(validation_index)},
        "model": {"kind": "LogisticRegression", "solver": "lbfgs", "C": c,
                  "class_weight": config.class_weight, "input": "normalize(text) -> normalized embedding"},
        "threshold_rule": f"highest validation recall with false-positive rate <= {config.max_fpr} on ordinary "
                          f"benign texts and <= {config.max_trap_fpr} on traps ({', '.join(sorted(TRAP_CATEGORIES))})",
        "validation": validation,
        "fusion": fusion,
        "selection_rule": f"5-fold cross-validation on the training split: best partial AUC (false-positive "
                          f"rate <= {PARTIAL_AUC_FPR}, standardized), ties: recall at <= {config.max_fpr}",
        "selection": selection,
        "variants": variants,
        "created_by": config.command,
    }
    head.save(config.head_file, metadata)
    write_report(config.report_dir, {"threshold": threshold, **metadata}, scores, toxic[validation_index])
    return {"head_file": str(config.head_file), "threshold": threshold, **metadata}


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when under it (the json ships in the package)."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def write_report(folder: Path, report: dict, scores: np.ndarray, toxic: np.ndarray) -> None:
    """report.json, validation.png (score histograms and ROC) and report.html (both together)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    png = _plot(scores, toxic, report["threshold"])
    (folder / "validation.png").write_bytes(png)
    validation = report["validation"]
    category_rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{row['texts']}</td>"
        f"<td>{row.get('recall', '')}</td><td>{row.get('false_positive_rate', '')}</td></tr>"
        for name, row in validation["per_category"].items()
    )
    selection_rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{row['auc']}</td><td>{row['partial_auc']}</td>"
        f"<td>{row['recall']}</td></tr>" for name, row in report["selection"].items()
    )
    variant_rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{row['auc']}</td><td>{row['recall']}</td>"
        f"<td>{row['benign_flagged']}</td><td>{row['threshold']}</td></tr>"
        for name, row in report["variants"].items()
    )
    (folder / "report.html").write_text(f"""<!doctype html><html><head><meta charset="utf-8">
<title>Toxicity head: validation</title><style>body{{font-family:sans-serif;max-width:860px}}
td,th{{padding:2px 10px;text-align:left}}</style></head><body>
<h1>Toxicity head: validation split</h1>
<p>Fusion {html.escape(report['fusion'])}; threshold {report['threshold']}
({html.escape(report['threshold_rule'])}); AUC {validation['auc']};
recall {validation['recall']} of {validation['toxic']} toxic; {validation['benign_flagged']} of
{validation['benign']} benign flagged, {validation['traps_flagged']} of them among the {validation['traps']} traps.
Training set sha256 {report['training_set']['sha256'][:16]}...,
{report['training_set']['texts']} texts; made by <code>{html.escape(report['created_by'])}</code>.</p>
<h2>Per category</h2><table><tr><th>category</th><th>texts</th><th>recall</th><th>false-positive rate</th></tr>
{category_rows}</table>
<h2>Selection: 5-fold cross-validation on the training split</h2>
<p>{html.escape(report['selection_rule'])}</p><table><tr><th>fusion, C</th><th>AUC</th>
<th>partial AUC</th><th>recall at the cap</th></tr>{selection_rows}</table>
<h2>Every fusion on the validation split (chosen C)</h2><table><tr><th>fusion</th><th>AUC</th>
<th>recall</th><th>benign flagged</th><th>threshold</th></tr>{variant_rows}</table>
<img alt="validation scores" src="data:image/png;base64,{base64.b64encode(png).decode()}">
</body></html>
""", encoding="utf-8")


def _plot(scores: np.ndarray, toxic: np.ndarray, threshold: float) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import roc_curve

    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    bins = np.linspace(0, 1, 41)
    left.hist(scores[~toxic], bins=bins, alpha=0.6, label="benign")
    left.hist(scores[toxic], bins=bins, alpha=0.6, label="toxic")
    left.axvline(threshold, color="k", linestyle="--", label=f"threshold {threshold:.3f}")
    left.set(xlabel="score", ylabel="texts", title="validation scores")
    left.legend()
    if 0 < toxic.sum() < len(toxic):
        fpr, tpr, _ = roc_curve(toxic, scores)
        right.plot(fpr, tpr)
    right.set(xlabel="false-positive rate", ylabel="recall", title="ROC (validation)")
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=80)
    plt.close(figure)
    return buffer.getvalue()
