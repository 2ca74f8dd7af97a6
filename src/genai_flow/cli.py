"""The `genai-flow` command line: run workflows and look at what they recorded."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any, Iterable, Optional

import click
from rich import box
from rich.console import Console
from rich.table import Table

from .jsonl_input import batches, text_records


def _parse_value(text: str) -> Any:
    """`--arg k=v` values: JSON when they parse (numbers, booleans, lists), else strings."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _parse_args(pairs: Iterable[str]) -> dict[str, Any]:
    arguments = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint="--arg")
        arguments[key.strip()] = _parse_value(value)
    return arguments


def _print_table(headers: list[str], rows: Iterable[Iterable[Any]]) -> None:
    """A plain table (rich): one line per row, first column at the margin, so that piped output
    stays greppable; a terminal gets its own width, a pipe wide lines instead of wrapped cells."""
    table = Table(*headers, box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for row in rows:
        table.add_row(*("" if value is None else str(value) for value in row))
    console = Console() if sys.stdout.isatty() else Console(width=1000, color_system=None)
    console.print(table)


def _short_results(results: dict, width: int = 60) -> str:
    text = ", ".join(f"{key}={value}" for key, value in (results or {}).items())
    return text if len(text) <= width else text[: width - 3] + "..."


class _Commands(click.Group):
    """The command group; a run DB that cannot be used is one line naming the file, not a traceback."""

    def invoke(self, ctx):
        from .local_mode.sqlite_store import EmbeddedRunDBError

        try:
            return super().invoke(ctx)
        except EmbeddedRunDBError as error:
            raise click.ClickException(str(error)) from None


@click.group(cls=_Commands)
@click.version_option(package_name="genai-flow")
def main() -> None:
    """genai-flow: raw text to a guarded, fine-tuned LLM behind an HTTP endpoint (MLRun)."""
    from . import local_mode

    local_mode.enable()  # no MLRun API configured: record in the embedded run DB


@main.command()
@click.option("--project", help="Project name (default: this project).")
@click.option("--name", help="Only runs with this name ('~part' matches a substring).")
@click.option("--limit", default=50, show_default=True, help="At most this many runs.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def runs(project: str, name: str, limit: int, as_json: bool) -> None:
    """List recorded runs, newest first."""
    import mlrun

    from .settings import get_settings

    listed = mlrun.get_run_db().list_runs(
        name=name, project=project or get_settings().project_name
    )
    rows = [
        {
            "name": run["metadata"].get("name"),
            "uid": run["metadata"].get("uid"),
            "state": run.get("status", {}).get("state"),
            "start_time": run.get("status", {}).get("start_time"),
            "results": run.get("status", {}).get("results", {}),
        }
        for run in listed[:limit]
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str))
        return
    _print_table(
        ["start", "name", "uid", "state", "results"],
        ([r["start_time"], r["name"], r["uid"], r["state"], _short_results(r["results"])] for r in rows),
    )


@main.command()
@click.option("--project", help="Project name (default: this project).")
@click.option("--name", help="Only this key ('~part' matches a substring).")
@click.option("--tag", default=None, help="Only versions with this tag (e.g. latest).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def artifacts(project: str, name: str, tag: str, as_json: bool) -> None:
    """List recorded artifacts, newest first."""
    import mlrun

    from .settings import get_settings

    listed = mlrun.get_run_db().list_artifacts(
        name=name, project=project or get_settings().project_name, tag=tag
    )
    rows = [
        {
            "key": item["metadata"].get("key"),
            "kind": item.get("kind"),
            "tag": item["metadata"].get("tag"),
            "tree": item["metadata"].get("tree"),
            "updated": item["metadata"].get("updated"),
            "producer": (item.get("spec", {}).get("producer") or {}).get("name"),
            "target_path": item.get("spec", {}).get("target_path"),
            "db_key": item.get("spec", {}).get("db_key"),
        }
        for item in listed
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str))
        return
    _print_table(
        ["updated", "key", "kind", "tag", "producer", "path"],
        ([r["updated"], r["db_key"] or r["key"], r["kind"], r["tag"], r["producer"], r["target_path"]] for r in rows),
    )


@main.command("run")
@click.argument("workflow", required=False)
@click.option(
    "--engine",
    type=click.Choice(["local", "kfp", "remote"]),
    default="local",
    show_default=True,
    help="local: in this process over the embedded run DB; kfp/remote: on an MLRun cluster.",
)
@click.option("--arg", "args", multiple=True, metavar="KEY=VALUE", help="Workflow argument.")
@click.option(
    "--source",
    help="kfp/remote: where the cluster fetches this code, e.g. git://host/org/repo.git#<sha>.",
)
def run_workflow(workflow: str, engine: str, args: tuple[str, ...], source: str) -> None:
    """Run a project workflow (default: the project's first) and fail if it fails."""
    from .project import WorkflowFailed, run_workflow as run

    try:
        status = run(workflow, arguments=_parse_args(args), engine=engine, source=source)
    except WorkflowFailed as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"workflow {workflow or 'main'} ({status.run_id}) finished: {status.state}")
    if engine == "local":
        _print_endpoint()


