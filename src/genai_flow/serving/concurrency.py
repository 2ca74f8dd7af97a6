"""Runs a model-server step with several events in flight, so that its model sees concurrent
requests and can batch them.

An async MLRun graph passes events through its steps one at a time; a storey
``ConcurrentExecution`` step lets up to ``max_in_flight`` events wait in it at once (here in a
thread pool), which is what lets ``LLMModelServer`` batch them.
"""

from __future__ import annotations

import storey
from mlrun.utils import get_class


class ConcurrentModelServer(storey.ConcurrentExecution):
    def __init__(self, model_class: str, max_in_flight: int, context=None, name=None, **model_args):
        """
        :param model_class: import path of a ``V2ModelServer`` subclass, built with ``model_args``.
        :param max_in_flight: events handled at once (the most a batch can gather).
        """
        self.model_class = model_class
        self.server = get_class(model_class)(context=context, name=name, **model_args)
        super().__init__(
            event_processor=self._handle,
            concurrency_mechanism="thread_pool",
            max_in_flight=max_in_flight,
            full_event=True,
            context=context,
            name=name,
        )

    def post_init(self, mode: str = "sync", **kwargs):
        # MLRun calls this when the graph starts: load the model once, before the first request.
        self.server.post_init(mode)

    def _handle(self, event):
        # The model server reads its operation from the path: behind MLRun's OpenAI frontend
        # the path is the API route (/v1/chat/completions), and the operation is always predict.
        event.path = "/"
        return self.server.do_event(event)
