"""Helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
ASSETS = Path(__file__).resolve().parent / "assets"


def small_data_source(folder: Path) -> Path:
    """A slice of data/raw in ``folder``: its first 120 tickets and two knowledge-base categories,
    for workflow runs whose subject is the wiring rather than the whole data set."""
    raw = REPO_ROOT / "data" / "raw"
    folder.mkdir(parents=True)
    lines = (raw / "tickets.jsonl").read_text(encoding="utf-8").splitlines()[:120]
    (folder / "tickets.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for category in ("getting-started", "billing"):
        shutil.copytree(raw / "kb" / category, folder / "kb" / category)
    return folder


def run_cli(*args: str, env: dict | None = None, check: bool = True, timeout: float = 300):
    """Run `genai-flow ...` in a separate process (a real second process, own interpreter)."""
    full_env = {**os.environ, **(env or {})}
    result = subprocess.run(
        [sys.executable, "-m", "genai_flow.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        cwd=REPO_ROOT,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"genai-flow {' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
        )
    return result


@contextlib.contextmanager
def http_server(handler_class):
    """A real HTTP server on 127.0.0.1 (a free port) answering with ``handler_class`` in a
    background thread; yields its base URL ``http://127.0.0.1:<port>``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def embedded_run_db(folder: Path, patch):
    """An embedded run DB file, artifact folder and Chroma folder under ``folder`` for the duration, through
    ``patch`` (a pytest MonkeyPatch); MLRun and the settings are put back afterwards."""
    import mlrun
    from mlrun.config import config as mlconf

    from genai_flow import local_mode
    from genai_flow.settings import reload_settings

    db_file = folder / "mlrun" / "rundb.sqlite"
    patch.setenv("MLRUN_DBPATH", str(db_file))
    patch.setenv("GENAI_FLOW_RUNDB_PATH", str(db_file))
    patch.setenv("GENAI_FLOW_ARTIFACT_PATH", str(folder / "artifacts"))
    # A vector store of its own too: never the project's .chroma, which `make run` fills.
    patch.setenv("GENAI_FLOW_CHROMA_PATH", str(folder / "chroma"))
    previous_dbpath = mlconf.dbpath
    mlconf.dbpath = str(db_file)
    reload_settings()
    local_mode.enable()
    try:
        yield mlrun.get_run_db()
    finally:
        patch.undo()
        mlconf.dbpath = previous_dbpath
        reload_settings()
        local_mode.enable()


def package_key(name: str) -> str:
    """A distribution name as the index compares them (case, "-", "_" and "." alike)."""
    return re.sub(r"[-_.]+", "-", name.lower())


def locked_versions() -> dict[str, str]:
    """constraints.txt as {package: version} (local build tags such as +cpu dropped)."""
    lock = {}
    for line in (REPO_ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            lock[package_key(name)] = version.split("+")[0]
    return lock


def save_lora_adapter(folder: Path, weight_scale: float = 0.0, seed: int = 0) -> Path:
    """A LoRA adapter on the packaged LLM, saved as fine-tune saves its model. Its B matrices
    start at zero (the adapter changes nothing) unless ``weight_scale`` gives them random
    weights of that size, so that applying or merging the adapter shows in the answers."""
    import torch
    from peft import LoraConfig, get_peft_model

    from genai_flow.model_loading import ModelConfig, load_causal_lm
    from genai_flow.prompts import DEFAULT_PROMPT
    from genai_flow.tuned_model import save_tuned_model

    models = ModelConfig.from_settings()
    llm, tokenizer, _ = load_causal_lm(models)
    peft_model = get_peft_model(llm, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"],
                                                task_type="CAUSAL_LM"))
    if weight_scale:
        generator = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for name, parameter in peft_model.named_parameters():
                if "lora_B" in name:
                    parameter.copy_(torch.randn(parameter.shape, generator=generator) * weight_scale)
    return save_tuned_model(folder, peft_model, tokenizer, DEFAULT_PROMPT, models.llm_model, {"lora_r": 4})
