"""Greedy generation for a batch of prompts (or one prompt, streamed), with each generated
token's probability, and the cleanup of a generated answer.

Shared by evaluate (answers to score) and serving (answers plus a confidence).
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import re
import threading
from typing import Iterator, Sequence, Union

import torch
from transformers import (
    LogitsProcessorList,
    RepetitionPenaltyLogitsProcessor,
    StoppingCriteriaList,
    TextIteratorStreamer,
)


@dataclasses.dataclass
class Generation:
    text: str
    token_logprobs: list[float]  # log-probability of each generated token (up to end-of-sequence)
    prompt_tokens: int = 0  # the prompt's length in tokens (padding excluded)

    @property
    def confidence(self) -> float:
        """Geometric mean of the token probabilities, in 0..1 (0 for an empty answer)."""
        if not self.token_logprobs:
            return 0.0
        return math.exp(sum(self.token_logprobs) / len(self.token_logprobs))


@contextlib.contextmanager
def _left_padding(tokenizer):
    # Decoder-only models continue from the last prompt token: pad prompts on the left.
    previous = tokenizer.padding_side
    tokenizer.padding_side = "left"
    try:
        yield
    finally:
        tokenizer.padding_side = previous


@torch.inference_mode()
def generate(
    model,
    tokenizer,
    prompts: Sequence[str],
    max_new_tokens: Union[int, Sequence[int]],
    repetition_penalty: float = 1.15,
) -> list[Generation]:
    """One greedy continuation per prompt, each cut at its own ``max_new_tokens``.

    The mild repetition penalty keeps small models out of greedy loops ("Hi, Hi, Hi, ..."). It
    covers the generated tokens only: a penalty on the prompt's tokens would push the model away
    from the very facts it should copy from the retrieved passages.
    """
    limits = [max_new_tokens] * len(prompts) if isinstance(max_new_tokens, int) else list(max_new_tokens)
    with _left_padding(tokenizer):
        batch = tokenizer(list(prompts), return_tensors="pt", padding=True, add_special_tokens=False)
    batch = batch.to(model.device)
    output = model.generate(
        **batch,
        max_new_tokens=max(limits),
        do_sample=False,
        # Prompts are left-padded, so they all end at the same position.
        logits_processor=LogitsProcessorList(
            [RepetitionPenaltyLogitsProcessor(repetition_penalty, prompt_ignore_length=batch["input_ids"].shape[1])]
        ),
        pad_token_id=tokenizer.pad_token_id,
        return_dict_in_generate=True,
        output_scores=True,
    )
    new_tokens = output.sequences[:, batch["input_ids"].shape[1] :]
    logprobs = model.compute_transition_scores(output.sequences, output.scores, normalize_logits=True)
    stop_ids = set(_as_list(model.generation_config.eos_token_id)) | {tokenizer.eos_token_id}
    prompt_lengths = batch["attention_mask"].sum(dim=1).tolist()
    generations = []
    for tokens, scores, limit, prompt_length in zip(new_tokens.tolist(), logprobs.float().tolist(), limits,
                                                    prompt_lengths):
        length = min(limit, len(tokens))
        for position, token in enumerate(tokens[:length]):
            if token in stop_ids:  # the rest is padding after the sequence ended
                length = position
                break
        text = tokenizer.decode(tokens[:length], skip_special_tokens=True).strip()
        generations.append(Generation(text, [s for s in scores[:length] if math.isfinite(s)], int(prompt_length)))
    return generations


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


_ROLE_MARKERS = re.compile(r"(?:###\s*(?:Human|Assistant)\s*:|<\|im_(?:start|end)\|>).*", re.DOTALL)
# Tuned on PII-masked answers, the model greets "<PERSON>": greet nobody in particular instead.
_MASKED_GREETING = re.compile(r"\b(Hi|Hello|Dear)\s+<PERSON>")


def clean_answer(text: str) -> str:
    """Drop a hallucinated next turn, un-mask the greeting, tidy whitespace."""
    text = _ROLE_MARKERS.sub("", text or "")
    text = _MASKED_GREETING.sub(lambda m: f"{m.group(1)} there", text)
    return re.sub(r"[ \t]+", " ", text).strip()


class _StopWhenSet:
    """A stopping criterion that ends generation once any of ``events`` is set (a guard tripped,
    or the reader went away)."""

    def __init__(self, *events: threading.Event):
        self.events = events

    def __call__(self, input_ids, scores, **kwargs) -> bool:
        return any(event.is_set() for event in self.events)


def stream_generate(model, tokenizer, prompt: str, max_new_tokens: int, stop: threading.Event,
                    repetition_penalty: float = 1.15) -> Iterator[Union[str, Generation]]:
    """:func:`generate` for one prompt, its text yielded piece by piece as tokens come, then the
    whole :class:`Generation` (text, token log-probabilities, prompt length) as the last item.

    Generation runs in a thread (transformers' ``TextIteratorStreamer`` hands the text over);
    setting ``stop`` ends it at the next token. Same greedy decoding and repetition penalty as
    :func:`generate`, so a streamed answer is the plain one, token for token.
    """
    batch = tokenizer([prompt], return_tensors="pt", add_special_tokens=False).to(model.device)
    streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True)
    result: dict = {}
    abandoned = threading.Event()  # the reader closed this generator early

    def run():
        try:
            with torch.inference_mode():
                result["output"] = model.generate(
                    **batch, max_new_tokens=max_new_tokens, do_sample=False, streamer=streamer,
                    logits_processor=LogitsProcessorList([RepetitionPenaltyLogitsProcessor(
                        repetition_penalty, prompt_ignore_length=batch["input_ids"].shape[1])]),
                    stopping_criteria=StoppingCriteriaList([_StopWhenSet(stop, abandoned)]),
                    pad_token_id=tokenizer.pad_token_id, return_dict_in_generate=True, output_scores=True,
                )
        except BaseException as error:  # re-raised in the caller's thread
            result["error"] = error
            streamer.end()

    worker = threading.Thread(target=run, name="stream-generate", daemon=True)
    worker.start()
    try:
        for piece in streamer:
            if piece:
                yield piece
    finally:
        abandoned.set()  # no effect once generation has ended; else it ends at the next token
        worker.join()
    if "error" in result:
        raise result["error"]
    output = result["output"]
    tokens = output.sequences[0, batch["input_ids"].shape[1]:].tolist()
    scores = model.compute_transition_scores(output.sequences, output.scores, normalize_logits=True)[0]
    stop_ids = set(_as_list(model.generation_config.eos_token_id)) | {tokenizer.eos_token_id}
    length = next((i for i, token in enumerate(tokens) if token in stop_ids), len(tokens))
    text = tokenizer.decode(tokens[:length], skip_special_tokens=True).strip()
    yield Generation(text, [s for s in scores[:length].float().tolist() if math.isfinite(s)],
                     int(batch["input_ids"].shape[1]))
