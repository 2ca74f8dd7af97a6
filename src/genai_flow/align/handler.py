"""MLRun function `align`: preference optimization (TRL's DPOTrainer) of the supervised model."""


import json
import tempfile
import time
from pathlib import Path
from typing import Optional

import mlrun
from mlrun.artifacts import PlotArtifact

from ..dataset_io import read_dataset
from ..embed import RetrievalConfig, StoreLocation
from ..evaluate.answers import generate_answers
from ..fine_tune.examples import ticket_rows
from ..generation import clean_answer
from ..grounding.context import prompt_passages
from ..liveops.store import EventStore
from ..model_loading import ModelConfig, load_causal_lm
from ..prompts import PromptTemplate
from ..schema import SUBJECT, TEXT, TRAIN, embedding_text
from ..settings import get_settings
from ..tuned_model import ADAPTER_FILE, INFO_FILE, TunedModel, model_folder, save_tuned_model
from .callbacks import MLRunRewardCallback
from .config import AlignConfig
from .pairs import SOURCES, feedback_pairs, pairs_frame, reference_pairs, split_heldout
from .plots import reward_curves
from .tokens import pair_tokens
from .trainer import REFERENCE_ADAPTER, build_dpo_trainer


def align(
    context: mlrun.MLClientCtx,
    dataset: mlrun.DataItem,
    model: mlrun.DataItem,
    feedback: Optional[mlrun.DataItem] = None,
    min_pairs: Optional[int] = None,
    synthetic_pairs: Optional[int] = None,
    heldout_fraction: Optional[float] = None,
    beta: Optional[float] = None,
    learning_rate: Optional[float] = None,
    max_steps: Optional[int] = None,
    batch_size: Optional[int] = None,
    max_length: Optional[int] = None,
    max_new_tokens: Optional[int] = None,
    seed: Optional[int] = None,
    context_tokens: Optional[int] = None,
    model_key: str = "model",
) -> None:
    """Align the supervised model with what its users preferred (DPO on top of its LoRA adapter).

    Preference pairs come from feedback (a correction over the answer it corrects; per question,
    a +1 answer over a -1 answer) and, with synthetic_pairs, from training tickets (the reference
    answer over the supervised model's own answer; never the held-out split). Pairs about a
    share of the questions are held out. With at least min_pairs pairs, TRL's DPOTrainer trains
    the adapter on, against a frozen copy of it as the reference; with fewer, the supervised
    model passes on unchanged (so this step can sit in every retraining run).

    Logs the model artifact `model` (the aligned adapter, or the supervised one passed on, label
    `aligned`), `pairs` (every pair with its source and side), `reward_curve` (DPO loss and
    reward margin per step), and results `aligned`, `skipped_reason`, `pairs`,
    `pairs_<source>` (correction, rating, synthetic), `pairs_train`, `pairs_heldout`,
    `pairs_too_long`, `train_steps`, `train_seconds`, `generation_seconds`, `dpo_loss`,
    `reward_margin` and `reward_accuracy` (last step), `heldout_reward_margin`,
    `heldout_reward_accuracy` and `heldout_dpo_loss` (on the held-out pairs, after training).

    Every parameter left out (None) takes its setting (settings.py, env GENAI_FLOW_ALIGN_<NAME>).

    :param dataset: the masked dataset (its training split gives the synthetic pairs).
    :param model: the supervised model (fine-tune's `model` artifact).
    :param feedback: a feedback table (`question`, `answer`, `rating`, `correction`, as
        `genai-flow feedback --export` writes it); default: the LiveOps store of this project,
        when it exists.
    :param min_pairs: train only with at least this many pairs (default: settings
        align_min_pairs, 16).
    :param synthetic_pairs: training tickets turned into pairs, 0: none (default: settings
        align_synthetic_pairs, 0).
    :param heldout_fraction: share of the questions whose pairs are held out (default: 0.2).
    :param beta: DPO's beta, how far the policy may move from the supervised model (default: 0.1).
    :param learning_rate: peak learning rate (default: settings align_learning_rate, 2e-4).
    :param max_steps: optimizer steps (default: settings align_max_steps, 10).
    :param batch_size: pairs per step (default: settings align_batch_size, 2).
    :param max_length: prompt + answer tokens (default: settings align_max_length, 640).
    :param max_new_tokens: length of the model's answers for synthetic pairs (default: 64).
    :param seed: pair order and the held-out split (default: settings align_seed, 42).
    :param context_tokens: prompt tokens for retrieved passages (default: settings
        prompt_context_tokens, as fine-tune and serving).
    :param model_key: key of the logged model artifact.
    """
    s = get_settings()
    config = AlignConfig.from_settings(
        s, min_pairs=min_pairs, synthetic_pairs=synthetic_pairs, heldout_fraction=heldout_fraction, beta=beta,
        learning_rate=learning_rate, max_steps=max_steps, batch_size=batch_size, max_length=max_length,
        max_new_tokens=max_new_tokens, seed=seed,
    )
    models = ModelConfig.from_settings(s)
    context_tokens = s.prompt_context_tokens if context_tokens is None else context_tokens
    supervised = model_folder(model)
    info = json.loads((supervised / INFO_FILE).read_text())
    template = PromptTemplate.load(supervised)
    pairs = feedback_pairs(_feedback_items(feedback, s.liveops_store_file))
    rows = ticket_rows(read_dataset(dataset), TRAIN)
    rows = rows.sample(n=min(config.synthetic_pairs, len(rows)), random_state=config.seed)
    if len(pairs) + len(rows) < config.min_pairs:
        return _pass_on(context, supervised, info, model_key, pairs, len(rows),
                        f"{len(pairs)} feedback pairs and {len(rows)} synthetic asked: fewer than "
                        f"min_pairs={config.min_pairs}")

    llm, tokenizer, plan = load_causal_lm(models, info["base_model"], adapter=str(supervised), trainable_adapter=True)

    retrieved: dict = {}  # (subject, question) -> passages: a synthetic question is generated for and trained on

    def passages_for(subjects, questions):  # what each prompt carries, retrieved as serving does, once per question
        keys = [(str(subject or ""), str(question)) for subject, question in zip(subjects, questions)]
        missing = [key for key in dict.fromkeys(keys) if key not in retrieved]
        found = prompt_passages([embedding_text(*key) for key in missing], RetrievalConfig.from_settings(s),
                                StoreLocation.from_settings(s), models, tokenizer, template, context_tokens)
        retrieved.update(zip(missing, found))
        return [retrieved[key] for key in keys]

    started = time.monotonic()
    if len(rows):
        tuned = TunedModel(llm, tokenizer, template, plan, info, supervised)
        answers = generate_answers(tuned, list(rows[SUBJECT]), list(rows[TEXT]),
                                   passages_for(rows[SUBJECT], rows[TEXT]), config.max_new_tokens, batch_size=8,
                                   description="the supervised model's answers")
        pairs += reference_pairs(rows, [clean_answer(answer.text) for answer in answers])
    generation_seconds = round(time.monotonic() - started, 1)
    by_source = _by_source(pairs)
    if len(pairs) < config.min_pairs:
        return _pass_on(context, supervised, info, model_key, pairs, len(rows),
                        f"{len(pairs)} pairs: fewer than min_pairs={config.min_pairs}")

    train_pairs, heldout_pairs = split_heldout(pairs, config.heldout_fraction, config.seed)
    train_set, too_long = pair_tokens(train_pairs, tokenizer, template, config.max_length,
                                      passages_for([p.subject for p in train_pairs], [p.question for p in train_pairs]))
    heldout_set, heldout_too_long = pair_tokens(
        heldout_pairs, tokenizer, template, config.max_length,
        passages_for([p.subject for p in heldout_pairs], [p.question for p in heldout_pairs]))
    if not len(train_set) or not len(heldout_set):
        raise ValueError(f"no pairs left to train on or to measure: {too_long + heldout_too_long} of "
                         f"{len(pairs)} have prompts too long for max_length={config.max_length}")
    context.log_dataset("pairs", df=pairs_frame({"train": train_pairs, "heldout": heldout_pairs}), format="csv")
    context.logger.info(f"DPO on {len(train_set)} pairs ({by_source}), {len(heldout_set)} held out, on {plan.device}")

    callback = MLRunRewardCallback(context)
    output_dir = s.model_cache_dir.parent / "checkpoints" / "align"
    trainer = build_dpo_trainer(llm, tokenizer, train_set, config, output_dir,
                                on_cuda=plan.device.startswith("cuda"), callbacks=[callback])
    started = time.monotonic()
    output = trainer.train()
    train_seconds = round(time.monotonic() - started, 1)
    heldout = trainer.evaluate(heldout_set)

    results = {
        "aligned": True,
        "skipped_reason": None,
        "pairs": len(pairs),
        **by_source,
        "pairs_train": len(train_set),
        "pairs_heldout": len(heldout_set),
        "pairs_too_long": too_long + heldout_too_long,
        "train_steps": output.global_step,
        "train_seconds": train_seconds,
        "generation_seconds": generation_seconds,
        **{name: values[-1] for name, values in callback.history.items() if values},
        "heldout_reward_margin": round(float(heldout["eval_rewards/margins"]), 5),
        "heldout_reward_accuracy": round(float(heldout["eval_rewards/accuracies"]), 5),
        "heldout_dpo_loss": round(float(heldout["eval_loss"]), 5),
    }
    context.log_results(results)
    plot = context.log_artifact(PlotArtifact("reward_curve", body=reward_curves(callback.steps, callback.history)))
    policy = trainer.model
    policy.delete_adapter(REFERENCE_ADAPTER)  # the frozen reference copy is not part of the model
    parameters = {**info.get("parameters", {}), "align": {
        "method": "dpo", "beta": config.beta, "learning_rate": config.learning_rate, "max_steps": config.max_steps,
        "batch_size": config.batch_size, "pairs": by_source, "seed": config.seed,
        "supervised_model": getattr(model, "artifact_url", None) or str(model)}}
    with tempfile.TemporaryDirectory() as folder:
        save_tuned_model(Path(folder), policy, tokenizer, template, info["base_model"], parameters)
        _log_model(context, Path(folder), model_key, info["base_model"], parameters, "dpo",
                   {k: results[k] for k in ("heldout_reward_margin", "heldout_reward_accuracy", "dpo_loss")
                    if k in results}, extra={"reward_curve": plot})