def _print_endpoint() -> None:
    import httpx

    from .local_mode import server_process

    endpoint = server_process.current()
    if not endpoint:
        click.echo("no local endpoint is running (the gate did not deploy; see `genai-flow runs`)")
        return
    click.echo(f"\nendpoint: {endpoint['url']} (pid {endpoint['pid']}, stop it with `make stop`)")
    click.echo(f"model:    {endpoint['model'] or 'base model'}")
    try:  # how the server holds the weights (int8 on CPU, bitsandbytes on CUDA, float32)
        weights = httpx.get(endpoint["url"] + "health", timeout=10).json().get("weights")
    except (httpx.HTTPError, ValueError):
        weights = None
    if weights:
        click.echo(f"weights:  {weights}")
    click.echo(
        f"try:      curl -s -X POST {endpoint['url']} -H 'Content-Type: application/json' "
        """-d '{"question": "How do I export my boards to a spreadsheet?"}'"""
    )
    click.echo("   or:    .venv/bin/genai-flow ask \"How do I export my boards to a spreadsheet?\"")
    click.echo("watch:    .venv/bin/genai-flow monitor --last 1h   (and rate answers: POST /feedback)")


@main.command()
def stop() -> None:
    """Stop the local endpoint started by a workflow's deploy step (or `make run`)."""
    from .local_mode import server_process

    stopped = server_process.stop()
    click.echo(f"stopped the endpoint at {stopped['url']} (pid {stopped['pid']})" if stopped else "no local endpoint was running")


