"""The serving graph (preprocess -> LLM server -> postprocess -> toxicity filter), its steps,
and the local HTTP host that runs the same graph on 127.0.0.1."""
