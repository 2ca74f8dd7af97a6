"""LLMModelServer subclasses that inject generations: the real graph around a known answer."""

import re

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

    def stream(self, job, stop):
        """The injected answer word by word (as a tokenizer would hand it over), then the output."""
        output = self._generate_batch([job])[0]
        for word in re.findall(r"\S+\s*", output["text"]):
            if stop.is_set():
                break
            yield word
        yield output


class ToxicTailServer(ToxicAnswerServer):
    """A helpful first sentence, then an insult, then more: a stream must stop at the insult."""

    def _generate_batch(self, jobs):
        text = ("Open Settings and choose Export to download your boards. You are a stupid idiot and I hate "
                "you. Then pick the file format you need.")
        return [{"text": text, "token_logprobs": [-0.05] * 30} for _ in jobs]


class UnsureServer(ToxicAnswerServer):
    """A polite answer with very low token probabilities."""

    def _generate_batch(self, jobs):
        return [{"text": "Maybe try turning it off and on?", "token_logprobs": [-3.0] * 8} for _ in jobs]


class BrokenServer(ToxicAnswerServer):
    """Fails inside the model step."""

    def _generate_batch(self, jobs):
        raise RuntimeError("GPU fell off the bus")


def _log_calls(jobs):
    """Append one line per generated answer to $GENAI_FLOW_TEST_CALL_LOG (the server runs in
    another process: the test counts model calls there)."""
    import os

    path = os.environ.get("GENAI_FLOW_TEST_CALL_LOG")
    if path:
        with open(path, "a") as log:
            log.writelines(f"{job['content']}\n" for job in jobs)


class PassageServer(ToxicAnswerServer):
    """A grounded model: answers with the first sentence of the best passage it was given."""

    def _generate_batch(self, jobs):
        _log_calls(jobs)
        answers = []
        for job in jobs:
            passages = job.get("passages") or [{"text": "I don't know."}]
            first = passages[0]["text"].split(". ")[0].rstrip(".") + "."
            answers.append({"text": f"Hi there,\n\n{first}\n\nBest regards,\nSupport", "token_logprobs": [-0.2] * 12})
        return answers


class InventingServer(ToxicAnswerServer):
    """A model that makes things up: a contact address, a price and a duration no passage has."""

    def _generate_batch(self, jobs):
        _log_calls(jobs)
        text = ("Hi there,\n\nPlease e-mail refunds@nimbus-help.example and we will refund $45 within "
                "60 days of your request.\n\nBest regards,\nSupport")
        return [{"text": text, "token_logprobs": [-0.1] * 20} for _ in jobs]


class SlowServer(ToxicAnswerServer):
    """A polite answer that takes max_new_tokens / 10 seconds to generate (no model)."""

    def _generate_batch(self, jobs):
        import time

        time.sleep(max(int(job.get("max_new_tokens") or 10) for job in jobs) / 10)
        return [{"text": "Open Settings and choose Export.", "token_logprobs": [-0.05] * 6} for _ in jobs]