# --- pii commands --------------------------------------------------------------------------
@main.command("pii")
@click.argument("text", required=False)
@click.option(
    "--jsonl", "jsonl_file", type=click.File("r", encoding="utf-8"), metavar="FILE",
    help='Mask every line {"text": ...} of FILE ("-": stdin); one JSON line out per line in.',
)
@click.option("--entities", help="Comma-separated entity types (default: all, see settings).")
@click.option("--threshold", type=float, help="Minimum detection score, 0..1.")
@click.option("--operator", help="replace (default), mask, hash, redact or keep.")
@click.option("--allow", multiple=True, metavar="WORD", help="A word never masked (repeatable).")
@click.option("--batch-size", default=256, show_default=True, help="Lines masked per batch.")
def pii(text, jsonl_file, entities, threshold, operator, allow, batch_size) -> None:
    """Mask PII in TEXT, or in each line of --jsonl FILE, and print JSON.

    TEXT prints one object {"masked": ..., "entities": [{"type", "start", "end", "score"}]}.
    With --jsonl, one output line answers each non-blank input line, in order (an input "id"
    is copied); a line that is not a JSON object with a string "text" gets
    {"line": N, "error": ...} in its place, the other lines are still masked, and the command
    exits 1 at the end.
    """
    if (text is None) == (jsonl_file is None):
        raise click.UsageError("give either TEXT or --jsonl FILE")
    from .pii import PiiConfig, PiiMasker

    try:
        config = PiiConfig.from_settings(
            # --entities "" names no type: an error, not "all"
            entities=[e for e in entities.split(",") if e.strip()] if entities is not None else None,
            score_threshold=threshold,
            operator=operator,
            allow_list=list(allow) or None,  # not given: the settings' allow list
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    masker = PiiMasker(config)

    def answer(masked: str, found: list) -> dict:
        return {"masked": masked, "entities": found}

    if text is not None:
        click.echo(json.dumps(answer(*masker.mask(text)), ensure_ascii=False))
        return

    errors = total = 0
    for batch in batches(text_records(jsonl_file), batch_size):
        good = [record for record in batch if "error" not in record]
        masked = iter(masker.mask_batch([record["text"] for record in good]))
        for record in batch:
            total += 1
            if "error" in record:
                errors += 1
                out = {"line": record["line"], "error": record["error"]}
            else:
                out = answer(*next(masked))
                if "id" in record:
                    out = {"id": record["id"], **out}
            click.echo(json.dumps(out, ensure_ascii=False))
        sys.stdout.flush()
    if errors:
        click.echo(f"error: {errors} of {total} lines could not be masked", err=True)
        sys.exit(1)


# --- guard commands ------------------------------------------------------------------------
@main.command()
@click.option("--jsonl", "source", required=True, type=click.File("r", encoding="utf-8"),
              help='Texts to screen: one {"text": ...} object per line ("-" reads stdin).')
@click.option("--threshold", type=click.FloatRange(0, 1), default=None,
              help="Flag at or above this score (default: the serving threshold: the setting, "
                   "else the classifier's own).")
@click.option("--batch-size", default=1024, show_default=True, help="Lines scored per batch.")
def guard(source, threshold: float, batch_size: int) -> None:
    """Score texts with the serving toxicity guard: one JSON line out per line in, in order.

    Each output line has `line` (its number in the file), `toxicity` (0..1) and `flagged`, plus
    the input's `id` when it has one. A bad line gets `{"line": N, "error": ...}` in its place
    and a message on stderr; the other lines are still scored, and the exit status is 1.
    Blank lines are skipped. If the classifier fails, the command stops with status 2 and
    prints no score for that batch or later ones (the guard never makes one up).
    """
    from .guardrails import ToxicityConfig, ToxicityGuard, ToxicityUnavailable

    toxicity = ToxicityGuard(ToxicityConfig.from_settings(threshold=threshold))
    errors = 0
    for batch in batches(text_records(source), batch_size):
        good = [record for record in batch if "error" not in record]
        try:
            scores = iter(toxicity.score([record["text"] for record in good]))
        except ToxicityUnavailable as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(2)
        for record in batch:
            out = {"line": record["line"]}
            if "id" in record:
                out["id"] = record["id"]
            if "error" in record:
                errors += 1
                click.echo(record["error"], err=True)
                out["error"] = record["error"]
            else:
                score = next(scores)
                out.update(toxicity=round(score, 6), flagged=score >= toxicity.threshold)
            click.echo(json.dumps(out, ensure_ascii=False))
        sys.stdout.flush()
    if errors:
        sys.exit(1)


@main.command("train-guard")
@click.option("--data", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Labeled texts, jsonl (default: data/toxicity/toxicity_train.jsonl of the project).")
@click.option("--output", type=click.Path(dir_okay=False), default=None,
              help="The head's .npz; its .json goes next to it (default: the packaged head, replaced).")
@click.option("--report-dir", type=click.Path(file_okay=False), default=None,
              help="Report folder (default: artifacts/toxicity-head of the project).")
@click.option("--seed", default=13, show_default=True, help="Split seed.")
@click.option("--max-fpr", default=0.02, show_default=True, type=click.FloatRange(0, 1),
              help="Ordinary benign texts flagged on the validation split, at most (sets the threshold).")
@click.option("--max-trap-fpr", default=0.1, show_default=True, type=click.FloatRange(0, 1),
              help="Benign traps (violent idioms, quotes, look-alike words) flagged on the validation split, at most.")
@click.option("--limit", default=0, show_default=True, help="Texts per category (0: all; quick runs).")
@click.option("--fusion", default="auto", show_default=True,
              type=click.Choice(["auto", "embedding", "embedding+profanity-feature", "max(embedding, profanity)"]),
              help="Fusion with alt-profanity-check; auto: the best by cross-validation.")
def train_guard(data, output, report_dir, seed: int, max_fpr: float, max_trap_fpr: float, limit: int,
                fusion: str) -> None:
    """Train the toxicity guard's embedding head: reproducible, plain coefficients (no pickle).

    Splits the labeled texts 80/20 by category, picks the fusion with alt-profanity-check and
    the regularization by cross-validation on the training part, fits a logistic regression on
    the MiniLM embeddings of the normalized texts, chooses the threshold on the validation split
    and writes the .npz + .json and a report (json, HTML, PNG). Prints the validation metrics.
    """
    import shlex

    from .guardrails.head import HEAD_FILE, load_embedder
    from .guardrails.training import DEFAULT_DATA, TrainConfig, train
    from .settings import get_settings

    if output and not output.endswith(".npz"):
        raise click.BadParameter("must end in .npz", param_hint="--output")
    settings = get_settings()
    config = TrainConfig(
        data=Path(data) if data else settings.project_dir / DEFAULT_DATA,
        head_file=Path(output) if output else HEAD_FILE,
        report_dir=Path(report_dir) if report_dir else settings.artifacts_dir / "toxicity-head",
        embedding_model=settings.embedding_model,
        seed=seed, max_fpr=max_fpr, max_trap_fpr=max_trap_fpr, limit=limit, fusion=fusion,
        command=shlex.join(["genai-flow", *sys.argv[1:]]),
    )
    report = train(config, load_embedder(config.embedding_model))
    validation = report["validation"]
    _print_table(["category", "texts", "recall", "false-positive rate"], [
        [name, row["texts"], row.get("recall"), row.get("false_positive_rate")]
        for name, row in validation["per_category"].items()
    ])
    _print_table(["cross-validated (training split)", "AUC", "partial AUC", "recall"], [
        [name, row["auc"], row["partial_auc"], row["recall"]] for name, row in report["selection"].items()
    ])
    _print_table(["validation split", "AUC", "recall", "benign flagged", "threshold"], [
        [name, row["auc"], row["recall"], row["benign_flagged"], row["threshold"]]
        for name, row in report["variants"].items()
    ])
    click.echo(
        f"fusion {report['fusion']}, C {report['model']['C']:g}, threshold {report['threshold']}: "
        f"validation AUC {validation['auc']}, recall {validation['recall']}, "
        f"{validation['benign_flagged']}/{validation['benign']} benign flagged "
        f"({validation['traps_flagged']}/{validation['traps']} of them traps)\n"
        f"head: {config.head_file} (+ .json); report: {config.report_dir / 'report.html'}"
    )


# --- serving commands ----------------------------------------------------------------------
@main.command()
@click.option("--host", default=None, help="Interface to bind (default: 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default: 8080).")
@click.option("--model", default=None, help="Tuned model: a model artifact URI or folder (default: the base model).")
@click.option("--model-class", default=None, help="An LLMModelServer subclass to serve with (import path).")
@click.option("--insecure", is_flag=True, help="Allow binding beyond this machine without a bearer token.")
def serve(host: str, port: int, model: str, model_class: str, insecure: bool) -> None:
    """Serve the project's graph over HTTP: POST / with {"question": ...}; GET /health."""
    import uvicorn

    from .local_mode.http_host import create_app
    from .pii import PiiConfig
    from .serving.config import ServingConfig

    config = ServingConfig.from_settings(host=host, port=port)
    if not (config.is_loopback() or config.auth_token or insecure):
        raise click.UsageError(
            f"refusing to serve on {config.host} (reachable from other machines) without a bearer token: set "
            "GENAI_FLOW_SERVING_AUTH_TOKEN, or pass --insecure to serve it open")
    pii = PiiConfig.from_settings() if config.mask_pii else None  # masks feedback's free text
    # Keep-alive longer than clients' idle expiry (httpx: 5 s, uvicorn's default too): else a
    # client may reuse a connection at the moment the server closes it (connection reset).
    uvicorn.run(create_app(config, model_path=model, model_class=model_class, pii=pii), host=config.host,
                port=config.port, log_level="info", timeout_keep_alive=75)


@main.command()
@click.argument("question")
@click.option("--subject", default=None, help="Optional subject line.")
@click.option("--url", default=None, help="Endpoint (default: http://127.0.0.1:8080/).")
@click.option("--token", envvar="GENAI_FLOW_SERVING_AUTH_TOKEN", default=None, help="Bearer token, if the endpoint needs one.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole JSON answer.")
@click.option("--stream", is_flag=True, help="Print the answer as it is generated (the OpenAI route, streamed).")
def ask(question: str, subject: str, url: str, token: str, as_json: bool, stream: bool) -> None:
    """Ask the running endpoint a question and print its answer."""
    import httpx

    from .serving.config import ServingConfig

    config = ServingConfig.from_settings()
    url = url or f"http://{config.host}:{config.port}/"
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if stream:
        if as_json or subject:
            raise click.UsageError("--stream prints text: it takes neither --json nor --subject")
        answer = _ask_streamed(url, question, headers)
    else:
        payload = {"question": question, **({"subject": subject} if subject else {})}
        try:
            response = httpx.post(url, json=payload, headers=headers, timeout=300)
        except httpx.HTTPError as error:
            raise click.ClickException(f"cannot reach {url}: {error}")
        answer = response.json()
        if response.status_code != 200:
            raise click.ClickException(f"{response.status_code}: {answer.get('error', answer)}")
        if as_json:
            click.echo(json.dumps(answer, indent=2))
            return
        click.echo(answer["answer"])
    notes = [f"answered by {answer.get('answer_source', 'model')}", f"confidence {answer['confidence']:.2f}"]
    if answer.get("groundedness") is not None:
        notes.append(f"groundedness {answer['groundedness']:.2f}")
    if answer.get("flagged"):
        notes.append(f"flagged: {answer['flag_reason']}")
    if answer.get("low_confidence"):
        notes.append("low confidence: fallback answer")
    click.echo(f"({'; '.join(notes)})", err=True)


def _ask_streamed(url: str, question: str, headers: dict) -> dict:
    """Print the streamed answer as its chunks arrive; returns the graph's fields (final chunk)."""
    import httpx

    payload = {"model": "genai-flow", "stream": True, "messages": [{"role": "user", "content": question}]}
    streamed, final = "", {}
    try:
        with httpx.stream("POST", url.rstrip("/") + "/v1/chat/completions", json=payload, headers=headers,
                          timeout=300) as response:
            if response.status_code != 200:
                raise click.ClickException(f"{response.status_code}: {json.loads(response.read())['error']['message']}")
            for line in response.iter_lines():
                if not line.startswith("data: ") or line == "data: [DONE]":
                    continue
                chunk = json.loads(line[len("data: "):])
                if "error" in chunk:
                    raise click.ClickException(chunk["error"]["message"])
                for choice in chunk.get("choices", []):
                    text = choice["delta"].get("content")
                    if text:
                        streamed += text
                        click.echo(text, nl=False)
                final = chunk.get("genai_flow", final)
    except httpx.HTTPError as error:
        raise click.ClickException(f"cannot reach {url}: {error}")
    click.echo("")
    if final.get("answer") and final["answer"] != streamed:  # a guard replaced what was streamed
        click.echo(f"[replaced by the guards: {final['answer']}]")
    return final


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.option("--report", "report", is_flag=True,
              help="Also log an HTML comparison with plots as the project artifact `experiments`.")
@click.option("--limit", default=20, show_default=True, help="At most this many workflow runs, newest first.")
def experiments(as_json: bool, report: bool, limit: int) -> None:
    """Workflow runs side by side: data version, base model, prompt version, LoRA settings (of
    the best trial, for a tune run, with the number of trials), training and validation loss,
    preference pairs when align trained, the new model's metrics against its baseline, the
    gate's verdict, and whether it was deployed."""
    import mlrun

    from .experiments import experiment_rows, experiments_html
    from .settings import get_settings

    settings = get_settings()
    rows = experiment_rows(mlrun.get_run_db().list_runs(project=settings.project_name))[:limit]
    if report:
        from .project import load_project

        artifact = load_project().log_artifact("experiments", body=experiments_html(rows), format="html",
                                               local_path="experiments.html")
        click.echo(f"report: {artifact.get_target_path()}", err=True)
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str))
        return

    def shown(value):
        return "—" if value is None else f"{value:.4g}" if isinstance(value, float) else value

    def tail(text: Optional[str], width: int = 32) -> Optional[str]:  # a data version's name is at its end
        return text if text is None or len(text) <= width else "…" + text[-(width - 1):]

    _print_table(
        ["started", "workflow", "state", "data", "prompt", "trials", "r", "steps", "lr", "aligned",
         "rougeL new vs baseline", "baseline", "deploy", "deployed"],
        ([(row["started"] or "")[:19], row["workflow"][:12], row["state"], tail(row["data"]), row["prompt_version"],
          row["trials"] or "—", row["lora_r"], row["max_steps"], shown(row["learning_rate"]),
          f"{row['pairs']} pairs" if row["aligned"] else "—",
          f"{shown(row['tuned_rougeL'])} vs {shown(row['baseline_rougeL'])}", row["baseline"], row["deploy"],
          row["deployed"]] for row in rows),
    )


