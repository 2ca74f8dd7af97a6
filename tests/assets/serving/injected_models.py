"""LLMModelServer subclasses that inject generations: the real graph around a known answer."""

from genai_flow.serving.llm_server import LLMModelServer

CALLS = {"generate": 0}


class CountingServer(LLMModelServer):
    """The real model, counting how often it is asked to generate."""

    def _generate_batch(self, jobs):
        CALLS["generate"] += len(jobs)
        return super()._generate_batch(jobs)


class ToxicAnswerServer(LLMModelServer):
    """Answers every question with an insult, confidently (no model needed)."""

    def load(self):
        from genai_flow.serving.batching import GenerationBatcher

        self.batcher = GenerationBatcher(self._generate_batch, self.max_batch_size, self.batch_wait_ms / 1000)

    def _generate_batch(self, jobs):
        return [{"text": "You are a stupid idiot and I hate you.", "token_logprobs": [-0.01] * 9} for _ in jobs]


class UnsureServer(ToxicAnswerServer):
    """A polite answer with very low token probabilities."""

    def _generate_batch(self, jobs):
        return [{"text": "Maybe try turning it off and on?", "token_logprobs": [-3.0] * 8} for _ in jobs]


class BrokenServer(ToxicAnswerServer):
    """Fails inside the model step."""

    def _generate_batch(self, jobs):
        raise RuntimeError("GPU fell off the bus")
