"""Fine-tuning logic: training examples, LoRA, the Trainer run and its MLRun callback."""