# --- prompt library ----------------------------------------------------------------------
@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def prompts(as_json: bool) -> None:
    """List the prompt library (src/genai_flow/prompt_library): each prompt's key, version (a
    hash of its template), the model family it suits, and the versions the run DB has
    registered (LLM prompt artifacts prompt-<key>, logged by fine-tune)."""
    import mlrun

    from .prompt_library import library
    from .settings import get_settings

    settings = get_settings()
    registered: dict[str, list[str]] = {}
    for item in mlrun.get_run_db().list_artifacts(name="~prompt-", project=settings.project_name, kind="llm-prompt"):
        labels = item["metadata"].get("labels") or {}
        if labels.get("prompt_key") and labels.get("prompt_version"):
            registered.setdefault(labels["prompt_key"], []).append(labels["prompt_version"])
    rows = [{**prompt.to_dict(), "trained_default": prompt.key == settings.prompt.partition("@")[0],
             "registered_versions": sorted(set(registered.get(prompt.key, [])))}
            for prompt in library().values()]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    _print_table(["key", "version", "default", "registered", "description"], (
        [row["key"], row["version"], "yes" if row["trained_default"] else "", ", ".join(row["registered_versions"]),
         _clip(row["description"], 70)] for row in rows))


# --- liveops commands ----------------------------------------------------------------------
@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.option("--export", "export", type=click.Path(dir_okay=False), default=None,
              help="Also write the feedback to this file: .jsonl, or .csv.")
