"""A streamed answer: the serving graph's own steps, with the answer sent as it is generated.

The guards hold as in the plain graph:

- the input guard, PII masking, retrieval and the off-topic check (preprocess) run before the
  first token; a refused or declined question streams the refusal and nothing else;
- the output guard sees the text as it grows: text is released a whole sentence at a time,
  and only once the toxicity guard passed the sentence and the answer so far. A toxic sentence
  stops generation and is never sent: the stream ends with the refusal as the final answer;
- when the answer is complete, postprocess (confidence, groundedness) and the toxicity filter
  judge it exactly as in the plain graph, and the record step records it. Their verdict comes
  with the last event: an answer they would have replaced (ungrounded, unsure) is flagged
  there, with the answer the plain route would have given.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Iterator, Optional, Union

from ..generation import clean_answer
from .flags import TOXIC_OUTPUT
from ..guardrails import ToxicityUnavailable
from .steps import SENTENCE_END, GuardUnavailable, sentences
from .trace import TRACE



@dataclasses.dataclass
class Delta:
    """Answer text released to the reader."""

    text: str


@dataclasses.dataclass
class Done:
    """The final answer, as the plain graph gives it (request id, flags, usage, ...)."""

    answer: dict


class GraphSteps:
    """The steps of a running serving graph (MLRun's mock server), called one by one."""

    def __init__(self, server):
        steps = server.graph.steps
        self.preprocess = steps["preprocess"]._object
        self.llm = steps["llm-server"]._object.server  # the LLMModelServer inside ConcurrentModelServer
        self.postprocess = steps["postprocess"]._object
        self.toxicity_filter = steps["toxicity-filter"]._object
        self.record = steps["record"]._object


class SentenceGate:
    """Holds generated text back until a sentence is complete; :meth:`release` hands out what
    is complete and not yet sent, cleaned like a plain answer (:func:`clean_answer`)."""

    def __init__(self):
        self.raw = ""
        self.sent = ""

    def add(self, piece: str) -> None:
        self.raw += piece

    def complete(self, final: bool = False) -> str:
        """The cleaned text not yet sent, up to the last complete sentence (all of it if ``final``)."""
        text = clean_answer(self.raw)
        if not text.startswith(self.sent):  # cleaning cut text already sent (a role marker): no more
            return ""
        end = len(text) if final else max((m.end() for m in SENTENCE_END.finditer(text)), default=0)
        return text[len(self.sent):end] if end > len(self.sent) else ""

    def mark_sent(self, text: str) -> None:
        self.sent += text


class StreamedAnswer:
    """One request's streamed answer. :meth:`prepare` runs preprocess (raises the graph's 4xx
    errors before anything is sent); iterating yields :class:`Delta` items, then one :class:`Done`."""

    def __init__(self, steps: GraphSteps, request: dict):
        self.steps = steps
        self.request = request
        self.body: Optional[dict] = None
        self.stop = threading.Event()

    @property
    def request_id(self) -> str:
        return self.body[TRACE]["request_id"]

    def prepare(self) -> str:
        """Run preprocess (input guard, PII masking, retrieval); returns the request id."""
        self.body = self.steps.preprocess.do(self.request)
        return self.request_id

    def __iter__(self) -> Iterator[Union[Delta, Done]]:
        if self.body is None:
            self.prepare()
        body = self.body
        if body["refused"]:  # toxic or off-topic question: the plain graph's refusal, whole
            answer = self._finish({**body, "llm": {"outputs": []}})
            yield Delta(answer["answer"])
            yield Done(answer)
            return
        gate, output, toxic = SentenceGate(), None, False
        for item in self.steps.llm.stream(body["inputs"][0], self.stop):
            if isinstance(item, dict):  # the last item: the whole generation
                output = item
            elif not toxic:  # once toxic, generation is stopping: the rest is drained, not sent
                gate.add(item)
                toxic, text = self._guarded(gate, gate.complete())
                if text:
                    yield Delta(text)
        if not toxic:
            gate.raw = output["text"]  # the generation's own text has the last word
            toxic, text = self._guarded(gate, gate.complete(final=True))
            if text:
                yield Delta(text)
        yield Done(self._finish({**body, "llm": {"outputs": [output]}}, toxic=toxic))

    def _guarded(self, gate: SentenceGate, candidate: str) -> tuple[bool, str]:
        """``(toxic, text to send)``: each sentence of ``candidate`` and the answer so far are
        guarded; toxic text is never sent and stops generation."""
        if not candidate.strip():
            return False, ""
        guard = self.steps.toxicity_filter.guard
        texts = list(dict.fromkeys([*sentences(candidate), (gate.sent + candidate).strip()]))
        try:
            toxic = max(guard.score(texts)) >= guard.threshold
        except ToxicityUnavailable as error:  # fail closed, as the toxicity filter does
            raise GuardUnavailable(f"answer withheld: the toxicity classifier failed ({error})") from error
        if toxic:
            self.stop.set()
            return True, ""
        gate.mark_sent(candidate)
        return False, candidate

    def _finish(self, body: dict, toxic: bool = False) -> dict:
        """The rest of the graph on the whole answer: postprocess, the toxicity filter, record."""
        steps = self.steps
        answer = steps.postprocess.do(body)
        if toxic:  # stopped mid-answer: the plain graph's toxicity-filter verdict
            answer.update(answer=steps.toxicity_filter.refusal, answer_source="guard", flagged=True,
                          flag_reason=TOXIC_OUTPUT)
        else:
            answer = steps.toxicity_filter.do(answer)
        return steps.record.do(answer)
