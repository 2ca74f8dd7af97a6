"""`LLMModelServer`: the serving graph's model step, a ``V2ModelServer`` as in MLRun's LLM demo.

It loads the base model plus the LoRA adapter of a model artifact (or a folder), 8-bit by
default: bitsandbytes on CUDA, on CPU the adapter merged in and the Linear layers quantized to
dynamic int8 (``cpu_int8.py``); ``SERVING_QUANTIZATION=none`` loads full precision. It renders the shared prompt and
generates greedily. Concurrent requests are batched (see ``batching.py``). Each output carries
the answer text and the log-probabilities of its tokens, which postprocess turns into a
confidence.

Request (the body preprocess hands over): ``{"inputs": [{"subject", "content", "passages",
"max_new_tokens"}, ...], "refused": bool}``; the prompt carries the best passages that fit
``context_tokens``; a refused request (toxic input) is passed through
without calling the model.

:meth:`LLMModelServer.stream` generates one job's answer token by token instead (the local
host's streamed answers, serving/streaming.py); the model runs one batch or one stream at a time.
"""

from __future__ import annotations

import threading
from typing import Iterator, Optional, Union

from mlrun.serving.v2_serving import V2ModelServer

from ..generation import Generation, generate, stream_generate
from ..model_loading import ModelConfig
from ..prompts import PromptTemplate
from ..tuned_model import load_base_model, load_tuned_model
from .batching import GenerationBatcher


class LLMModelServer(V2ModelServer):
    def __init__(
        self,
        context=None,
        name: Optional[str] = None,
        model_path: Optional[str] = None,
        *,
        models: dict,
        quantization: str,
        max_batch_size: int,
        batch_wait_ms: float,
        default_max_new_tokens: int,
        context_tokens: int,
        prompt: Optional[dict] = None,
        **class_args,
    ):
        """The serving graph (graph.py) passes every value, resolved from the settings.

        :param model_path: model artifact URI (store://models/...) or folder of a tuned model;
            empty serves the base model alone (``models["llm_model"]``).
        :param models: the fields of a :class:`~genai_flow.model_loading.ModelConfig`.
        :param quantization: "8bit" (the seed's load_in_8bit on CUDA, dynamic int8 on CPU), "4bit"
            (CUDA only, CPU loads full precision) or "none".
        :param max_batch_size: most requests generated together.
        :param batch_wait_ms: how long a batch waits for simultaneous arrivals.
        :param default_max_new_tokens: answer length when the request gives none.
        :param context_tokens: prompt tokens for the retrieved passages: the best that fit go in.
        :param prompt: a library prompt to answer with instead of the model's own (``key``,
            ``version`` and ``template``, as the graph resolved it); None: the model's own.
        """
        super().__init__(context=context, name=name, model_path=model_path, **class_args)
        self.models = ModelConfig(**models)
        self.quantization = quantization
        self.max_batch_size = max_batch_size
        self.batch_wait_ms = batch_wait_ms
        self.default_max_new_tokens = default_max_new_tokens
        self.context_tokens = context_tokens
        self.prompt = PromptTemplate(**prompt["template"]) if prompt else None
        self.template: Optional[PromptTemplate] = None
        self.loaded = None
        self.batcher: Optional[GenerationBatcher] = None
        self.model_lock = threading.Lock()  # batches and streams take turns on the model

    def load(self):
        if self.model_path:
            self.loaded = load_tuned_model(self.model_path, self.models, quantization=self.quantization)
        else:
            self.loaded = load_base_model(self.models, quantization=self.quantization)
        self.model = self.loaded.model
        self.template = self.prompt or self.loaded.template
        self.batcher = GenerationBatcher(
            self._generate_batch, self.max_batch_size, self.batch_wait_ms / 1000, f"{self.name}-batcher"
        )

    def _prompt(self, job: dict) -> str:
        template, tokenizer = self.template, self.loaded.tokenizer
        passages = template.fit_passages(tokenizer, job.get("passages") or [], self.context_tokens)
        return template.render(tokenizer, job["subject"], job["content"], passages)

    def _limit(self, job: dict) -> int:
        return int(job.get("max_new_tokens") or self.default_max_new_tokens)

    def _output(self, generation: Generation, batch_size: int) -> dict:
        # Prompt tokens, batch size and prompt version travel along for the monitoring event.
        return {"text": generation.text, "token_logprobs": generation.token_logprobs,
                "prompt_tokens": generation.prompt_tokens, "batch_size": batch_size,
                "prompt_version": self.template.version}

    def _generate_batch(self, jobs: list[dict]) -> list[dict]:
        prompts = [self._prompt(job) for job in jobs]
        with self.model_lock:
            generations = generate(self.loaded.model, self.loaded.tokenizer, prompts, [self._limit(j) for j in jobs])
        return [self._output(generation, len(jobs)) for generation in generations]

    def stream(self, job: dict, stop: threading.Event) -> Iterator[Union[str, dict]]:
        """One job's answer as it is generated: text pieces, then the output dict a batch would
        have given (text, token log-probabilities, ...). Setting ``stop`` ends generation."""
        prompt = self._prompt(job)
        with self.model_lock:
            for item in stream_generate(self.loaded.model, self.loaded.tokenizer, prompt, self._limit(job), stop):
                yield self._output(item, 1) if isinstance(item, Generation) else item

    def predict(self, request: dict) -> list[dict]:
        if request.get("refused"):
            return []
        futures = [self.batcher.submit(job) for job in request["inputs"]]
        return [future.result() for future in futures]

    def explain(self, request: dict) -> str:
        base = self.loaded.info.get("base_model") if self.loaded else self.models.llm_model
        return f"LLM model server {self.name}: base {base}, adapter {self.model_path or 'none'}"