def feedback(as_json: bool, export: Optional[str]) -> None:
    """List the feedback given on the endpoint's answers (POST /feedback), oldest first, with
    each answer's question (PII masked) and answer."""
    import datetime

    from .liveops.store import EventStore
    from .settings import get_settings

    store_file = get_settings().liveops_store_file
    rows = EventStore(store_file).feedback() if store_file.exists() else []
    if export:
        _export_rows(rows, Path(export))
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    _print_table(["time", "request", "rating", "question", "correction", "comment"], (
        [datetime.datetime.fromtimestamp(row["time"]).isoformat(timespec="seconds"), row["request_id"][:12],
         f"{row['rating']:+d}", _clip(row["question"]), _clip(row["correction"]), _clip(row["comment"])]
        for row in rows))
    if export:
        click.echo(f"{len(rows)} feedback items written to {export}")


def _clip(text: Optional[str], width: int = 48) -> Optional[str]:
    return text if text is None or len(text) <= width else text[: width - 1] + "…"


def _export_rows(rows: list[dict], path: Path) -> None:
    """``rows`` (feedback items) as JSON lines, or as CSV for a .csv file."""
    import csv

    from .liveops.store import FEEDBACK_FIELDS

    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=FEEDBACK_FIELDS)
            writer.writeheader()
            writer.writerows(rows)
    else:
        path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


