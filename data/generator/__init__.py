"""The generator of genai-flow's default data set (see data/README.md and generate_dataset.py)."""
