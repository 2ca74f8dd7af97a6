"""MLRun function `evaluate`: compare the base and tuned models and decide whether to deploy."""

import dataclasses
from typing import Optional

import mlrun
import pandas as pd
from tqdm.auto import tqdm

from .. import schema
from ..dataset_io import read_dataset
from ..fine_tune.examples import ticket_rows
from ..guardrails import ToxicityConfig, ToxicityGuard
from ..model_loading import ModelConfig
from ..settings import get_settings
from ..tuned_model import TunedModel, load_base_model, load_tuned_model
from .answers import generate_answers
from .config import EvaluateConfig
from .gate import GateThresholds, decide
from .judge import JudgeConfig, make_judge
from .metrics import load_metric
from .perplexity import answer_perplexity
from .report import comparison_frame, report_html, summary_frame
from .similarity import semantic_similarity


def _currently_deployed(context) -> Optional[str]:
    """The model the endpoint serves now: the local server's, or the cluster serving function's."""
    from ..local_mode import is_local_mode, server_process

    if is_local_mode():
        state = server_process.current()
        return state["model"] if state and state.get("model") else None
    try:
        function = context.get_project_object().get_function("serving", sync=True)
        return function.spec.graph["llm-server"].class_args.get("model_path") or None
    except Exception as error:  # nothing deployed yet: compare with the base model
        context.logger.info(f"no deployed serving model found ({error}): the gate compares with the base")
        return None


@dataclasses.dataclass
class _Scored:
    metrics: dict
    answers: list[str]
    rouge: list[float]
    similarity: list[float]


def _score_model(
    tuned: TunedModel,
    rows: pd.DataFrame,
    label: str,
    guard: ToxicityGuard,
    config: EvaluateConfig,
    models: ModelConfig,
) -> _Scored:
    subjects, questions = rows[schema.SUBJECT].tolist(), rows[schema.TEXT].tolist()
    references = rows[schema.ANSWER].tolist()
    answers = generate_answers(
        tuned, subjects, questions, config.max_new_tokens, config.batch_size, f"{label} answers"
    )
    rouge = load_metric("rouge").compute(
        predictions=answers, references=references, rouge_types=["rougeL"], use_aggregator=False
    )["rougeL"]
    similarity = semantic_similarity(answers, references, models)
    flags = guard.flagged(answers)
    metrics = {
        "rougeL": sum(rouge) / len(rouge),
        "perplexity": answer_perplexity(tuned, rows, config.max_length, config.batch_size),
        "similarity": sum(similarity) / len(similarity),
        "toxicity_rate": sum(flags) / len(flags),
    }
    return _Scored(metrics, answers, rouge, similarity)


