"""MLRun runs setup(project) whenever it loads this project (mlrun.load_project)."""

from genai_flow import local_mode
from genai_flow.project import setup  # noqa: F401  (MLRun calls it)

# With no MLRun API configured, record runs in the embedded run DB (a no-op with an API URL).
local_mode.enable()
