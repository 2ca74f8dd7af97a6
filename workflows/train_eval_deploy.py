"""train -> evaluate -> deploy: data-prep, pii, embed, fine-tune, align, evaluate, then deploy
if the gate says so. Runs locally (engine="local") and compiles for Kubeflow (engine="kfp").

align trains the supervised model on preference pairs (human feedback, plus `synthetic_pairs`
training tickets) when there are at least `min_pairs`; with fewer it passes the supervised
model on, so evaluate and the gate always judge the step's model.

Retraining is this workflow with new data (`source`) and `deployed_model="auto"` (the default):
the model now serving becomes the gate's baseline, so a new model replaces it only if better.
"""

import mlrun
from kfp import dsl

from genai_flow.settings import get_settings
from genai_flow.workflow_steps import evaluate_and_deploy, fine_tune_function, prepare_data

_s = get_settings()


@dsl.pipeline(name="train-evaluate-deploy", description=__doc__)
def pipeline(
    source: str = _s.data_source,
    base_model: str = _s.llm_model,
    lora_r: int = _s.finetune_lora_r,
    lora_alpha: int = _s.finetune_lora_alpha,
    max_steps: int = _s.finetune_max_steps,
    learning_rate: float = _s.finetune_learning_rate,
    max_examples: int = _s.finetune_max_examples,
    prompt: str = _s.prompt,
    synthetic_pairs: int = _s.align_synthetic_pairs,
    min_pairs: int = _s.align_min_pairs,
    align_steps: int = _s.align_max_steps,
    eval_examples: int = _s.evaluate_max_examples,
    rougel_margin: float = _s.gate_rougel_margin,
    perplexity_margin: float = _s.gate_perplexity_margin,
    max_toxicity_rate: float = _s.gate_max_toxicity_rate,
    min_fact_rate: float = _s.gate_min_fact_rate,
    fact_questions: int = _s.evaluate_fact_questions,
    deployed_model: str = "auto",
):
    masked = prepare_data(source)
    tuned = mlrun.run_function(
        fine_tune_function(_s.finetune_workers),
        inputs={"dataset": masked},
        params={
            "base_model": base_model,
            "lora_r": lora_r,
            "lora_alpha": lora_alpha,
            "max_steps": max_steps,
            "learning_rate": learning_rate,
            "max_examples": max_examples,
            "prompt": prompt,
        },
        outputs=["model"],
    )
    aligned = mlrun.run_function(
        "align",
        inputs={"dataset": masked, "model": tuned.outputs["model"]},
        params={"synthetic_pairs": synthetic_pairs, "min_pairs": min_pairs, "max_steps": align_steps},
        outputs=["model"],
    )
    evaluate_and_deploy(
        masked, aligned.outputs["model"],
        {
            "max_examples": eval_examples,
            "rougel_margin": rougel_margin,
            "perplexity_margin": perplexity_margin,
            "max_toxicity_rate": max_toxicity_rate,
            "min_fact_rate": min_fact_rate,
            "fact_questions": fact_questions,
            "deployed_model": deployed_model,
        },
    )
