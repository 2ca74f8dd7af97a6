"""8-bit on CPU: the int8 model against float32, in one run.

1. Speed: greedy answers to the serving graph's real prompt shape (the model's template with
   the knowledge-base passages retrieved for each held-out question, fitted to
   prompt_context_tokens), one request at a time, exactly ``--tokens`` new tokens each:
   tokens/s and p50/p95 latency. Target: int8 at least 2.5x float32 tokens/s.
   Each form answers in its own process, the forms taking turns prompt by prompt, so that a
   slow spell of a shared machine falls on both alike.
   The ceiling, timed the same way: float32 with every Linear layer replaced by one that costs
   nothing (it returns zeros). What is left (attention, norms, the KV cache, generate's loop) is
   the same in every form, so float32 / Linear-free is the most any 8-bit Linear form could
   give on this machine, and (float32 - Linear-free) / (int8 - Linear-free) is how much faster
   the int8 Linear layers themselves are.
2. Memory: the resident set of a fresh process that loaded the model and answered (each form
   is measured in its own child process).
3. Quality on the held-out split, with evaluate's own scoring (``score_model``: what the
   deploy gate reads): ROUGE-L against the agents' answers on the held-out tickets,
   perplexity, similarity, and the facts-in-answer rate on the fact set. Targets: int8 ROUGE-L
   within 0.01 of float32; the facts-in-answer rate not lower.
   Also printed: the share of int8 answers equal to float32's, and for each form the share of
   answers that come out the same alone as in a batch of 8 (int8 rows are quantized
   independently; padding and the float kernels' batch-shaped rounding remain, in both forms).

The model: ``--model`` (a tuned model folder or store URI), else the one the local endpoint
serves (`make run`), else the base model. The held-out tickets are prepared and masked here as
the workflow does; passages come from the settings' Chroma store when it is indexed (`make
run`), else from the knowledge base indexed into a temporary folder.

    python bench/bench_quantization.py [--model PATH] [--tickets 32] [--tokens 48] [--requests 16]
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import queue
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch
from tabulate import tabulate

from genai_flow import local_mode, schema
from genai_flow.cpu_int8 import replace_linear_layers
from genai_flow.data_prep import Chunker, PrepOptions, prepare
from genai_flow.embed import EmbedConfig, RetrievalConfig, StoreLocation, index_chunks, retrieve, store_location
from genai_flow.evaluate.config import EvaluateConfig
from genai_flow.evaluate.facts import retrieve_fact_set
from genai_flow.evaluate.fact_set import load_fact_set
from genai_flow.evaluate.scoring import score_model
from genai_flow.fine_tune.examples import ticket_rows
from genai_flow.grounding.context import prompt_passages
from genai_flow.guardrails import ToxicityConfig, ToxicityGuard
from genai_flow.local_mode import server_process
from genai_flow.model_loading import ModelConfig, resolve_embedder
from genai_flow.pii import PiiConfig, PiiMasker
from genai_flow.pii.table import mask_table
from genai_flow.prompts import Passage
from genai_flow.settings import get_settings
from genai_flow.tuned_model import load_base_model, load_tuned_model

local_mode.enable()  # offline models; the embedded run DB, where `make run` logged its model

FACT_SET = Path(__file__).resolve().parents[1] / "data" / "fact_set" / "fact_set.jsonl"
SPEEDUP_TARGET = 2.5
ROUGE_TOLERANCE = 0.01
FORMS = {"float32": "none", "int8": "8bit"}  # the serving_quantization setting of each form
LINEAR_FREE = "Linear-free"  # the ceiling (timed only): float32 without the cost of its Linear layers


def load(model: str | None, quantization: str):
    models = ModelConfig.from_settings()
    if model:
        return load_tuned_model(model, models, quantization=quantization, cuda=False)
    return load_base_model(models, quantization=quantization, cuda=False)


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


class FreeLinear(torch.nn.Module):
    """Stands in for a Linear layer at no cost: zeros of its output's shape."""

    def __init__(self, out_features: int):
        super().__init__()
        self.out_features = out_features

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs.new_zeros(*inputs.shape[:-1], self.out_features)


def without_linear_cost(model):
    """``model`` (its adapter merged first) with every Linear layer replaced by a ``FreeLinear``:
    its answers are noise, its time is what every form spends outside the Linear layers."""
    if hasattr(model, "merge_and_unload"):
        model = model.merge_and_unload()
    replace_linear_layers(model, lambda linear: FreeLinear(linear.out_features))
    return model