def evaluate(
    context: mlrun.MLClientCtx,
    dataset: mlrun.DataItem,
    model: mlrun.DataItem,
    deployed_model: Optional[str] = None,
    base_model: Optional[str] = None,
    max_examples: Optional[int] = None,
    max_new_tokens: Optional[int] = None,
    batch_size: Optional[int] = None,
    rougel_margin: Optional[float] = None,
    perplexity_margin: Optional[float] = None,
    max_toxicity_rate: Optional[float] = None,
    judge: Optional[str] = None,
    judge_model: Optional[str] = None,
    judge_url: Optional[str] = None,
) -> None:
    """Score the base and the tuned model on the held-out tickets and run the deploy gate.

    For each model: ROUGE-L of greedy answers against the agents' answers, perplexity of those
    answers, MiniLM similarity, and the toxicity rate of the answers (the serving filter's
    classifier). Optionally a judge model grades the tuned answers 1-5. The gate compares the
    tuned model with the deployed one when `deployed_model` is given, else with the base.

    Results: base_rougeL, tuned_rougeL, base_perplexity, tuned_perplexity, base_similarity,
    tuned_similarity, tuned_toxicity_rate, judge_score (None without a judge), deploy (bool),
    gate_reasons (list); deployed_* too when a deployed model is compared. Artifacts: the
    `comparison` report (HTML), `comparison_table` (CSV, one row per example), `metrics` (CSV).

    :param dataset: the masked dataset; `ticket` rows of the `test` split are used.
    :param model: the tuned model artifact (from fine-tune).
    :param deployed_model: model artifact URI of the model now serving, the gate's baseline;
        "auto": whatever the endpoint serves now (none yet: the base model is the baseline).
    :param base_model: base model setting (default: the tuned model's base).
    :param max_examples: score the first N held-out tickets, 0: all (default: setting
        evaluate_max_examples, 32).
    :param max_new_tokens: answer length limit (default: setting evaluate_max_new_tokens, 64).
    :param batch_size: prompts per generation batch (default: setting evaluate_batch_size, 8).
    :param rougel_margin: ROUGE-L the tuned model must gain over the baseline, absolute
        (default: setting gate_rougel_margin, 0.01).
    :param perplexity_margin: fraction by which tuned perplexity must be lower (default:
        setting gate_perplexity_margin, 0.05).
    :param max_toxicity_rate: largest share of tuned answers flagged toxic (default: setting
        gate_max_toxicity_rate, 0.05).
    :param judge: "none", "local" or "openai" (default: setting judge, "none").
    :param judge_model: "local": a model setting (unset: llm_model); "openai": the endpoint's
        model name, required (default: setting judge_model, unset).
    :param judge_url: OpenAI-compatible endpoint URL (default: setting judge_url, else env
        OPENAI_BASE_URL). Its key: the MLRun secret (or env) JUDGE_API_KEY, else setting
        judge_api_key, else env OPENAI_API_KEY.
    """
    # Every setting, resolved once; parameters that are None fall back to them.
    settings = get_settings()
    models = ModelConfig.from_settings(settings)
    config = EvaluateConfig.from_settings(
        settings, max_examples=max_examples, max_new_tokens=max_new_tokens, batch_size=batch_size
    )
    thresholds = GateThresholds.from_settings(
        settings,
        rougel_margin=rougel_margin,
        perplexity_margin=perplexity_margin,
        max_toxicity_rate=max_toxicity_rate,
    )
    judge_config = JudgeConfig.from_settings(
        settings, kind=judge, model=judge_model, url=judge_url, api_key=context.get_secret("JUDGE_API_KEY")
    )
    guard = ToxicityGuard(ToxicityConfig.from_settings(settings))

    rows = ticket_rows(read_dataset(dataset), schema.TEST)
    if config.max_examples:
        rows = rows.head(config.max_examples)
    if rows.empty:
        raise ValueError("the dataset has no ticket rows in the test split to evaluate on")
    # Before the long scoring: a misconfigured judge (no URL, no key) fails now.
    grader = make_judge(judge_config, models)
    if deployed_model == "auto":
        deployed_model = _currently_deployed(context)
    context.log_result("baseline", "deployed" if deployed_model else "base")

    tuned = load_tuned_model(model, models)
    base_model = base_model or tuned.info["base_model"]
    scored: dict[str, _Scored] = {}
    if base_model == tuned.info["base_model"]:
        # The same weights without the adapter: no second load.
        with tuned.model.disable_adapter():
            scored["base"] = _score_model(tuned, rows, "base", guard, config, models)
    else:
        scored["base"] = _score_model(load_base_model(models, base_model), rows, "base", guard, config, models)
    scored["tuned"] = _score_model(tuned, rows, "tuned", guard, config, models)
    if deployed_model:
        scored["deployed"] = _score_model(
            load_tuned_model(deployed_model, models), rows, "deployed", guard, config, models
        )

    judge_score = None
    if grader is not None:
        triples = list(zip(rows[schema.TEXT], rows[schema.ANSWER], scored["tuned"].answers))
        grades = [grader.score(q, ref, ans) for q, ref, ans in tqdm(triples, desc="judging", unit="answer")]
        parsed = [g for g in grades if g is not None]
        judge_score = sum(parsed) / len(parsed) if parsed else None
        context.log_results({"judge": grader.name, "judge_parsed": len(parsed)})
        scored["tuned"].metrics["judge_score"] = judge_score

    baseline_name = "deployed" if deployed_model else "base"
    verdict = decide(scored["tuned"].metrics, scored[baseline_name].metrics, thresholds, baseline_name)

    results = {"evaluated_examples": len(rows), "judge_score": judge_score, "deploy": verdict.deploy,
               "gate_reasons": verdict.reasons}
    for name, item in scored.items():
        results.update({
            f"{name}_rougeL": round(item.metrics["rougeL"], 5),
            f"{name}_perplexity": round(item.metrics["perplexity"], 4),
            f"{name}_similarity": round(item.metrics["similarity"], 5),
            f"{name}_toxicity_rate": round(item.metrics["toxicity_rate"], 5),
        })
    context.log_results(results)

    summary = summary_frame({name: item.metrics for name, item in scored.items()})
    examples = comparison_frame(
        rows[schema.SUBJECT].tolist(),
        rows[schema.TEXT].tolist(),
        rows[schema.ANSWER].tolist(),
        {name: item.answers for name, item in scored.items()},
        {name: item.rouge for name, item in scored.items()},
        {name: item.similarity for name, item in scored.items()},
    )
    context.log_artifact(
        "comparison",
        body=report_html(summary, examples, verdict, "Base vs tuned model on held-out tickets"),
        format="html",
        local_path="comparison.html",
    )
    context.log_dataset("comparison_table", df=examples, format="csv", index=False)
    context.log_dataset("metrics", df=summary, format="csv", index=False)
    context.logger.info(f"gate: {'deploy' if verdict.deploy else 'do not deploy'}; " + "; ".join(verdict.reasons))
