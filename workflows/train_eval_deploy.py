"""train -> evaluate -> deploy: data-prep, pii, embed, fine-tune, evaluate, then deploy if the
gate says so. Runs locally (engine="local") and compiles for Kubeflow (engine="kfp").

Retraining is this workflow with new data (`source`) and `deployed_model="auto"` (the default):
the model now serving becomes the gate's baseline, so a new model replaces it only if better.
"""

import mlrun
from kfp import dsl

from genai_flow.settings import get_settings
from genai_flow.workflow_steps import deploy_endpoint, only_if

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
    eval_examples: int = _s.evaluate_max_examples,
    rougel_margin: float = _s.gate_rougel_margin,
    perplexity_margin: float = _s.gate_perplexity_margin,
    max_toxicity_rate: float = _s.gate_max_toxicity_rate,
    min_fact_rate: float = _s.gate_min_fact_rate,
    fact_questions: int = _s.evaluate_fact_questions,
    deployed_model: str = "auto",
):
    prep = mlrun.run_function("data-prep", params={"source": source}, outputs=["dataset"])
    masked = mlrun.run_function("pii", inputs={"dataset": prep.outputs["dataset"]}, outputs=["masked"])
    mlrun.run_function("embed", inputs={"dataset": masked.outputs["masked"]}, outputs=["collection"])
    tuned = mlrun.run_function(
        "fine-tune",
        inputs={"dataset": masked.outputs["masked"]},
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
    evaluation = mlrun.run_function(
        "evaluate",
        inputs={"dataset": masked.outputs["masked"], "model": tuned.outputs["model"]},
        params={
            "max_examples": eval_examples,
            "rougel_margin": rougel_margin,
            "perplexity_margin": perplexity_margin,
            "max_toxicity_rate": max_toxicity_rate,
            "min_fact_rate": min_fact_rate,
            "fact_questions": fact_questions,
            "deployed_model": deployed_model,
        },
        outputs=["deploy", "gate_reasons"],
    )
    with only_if(evaluation.outputs["deploy"]) as deploy:
        if deploy:
            deploy_endpoint(tuned.outputs["model"])