def answer_on_request(model: str | None, form: str, prompts: list[str], tokens: int, requests, replies) -> None:
    """In a child process: load one form and warm it up, then answer alone each prompt whose index
    arrives on ``requests`` (exactly ``tokens`` new tokens), replying with the seconds it took;
    ``None`` ends it with the process's resident memory and the form in words."""
    import psutil
    import torch

    loaded = load(model, FORMS.get(form, "none"))
    generator, described = loaded.model, loaded.plan.describe()
    if form == LINEAR_FREE:
        generator = without_linear_cost(generator)
        described = "float32, every Linear layer replaced by zeros at no cost (the ceiling)"
    tokenizer = loaded.tokenizer

    def answer(prompt: str) -> float:
        inputs = tokenizer(prompt, return_tensors="pt")
        started = time.perf_counter()
        generator.generate(**inputs, max_new_tokens=tokens, min_new_tokens=tokens, do_sample=False,
                           pad_token_id=tokenizer.pad_token_id)
        return time.perf_counter() - started

    with torch.inference_mode():
        replies.put(answer(prompts[0]))  # the warm-up, and "loaded"
        while (index := requests.get()) is not None:
            replies.put(answer(prompts[index]))
    replies.put({"rss_mib": psutil.Process().memory_info().rss / 2**20, "form": described})


def reply_from(process, replies, form: str):
    """The child's next reply; a child that died (a failed load) fails the bench, naming its form,
    instead of leaving it waiting."""
    while True:
        try:
            return replies.get(timeout=5)
        except queue.Empty:
            if not process.is_alive():
                raise RuntimeError(f"the {form} process exited with code {process.exitcode}; its error is above")


def timed_forms(model: str | None, prompts: list[str], tokens: int) -> dict:
    """Every form in its own process (its memory is its own), all given the same prompts in turn,
    one request at a time: a slow spell of a shared machine falls on every form alike, which
    timing one form after the other does not give."""
    context = multiprocessing.get_context("spawn")
    children = {}
    for form in [*FORMS, LINEAR_FREE]:
        requests, replies = context.Queue(), context.Queue()
        process = context.Process(target=answer_on_request, args=(model, form, prompts, tokens, requests, replies))
        process.start()
        reply_from(process, replies, form)  # loaded and warmed up before any timing starts
        children[form] = (process, requests, replies)
    seconds = {form: [] for form in children}
    for index in range(len(prompts)):
        for form, (process, requests, replies) in children.items():
            requests.put(index)
            seconds[form].append(reply_from(process, replies, form))
    outcome = {}
    for form, (process, requests, replies) in children.items():
        requests.put(None)
        outcome[form] = {"seconds": seconds[form], **reply_from(process, replies, form)}
        process.join()
    return outcome


def paired_bootstrap_interval(scores: list[float], baseline: list[float], draws: int = 2000) -> tuple[float, float]:
    """The 95% interval of the mean per-ticket difference ``scores - baseline``, tickets resampled
    with replacement: how far the delta of a few dozen greedy answers moves by chance."""
    import numpy as np

    differences = np.asarray(scores) - np.asarray(baseline)
    picks = np.random.default_rng(0).integers(0, len(differences), (draws, len(differences)))
    means = differences[picks].mean(axis=1)
    return float(np.quantile(means, 0.025)), float(np.quantile(means, 0.975))


def held_out(settings, models, count: int):
    """The first ``count`` held-out tickets and the knowledge-base articles, prepared and masked
    as the workflow does."""
    options = PrepOptions.from_settings(settings)
    chunker = Chunker.for_model(resolve_embedder(models), options.chunk_tokens,
                                options.chunk_overlap_tokens, model_name=models.embedding_model)
    dataset = prepare(options, chunker, progress=False).dataset
    tickets = ticket_rows(dataset, schema.TEST).head(count)
    articles = dataset[dataset[schema.TYPE] == schema.ARTICLE]
    pii = PiiConfig.from_settings(settings)
    masker = PiiMasker(pii)
    return (mask_table(tickets, pii.columns, masker, progress=False).masked,
            mask_table(articles, pii.columns, masker, progress=False).masked)


