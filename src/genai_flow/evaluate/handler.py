"""MLRun function `evaluate`: compare the base and tuned models and decide whether to deploy."""

import dataclasses
import tempfile
from pathlib import Path
from typing import Optional

import mlrun
from mlrun.artifacts import PlotArtifact
from tqdm.auto import tqdm

from .. import schema
from ..dataset_io import read_dataset
from ..embed import RetrievalConfig, StoreLocation
from ..fine_tune.examples import ticket_rows
from ..grounding.context import prompt_passages
from ..grounding.thresholds import CALIBRATION_FILE, ServingThresholds
from ..guardrails import ToxicityConfig, ToxicityGuard
from ..model_loading import ModelConfig
from ..prompt_library import get_prompt
from ..prompts import Passage
from ..serving.config import ServingConfig
from ..settings import get_settings
from ..tuned_model import TunedModel, load_base_model, load_tuned_model, model_folder
from .config import EvaluateConfig
from .fact_set import load_fact_set
from .facts import (
    calibrate as calibrate_thresholds, off_topic_rates, retrieval_recall, retrieve_fact_set, score_answers,
    served_answers,
)
from .gate import GateThresholds, decide
from .judge import JudgeConfig, make_judge
from .report import comparison_frame, report_html, summary_frame
from .scoring import Scored, score_model


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
    min_fact_rate: Optional[float] = None,
    fact_set: Optional[str] = None,
    fact_questions: Optional[int] = None,
    calibrate: Optional[bool] = None,
    compare_fp32: Optional[bool] = None,
    judge: Optional[str] = None,
    judge_model: Optional[str] = None,
    judge_url: Optional[str] = None,
    prompts: Optional[list] = None,
) -> None:
    """Score the base and the tuned model on held-out data, fit the serving thresholds, and run
    the deploy gate.

    Every prompt carries the knowledge-base passages retrieved for its question, as the
    endpoint sends them. For each model, on the held-out tickets: ROUGE-L of greedy answers
    against the agents' answers, perplexity of those answers, MiniLM similarity, the toxicity
    rate of the answers; on the fact set (held-out questions whose answer must carry a given
    fact, and off-topic questions): the share of answers carrying their fact. For the tuned
    model, evaluate then fits the serving thresholds on its fact-set answers (groundedness,
    confidence, off-topic score; a signal that does not separate good answers from bad is
    dropped), stores them with the model (`calibration.json`, which serving reads), and scores
    the answers as the endpoint would serve them (`tuned_fact_rate`). Optionally a judge model
    grades the tuned answers 1-5. The gate compares the tuned model with the deployed one when
    `deployed_model` is given, else with the base.

    Results: base_/tuned_ rougeL, perplexity, similarity, toxicity_rate, model_fact_rate;
    tuned_fact_rate (as served), extractive_fact_rate, grounded_rate, retrieval_recall_at_1,
    retrieval_recall_at_k, retrieval_mrr, off_topic_precision, off_topic_recall, auroc_* and
    threshold_* per signal, judge_score (None without a judge), deploy (bool), gate_reasons
    (list); deployed_* too when a deployed model is compared; prompt_<key>_* for each prompt
    compared (`prompts`); served_form (how the scored weights were held: every model is scored
    as serving_quantization will serve it, int8 on CPU for "8bit"); tuned_fp32_* when that
    form is quantized (`compare_fp32`). Artifacts: the `comparison` report
    (HTML), `comparison_table` (CSV, one row per ticket), `fact_set_answers` (CSV), the
    `calibration` plot, `metrics` (CSV).

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
    :param min_fact_rate: share of fact-set answers (as served) that must carry their fact,
        0: not required (default: setting gate_min_fact_rate, 0).
    :param fact_set: the fact set, JSON lines (default: setting evaluate_fact_set, else
        data/fact_set/fact_set.jsonl of the project).
    :param fact_questions: score the first N fact questions and N off-topic ones, 0: all
        (default: setting evaluate_fact_questions, 0).
    :param calibrate: fit the serving thresholds and store them with the model (default:
        setting evaluate_calibrate, true).
    :param compare_fp32: when the served form is quantized, also score the tuned model in float32
        (the `tuned_fp32` row, and tuned_fp32_* results) to show what quantization costs; the gate
        still decides on the served form (default: setting evaluate_compare_fp32, true).
    :param judge: "none", "local" or "openai" (default: setting judge, "none").
    :param judge_model: "local": a model setting (unset: llm_model); "openai": the endpoint's
        model name, required (default: setting judge_model, unset).
    :param judge_url: OpenAI-compatible endpoint URL (default: setting judge_url, else env
        OPENAI_BASE_URL). Its key: the MLRun secret (or env) JUDGE_API_KEY, else setting
        judge_api_key, else env OPENAI_API_KEY.
    :param prompts: library prompts ("key" or "key@version") to score the tuned model with as
        well, on the same held-out tickets (the fact set and the gate use its own prompt); each
        is a column of the comparison and the `prompt_comparison` table. Default: none.
    """
    # Every setting, resolved once; parameters that are None fall back to them.
    settings = get_settings()
    models = ModelConfig.from_settings(settings)
    config = EvaluateConfig.from_settings(
        settings, max_examples=max_examples, max_new_tokens=max_new_tokens, batch_size=batch_size,
        fact_set=fact_set, fact_questions=fact_questions, calibrate=calibrate, compare_fp32=compare_fp32,
    )
    thresholds = GateThresholds.from_settings(
        settings,
        rougel_margin=rougel_margin,
        perplexity_margin=perplexity_margin,
        max_toxicity_rate=max_toxicity_rate,
        min_fact_rate=min_fact_rate,
    )
    judge_config = JudgeConfig.from_settings(
        settings, kind=judge, model=judge_model, url=judge_url, api_key=context.get_secret("JUDGE_API_KEY")
    )
    guard = ToxicityGuard(ToxicityConfig.from_settings(settings))
    retrieval, location = RetrievalConfig.from_settings(settings), StoreLocation.from_settings(settings)
    serving = ServingConfig.from_settings(settings)
    defaults = ServingThresholds(serving.min_confidence, serving.min_groundedness, serving.off_topic_score)
    context_tokens = settings.prompt_context_tokens
    facts = load_fact_set(
        config.fact_set or settings.project_dir / "data" / "fact_set" / "fact_set.jsonl", config.fact_questions
    )

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

    # Every model is scored in the form the endpoint will serve it (serving_quantization: int8 on
    # CPU, bitsandbytes on CUDA), so the gate and the calibration judge what users get.
    tuned = load_tuned_model(model, models, quantization=serving.quantization)
    context.log_result("served_form", tuned.plan.describe())
    # The prompts' passages, retrieved once (every model here shares the tokenizer's budget).
    queries = [schema.embedding_text(s, t) for s, t in zip(rows[schema.SUBJECT], rows[schema.TEXT])]
    passages = prompt_passages(queries, retrieval, location, models, tuned.tokenizer,
                               tuned.template, context_tokens)
    retrieved = retrieve_fact_set(facts, retrieval, location, models)
    fact_passages = [tuned.template.fit_passages(tuned.tokenizer, [Passage.of(h) for h in hits], context_tokens)
                     for hits in retrieved.hits]

    def score(candidate: TunedModel, label: str) -> Scored:
        return score_model(candidate, rows, passages, facts, fact_passages, label, guard, config, models)

    base_model = base_model or tuned.info["base_model"]
    scored: dict[str, Scored] = {}
    if base_model == tuned.info["base_model"] and not tuned.plan.cpu_int8:
        # The same weights without the adapter: no second load (int8 has the adapter merged in).
        with tuned.model.disable_adapter():
            scored["base"] = score(tuned, "base")
    else:
        scored["base"] = score(load_base_model(models, base_model, quantization=serving.quantization), "base")
    scored["tuned"] = score(tuned, "tuned")
    if config.compare_fp32 and tuned.plan.quantization != "none":
        scored["tuned_fp32"] = score(load_tuned_model(model, models), "tuned (float32)")
    if deployed_model:
        scored["deployed"] = score(load_tuned_model(deployed_model, models, quantization=serving.quantization),
                                   "deployed")
    variants = {f"prompt_{p.key.replace('-', '_')}": p for p in map(get_prompt, prompts or [])}
    for name, variant in variants.items():  # the tuned weights under another prompt: the prompt is the variable
        candidate = dataclasses.replace(tuned, template=variant.template)
        variant_passages = prompt_passages(queries, retrieval, location, models, tuned.tokenizer, variant.template,
                                           context_tokens)
        scored[name] = score_model(candidate, rows, variant_passages, None, [], f"{variant.key} prompt", guard,
                                    config, models)

    # The tuned model's fact-set answers: graded, calibrated on, then served by the policy.
    answers = score_answers(facts, retrieved.passages(), scored["tuned"].fact_answers, models,
                            serving.extract_sentences)
    results = retrieval_recall(facts, retrieved)
    serving_thresholds = defaults
    if config.calibrate:
        calibration = calibrate_thresholds(answers, retrieved, defaults)
        serving_thresholds = calibration.thresholds
        _store_thresholds(model, serving_thresholds, calibration, results)
        context.log_artifact(PlotArtifact("calibration", body=calibration.figure))
        for fit in calibration.fits:
            results[f"auroc_{fit.name}"] = fit.auroc
            results[f"threshold_{fit.name}"] = fit.threshold
            context.logger.info(f"calibration {fit.name}: {fit.reason}")
    served = served_answers(facts, retrieved.passages(), answers, retrieved, serving_thresholds, models,
                            serving.extract_sentences, serving.fallback_answer)
    scored["tuned"].metrics["fact_rate"] = float(served["served_correct"].mean())
    results.update(
        extractive_fact_rate=round(float(answers["extractive_correct"].mean()), 4),
        grounded_rate=round(float((served["answer_source"] == "model").mean()), 4),
        **off_topic_rates(retrieved, serving_thresholds.off_topic_score),
    )
    context.log_dataset("fact_set_answers", df=served, format="csv", index=False)

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

    results.update({"evaluated_examples": len(rows), "fact_questions": len(facts.questions),
                    "judge_score": judge_score, "deploy": verdict.deploy, "gate_reasons": verdict.reasons})
    for name, item in scored.items():
        results.update({f"{name}_{key}": round(value, 5) for key, value in item.metrics.items()
                        if key in _RESULT_METRICS and value is not None})
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
        body=report_html(summary, examples, verdict,
                         f"Base vs tuned model on held-out tickets, as served: {tuned.plan.describe()}"),
        format="html",
        local_path="comparison.html",
    )
    context.log_dataset("comparison_table", df=examples, format="csv", index=False)
    if variants:
        table = summary_frame({"tuned": scored["tuned"].metrics, **{name: scored[name].metrics for name in variants}})
        versions = {"tuned": tuned.template.version, **{name: p.version for name, p in variants.items()}}
        table.insert(1, "prompt_version", table["model"].map(versions))
        context.log_dataset("prompt_comparison", df=table, format="csv", index=False)
    context.log_dataset("metrics", df=summary, format="csv", index=False)
    context.logger.info(f"gate: {'deploy' if verdict.deploy else 'do not deploy'}; " + "; ".join(verdict.reasons))


_RESULT_METRICS = ("rougeL", "perplexity", "similarity", "toxicity_rate", "model_fact_rate", "fact_rate")


def _store_thresholds(model, thresholds: ServingThresholds, calibration, recall: dict) -> None:
    """Write calibration.json into the model: an artifact's extra data (serving reads it from
    the model's folder), or the folder itself for a model given as a path."""
    details = {"fits": [fit.to_dict() for fit in calibration.fits], "retrieval": recall}
    with tempfile.TemporaryDirectory() as folder:
        content = thresholds.save(Path(folder), details).read_bytes()
    uri = getattr(model, "artifact_url", None) or str(model)
    if mlrun.datastore.is_store_uri(uri):
        mlrun.artifacts.update_model(uri, extra_data={CALIBRATION_FILE: content})
    else:
        (model_folder(uri) / CALIBRATION_FILE).write_bytes(content)
