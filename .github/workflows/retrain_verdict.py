"""The monitor's verdict as a GitHub Actions step output: reads `genai-flow monitor --json`'s
summary, prints `recommended=true|false` (for $GITHUB_OUTPUT) and the reasons on stderr."""

import json
import sys

summary = json.load(open(sys.argv[1], encoding="utf-8"))
retrain = summary["retrain"]
for reason in retrain["reasons"]:
    print(f"monitor: {reason}", file=sys.stderr)
print(f"recommended={'true' if retrain['recommended'] else 'false'}")
