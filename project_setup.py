"""MLRun runs setup(project) whenever it loads this project (mlrun.load_project)."""

import genai_flow  # noqa: F401  (enables the embedded run DB when no MLRun API is configured)
from genai_flow.project import setup  # noqa: F401