@main.command()
@click.option("--since", metavar="TIME", help="Window start: ISO 8601 (UTC unless it says) or epoch seconds.")
@click.option("--until", metavar="TIME", help="Window end, with --since (default: now).")
@click.option("--last", metavar="DURATION", help="Window: the last 30m, 24h, 7d... (default: settings monitor_last).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--retrain", is_flag=True,
              help="When retraining is recommended, run the main workflow on a new data version with the corrections.")
@click.option("--force", is_flag=True, help="With --retrain: retrain even when it is not recommended.")
@click.option("--arg", "args", multiple=True, metavar="KEY=VALUE", help="With --retrain: a workflow argument.")
def monitor(since, until, last, as_json, retrain, force, args) -> None:
    """Monitor the endpoint: volume, latency, tokens, cost, refusals, low confidence, PII,
    feedback and input drift of the recorded requests in a window, each with a status (ok,
    warning, alert), as an MLRun run (results, a JSON summary and an HTML dashboard).
    Exits 0 whatever the statuses; --retrain acts on the verdict."""
    from .monitor.run_local import MonitorError, monitor_window
    from .settings import get_settings

    settings = get_settings()
    try:
        with _stdout_to_stderr() if as_json else contextlib.nullcontext():
            result = monitor_window(settings, since, last, until=until)
    except MonitorError as error:
        raise click.ClickException(str(error))
    summary = result.summary
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    else:
        _print_summary(summary)
    if retrain:
        _retrain(summary, force, _parse_args(args), settings)


