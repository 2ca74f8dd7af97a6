"""genai-flow: raw text to a guarded, fine-tuned LLM behind an HTTP endpoint, as an MLRun project.

Importing the package changes nothing in MLRun. Local mode (the embedded run DB, offline
Hugging Face flags) is switched on by :func:`genai_flow.local_mode.enable`, which the CLI,
``project_setup.py``, the notebooks and :func:`genai_flow.project.load_project` call.
"""

__version__ = "0.1.0"
