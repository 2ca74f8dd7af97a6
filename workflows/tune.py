"""tune -> evaluate -> deploy: the main workflow with a hyperparameter search in place of the
single fine-tune run. fine-tune runs as MLRun hyper-parameter runs over the LoRA rank, learning
rate and steps (the tune_* settings: the space, the strategy, the selector); every trial is a
child run scored by its validation loss on training tickets held out of all trials, MLRun keeps
the selector's best as the run's model, a comparison step logs the trials' table and plots,
and the best model goes through evaluate and the gate like any other.

`trials` is the budget: at most this many trials ("random": combinations of the space drawn
without repeats in a seeded order; "grid": in order, stopped at the budget), about 2.5 minutes
each on 2 CPU cores with the default space. Runs locally (engine="local") and compiles for
Kubeflow (engine="kfp").
"""

import mlrun
from kfp import dsl
from mlrun.model import HyperParamOptions

from genai_flow.fine_tune.search_space import search_hyperparams
from genai_flow.settings import get_settings
from genai_flow.workflow_steps import evaluate_and_deploy, fine_tune_function, prepare_data

_s = get_settings()
# The space is fixed when the workflow is built (settings tune_lora_r, tune_learning_rate,
# tune_max_steps): a list cannot be a Kubeflow pipeline parameter.
_hyperparams, _strategy = search_hyperparams(
    {"lora_r": _s.tune_lora_r, "learning_rate": _s.tune_learning_rate, "max_steps": _s.tune_max_steps},
    _s.tune_strategy, _s.tune_seed,
)


@dsl.pipeline(name="tune-evaluate-deploy", description=__doc__)
def pipeline(
    source: str = _s.data_source,
    base_model: str = _s.llm_model,
    trials: int = _s.tune_trials,
    validation_examples: int = _s.tune_validation_examples,
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
    masked = prepare_data(source)
    tuned = mlrun.run_function(
        fine_tune_function(_s.finetune_workers),
        inputs={"dataset": masked},
        params={
            "base_model": base_model,
            "max_examples": max_examples,
            "validation_examples": validation_examples,
            "prompt": prompt,
        },
        hyperparams=_hyperparams,
        hyper_param_options=HyperParamOptions(
            strategy=_strategy, selector=_s.tune_selector, max_errors=1,
            # The budget as a stop condition on each trial's `trial` result: unlike
            # max_iterations (a number when the workflow is built), it takes the run's argument
            # on Kubeflow too.
            stop_condition=f"trial >= {trials}",
        ),
        outputs=["model", "best_iteration", "iteration_results"],
    )
    mlrun.run_function(
        "fine-tune",
        handler="genai_flow.fine_tune.handler.compare_trials",
        name="compare-trials",
        inputs={"trials": tuned.outputs["iteration_results"]},
        params={"best_iteration": tuned.outputs["best_iteration"], "selector": _s.tune_selector},
        outputs=["trials", "trial_comparison"],
    )
    evaluate_and_deploy(
        masked, tuned.outputs["model"],
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