@contextlib.contextmanager
def _stdout_to_stderr():
    """Send what MLRun's loggers and progress bars print to stderr, at the file descriptor (they
    hold the original stdout), so that stdout carries only the JSON."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _print_summary(summary: dict) -> None:
    def shown(value):
        return "—" if value is None else f"{value:.4g}" if isinstance(value, float) else value

    _print_table(["figure", "value", "status", "why"],
                 ([c["name"], shown(c["value"]) if c["status"] != "no_data" else "—", c["status"], c["reason"]]
                  for c in summary["checks"]))
    retrain = summary["retrain"]
    click.echo(f"\nretraining: {'recommended' if retrain['recommended'] else 'not recommended'}"
               + "".join(f"\n  - {reason}" for reason in retrain["reasons"]))
    click.echo(f"dashboard: {summary['run']['dashboard']}  (run {summary['run']['uid']})")


def _retrain(summary: dict, force: bool, arguments: dict, settings) -> None:
    """Run the main workflow on the training data plus the corrections (the gate decides)."""
    from .local_mode import is_local_mode
    from .monitor.retrain import RetrainError, retrain_from_feedback
    from .project import WorkflowFailed

    if not is_local_mode():
        raise click.ClickException("on a cluster, retrain with `genai-flow run main --engine remote --arg "
                                   "deployed_model=auto` (see .github/workflows/retrain.yml); add the "
                                   "corrections (`genai-flow feedback --export`) to the data source first")
    if not (summary["retrain"]["recommended"] or force):
        click.echo("not retraining: the monitor does not recommend it (--force retrains anyway)", err=True)
        return
    try:
        version, status = retrain_from_feedback(settings, arguments)
    except RetrainError as error:
        raise click.ClickException(str(error))
    except WorkflowFailed as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"retrained on {version} (the training data and the feedback corrections): "
               f"workflow main ({status.run_id}) {status.state}", err=True)


# --- workflow compile commands -------------------------------------------------------------
def _short_condition(when: str | None) -> str:
    """'"{{tasks.evaluate.outputs.parameters.evaluate-deploy}}" == "True"' -> 'evaluate-deploy == "True"'."""
    import re

    return re.sub(r'"?\{\{tasks\.[\w-]+\.outputs\.parameters\.([\w-]+)\}\}"?', r"\1", when or "")


@main.command("compile")
@click.option("--workflow", default=None, help="Workflow name (default: the project's first).")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Target .yaml file.")
@click.option("--arg", "args", multiple=True, metavar="KEY=VALUE",
              help="Set a pipeline parameter's default (repeatable).")
@click.option("--source", default=None, metavar="URL",
              help="Where cluster pods fetch the code, e.g. git://github.com/org/repo.git#main.")
@click.option("--artifact-path", default=None, help="Where steps write artifacts on the cluster.")
def compile_workflow_command(workflow, out, args, source, artifact_path) -> None:
    """Compile a workflow to the Argo YAML that Kubeflow would run (offline), list its steps.

    Job steps reference their function specs saved in the run DB (db://project/name@hash): the
    embedded one locally, your MLRun API when MLRUN_DBPATH points at one (then the YAML can be
    uploaded to that cluster's Kubeflow). The deploy step carries the serving spec itself.
    """
    from .compile import CompileError, compile_workflow, describe_workflow, load_workflow

    try:
        path = compile_workflow(out, workflow, _parse_args(args), artifact_path, source)
        steps = describe_workflow(load_workflow(path))
    except CompileError as error:
        raise click.ClickException(str(error))
    _print_table(
        ["step", "kind", "after", "when", "image", "gpus"],
        ([s.name, s.kind, ", ".join(s.depends_on), _short_condition(s.when), s.image, s.gpus] for s in steps),
    )
    click.echo(f"wrote {path}")
    sources = {s.function.get("spec", {}).get("build", {}).get("source") for s in steps}
    if sources & {"", ".", "./", None}:
        click.echo("note: functions take their code from this folder (./); pass --source "
                   "git://... for a workflow a cluster can run", err=True)


if __name__ == "__main__":
    main()