def _feedback_items(feedback: Optional[mlrun.DataItem], store_file: Path) -> list[dict]:
    """The feedback table given, or this project's LiveOps store (none when it does not exist)."""
    if feedback is not None:
        frame = feedback.as_df()
        missing = {"question", "answer", "rating"} - set(frame.columns)
        if missing:
            raise ValueError(f"feedback table lacks the column(s) {', '.join(sorted(missing))}")
        return frame.where(frame.notna(), None).to_dict("records")
    return EventStore(store_file).feedback() if store_file.is_file() else []


def _by_source(pairs: list) -> dict:
    return {f"pairs_{source}": sum(pair.source == source for pair in pairs) for source in SOURCES}


def _pass_on(context, supervised: Path, info: dict, model_key: str, pairs: list, synthetic_asked: int,
             reason: str) -> None:
    """Too few pairs: the supervised model goes on as this step's model, unchanged, and says why."""
    context.logger.info(f"not aligning: {reason}; the supervised model passes on")
    if pairs:
        context.log_dataset("pairs", df=pairs_frame({"not_trained": pairs}), format="csv")
    context.log_results({"aligned": False, "skipped_reason": reason, "pairs": len(pairs), **_by_source(pairs),
                         "synthetic_asked": synthetic_asked})
    _log_model(context, supervised, model_key, info["base_model"], info.get("parameters", {}), "none", {})


def _log_model(context, folder: Path, key: str, base_model: str, parameters: dict, aligned: str, metrics: dict,
               extra: Optional[dict] = None):
    # MLRun uploads the model file and the extra data: list every file of the folder.
    files = {p.name: p.name for p in sorted(folder.iterdir()) if p.is_file() and p.name != ADAPTER_FILE}
    return context.log_model(
        key, model_dir=str(folder), model_file=ADAPTER_FILE, framework="peft", algorithm="lora",
        parameters=parameters, metrics=metrics,
        labels={"base_model": base_model, "adapter": "lora", "aligned": aligned},
        extra_data={**files, **(extra or {})},
    )
