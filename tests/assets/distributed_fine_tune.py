"""Run the fine-tune function as one worker of a data-parallel launch (torchrun starts one of
these per worker): the same MLRun handler as always. Rank 0 prints its run's uid as JSON."""

import json
import os
import sys

from genai_flow.project import load_project

dataset, params = sys.argv[1], json.loads(sys.argv[2])
run = load_project().run_function("fine-tune", inputs={"dataset": dataset}, params=params, local=True)
if os.environ["RANK"] == "0":
    print(json.dumps({"uid": run.uid()}))
