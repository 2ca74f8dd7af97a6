"""The guards on other projects' test cases: PII masking and toxicity, scored by
``score.py`` from the shared acceptance folder (cases from Presidio, presidio-research,
MLRun's hub, llm-guard, detoxify and others; its SOURCES.md says which).

Runs ``score.py pii`` and ``score.py guard`` (each calls ``genai-flow pii|guard --jsonl`` on
the whole file) and prints their tables, per entity type and per label kind.

    python bench/bench_acceptance.py [--acceptance ../shared/acceptance] [--verbose]

Targets (the issue's): PII recall at least 0.95 over in-scope labels with at most 5 texts that
must stay unchanged changed; toxicity recall at least 0.85 with at most 5 benign texts flagged.
These cases measure; no rule exists to pass one of them.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGETS = {
    "pii": ["--min-recall", "0.95", "--max-negatives-changed", "5"],
    "guard": ["--min-recall", "0.85", "--max-false-positives", "5"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--acceptance", type=Path, default=REPO.parent / "shared" / "acceptance",
                        help="folder with score.py and the case files")
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args()
    scorer = args.acceptance / "score.py"
    if not scorer.is_file():
        print(f"no acceptance scorer at {scorer}: pass --acceptance <folder>", file=sys.stderr)
        return 2
    missed = []
    for what, targets in TARGETS.items():
        print(f"== {what}", flush=True)
        command = [sys.executable, str(scorer), what, *targets] + (["-v"] if args.verbose else [])
        if subprocess.run(command, cwd=REPO).returncode != 0:
            missed.append(what)
    print("missed targets: " + ", ".join(missed) if missed else "all acceptance targets met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
