"""The `genai-flow` command line: run workflows and look at what they recorded."""

from __future__ import annotations

import json
import sys
from typing import Any, Iterable

import click
from tabulate import tabulate


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


def _short_results(results: dict, width: int = 60) -> str:
    text = ", ".join(f"{key}={value}" for key, value in (results or {}).items())
    return text if len(text) <= width else text[: width - 3] + "..."


@click.group()
@click.version_option(package_name="genai-flow")
def main() -> None:
    """genai-flow: raw text to a guarded, fine-tuned LLM behind an HTTP endpoint (MLRun)."""


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
    table = [
        [r["start_time"], r["name"], r["uid"], r["state"], _short_results(r["results"])]
        for r in rows
    ]
    click.echo(tabulate(table, headers=["start", "name", "uid", "state", "results"]))


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
    table = [
        [r["updated"], r["db_key"] or r["key"], r["kind"], r["tag"], r["producer"], r["target_path"]]
        for r in rows
    ]
    click.echo(tabulate(table, headers=["updated", "key", "kind", "tag", "producer", "path"]))


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
def run_workflow(workflow: str, engine: str, args: tuple[str, ...]) -> None:
    """Run a project workflow (default: the project's first) and fail if it fails."""
    from .project import WorkflowFailed, run_workflow as run

    try:
        status = run(workflow, arguments=_parse_args(args), engine=engine)
    except WorkflowFailed as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"workflow {status.workflow} ({status.run_id}) finished: {status.state}")


# --- pii commands --------------------------------------------------------------------------

# --- guard commands ------------------------------------------------------------------------

# --- serving commands ----------------------------------------------------------------------

# --- workflow compile commands -------------------------------------------------------------


if __name__ == "__main__":
    main()