def store_with_articles(settings, models, articles) -> StoreLocation:
    """The settings' Chroma store when it is indexed, else the articles indexed into a temporary one."""
    location = StoreLocation.from_settings(settings)
    if retrieve("warm-up", RetrievalConfig.from_settings(settings), location, models):
        return location
    folder = tempfile.mkdtemp(prefix="bench-quantization-")
    location = store_location(path=folder)
    index_chunks(articles, EmbedConfig.from_settings(settings), location, models, progress=False)
    return location


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="tuned model folder or store URI (default: the local endpoint's, else base)")
    parser.add_argument("--tickets", type=int, default=32, help="held-out tickets scored (evaluate's default)")
    parser.add_argument("--tokens", type=int, default=48, help="new tokens per timed answer")
    parser.add_argument("--requests", type=int, default=16, help="timed answers per form")
    args = parser.parse_args()

    settings = get_settings()
    models = ModelConfig.from_settings(settings)
    state = server_process.current()
    model = args.model or (state or {}).get("model") or None
    print(f"model: {model or 'the base model ' + models.llm_model}; {torch.get_num_threads()} torch threads")

    rows, articles = held_out(settings, models, args.tickets)
    location = store_with_articles(settings, models, articles)
    retrieval, context_tokens = RetrievalConfig.from_settings(settings), settings.prompt_context_tokens
    reference = load(model, "none")
    template, tokenizer = reference.template, reference.tokenizer
    queries = [schema.embedding_text(s, t) for s, t in zip(rows[schema.SUBJECT], rows[schema.TEXT])]
    passages = prompt_passages(queries, retrieval, location, models, tokenizer, template, context_tokens)
    facts = load_fact_set(FACT_SET, 0)
    retrieved = retrieve_fact_set(facts, retrieval, location, models)
    fact_passages = [template.fit_passages(tokenizer, [Passage.of(h) for h in hits], context_tokens)
                     for hits in retrieved.hits]

    # 1-2. Speed and memory, each form in its own process, on the serving prompt shape.
    prompts = [template.render(tokenizer, s, q, p) for s, q, p in
               zip(rows[schema.SUBJECT], rows[schema.TEXT], passages)][: args.requests]
    prompt_tokens = statistics.median(len(tokenizer(p)["input_ids"]) for p in prompts)
    speed = timed_forms(model, prompts, args.tokens)

    # 3. Quality: evaluate's scoring of each form on the held-out tickets and the fact set.
    config = EvaluateConfig.from_settings(settings)
    guard = ToxicityGuard(ToxicityConfig.from_settings(settings))
    loaded = {"float32": reference, "int8": load(model, FORMS["int8"])}
    scored, seconds = {}, {}
    for form, candidate in loaded.items():
        started = time.perf_counter()
        scored[form] = score_model(candidate, rows, passages, facts, fact_passages, form, guard, config, models)
        seconds[form] = time.perf_counter() - started
    one_at_a_time = dataclasses.replace(config, batch_size=1)
    alone = {form: score_model(candidate, rows.head(8), passages[:8], None, [], f"{form} alone", guard,
                               one_at_a_time, models) for form, candidate in loaded.items()}

    table = []
    for form in FORMS:
        timings, tokens = speed[form]["seconds"], args.tokens * len(speed[form]["seconds"])
        metrics = scored[form].metrics
        table.append([form, tokens / sum(timings), 1000 * statistics.median(timings), 1000 * percentile(timings, 95),
                      speed[form]["rss_mib"], metrics["rougeL"], metrics["perplexity"], metrics["similarity"],
                      metrics["model_fact_rate"], seconds[form]])
    print(f"\n{len(prompts)} answers of {args.tokens} tokens each per form (median prompt {prompt_tokens:.0f} tokens, "
          f"with passages); quality on {len(rows)} held-out tickets and {len(facts.questions)} fact questions")
    print(tabulate(table, headers=["form", "tokens/s", "p50 ms", "p95 ms", "RSS MiB", "ROUGE-L", "perplexity",
                                   "similarity", "facts-in-answer", "scoring s"], floatfmt=".3f"))
    for form in speed:
        print(f"  {form}: {speed[form]['form']}")
    total = {form: sum(outcome["seconds"]) for form, outcome in speed.items()}
    outside = total[LINEAR_FREE]
    print(f"ceiling: the {LINEAR_FREE} form answers at {len(prompts) * args.tokens / outside:.1f} tokens/s, "
          f"{total['float32'] / outside:.2f}x float32: the most any 8-bit Linear form could give here; "
          f"int8's Linear layers run {(total['float32'] - outside) / (total['int8'] - outside):.2f}x as fast "
          f"as float32's (both less the {LINEAR_FREE} time)")

    fp32, q8 = scored["float32"], scored["int8"]
    same_as_fp32 = sum(a == b for a, b in zip(fp32.answers, q8.answers)) / len(q8.answers)
    same_alone = {form: sum(a == b for a, b in zip(alone[form].answers, scored[form].answers)) / len(rows.head(8))
                  for form in FORMS}
    speedup = table[1][1] / table[0][1]
    rouge_delta = q8.metrics["rougeL"] - fp32.metrics["rougeL"]
    low, high = paired_bootstrap_interval(q8.rouge, fp32.rouge)
    fact_delta = q8.metrics["model_fact_rate"] - fp32.metrics["model_fact_rate"]
    print(f"\nint8 answers equal to float32's: {same_as_fp32:.0%}; answers alone equal to in a batch of "
          f"{config.batch_size} (of 8): " + ", ".join(f"{form} {share:.0%}" for form, share in same_alone.items()))
    print(f"ROUGE-L delta {rouge_delta:+.4f}, 95% paired-bootstrap interval over the {len(rows)} tickets "
          f"[{low:+.4f}, {high:+.4f}]")
    print(f"evaluate's answer scoring: int8 {seconds['int8']:.0f} s vs float32 {seconds['float32']:.0f} s "
          f"({seconds['float32'] - seconds['int8']:.0f} s saved per model scored)")
    checks = [
        (f"int8 tokens/s {speedup:.2f}x float32", speedup >= SPEEDUP_TARGET, f">= {SPEEDUP_TARGET}x"),
        (f"ROUGE-L delta {rouge_delta:+.4f}", abs(rouge_delta) <= ROUGE_TOLERANCE, f"within {ROUGE_TOLERANCE}"),
        (f"facts-in-answer delta {fact_delta:+.4f}", fact_delta >= 0, "not lower"),
    ]
    for what, met, target in checks:
        print(f"{'met   ' if met else 'MISSED'} {what} (target {target})")
    return 0 if all(met for _, met, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
