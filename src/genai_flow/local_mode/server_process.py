"""Local deployment: the endpoint as a background `genai-flow serve` process.

In local mode ``project.deploy_function`` only returns a mock, so deploying starts (or replaces)
a real HTTP server in its own session, waits for ``GET /health``, and records it in
``serving.json`` beside the embedded run DB (pid, url, model), so the next deploy, `make stop`
and the gate's "currently deployed model" find it: one record per run DB.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

import httpx

from .run_db import current_db_file


class DeployError(RuntimeError):
    pass


def state_dir() -> Path:
    """Beside the embedded run DB: one endpoint record per run DB."""
    return current_db_file().parent


def state_file() -> Path:
    return state_dir() / "serving.json"


def current() -> Optional[dict]:
    """The running local endpoint ({pid, url, model, ...}) or None."""
    path = state_file()
    if not path.is_file():
        return None
    state = json.loads(path.read_text())
    if not _alive(state.get("pid")):
        return None
    return state


def _alive(pid: Optional[int]) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited child not yet reaped) counts as gone.
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)
        return waited == 0
    except ChildProcessError:
        return True


def stop(timeout_s: float = 30.0) -> Optional[dict]:
    """Stop the recorded endpoint, if it runs; returns what was stopped."""
    state = current()
    if state:
        try:
            os.killpg(state["pid"], signal.SIGTERM)  # its own session: the server and its children
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + timeout_s
        while _alive(state["pid"]) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(state["pid"]):
            os.killpg(state["pid"], signal.SIGKILL)
    state_file().unlink(missing_ok=True)
    return state


def _port_free(host: str, port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex((host, port)) != 0


def start(model: Optional[str], host: str, port: int, project_dir: Path, timeout_s: float = 600.0) -> dict:
    """Replace the local endpoint by one serving ``model`` on ``host:port`` (a `genai-flow serve`
    process started in ``project_dir``); returns its state once healthy."""
    stop()
    if not _port_free(host, port):
        raise DeployError(f"port {port} on {host} is taken by another program: stop it or set GENAI_FLOW_SERVING_PORT")
    state_dir().mkdir(parents=True, exist_ok=True)
    log_path = state_dir() / "serving.log"
    command = [sys.executable, "-m", "genai_flow.cli", "serve", "--host", host, "--port", str(port)]
    if model:
        command += ["--model", model]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=project_dir
        )
    url = f"http://{host}:{port}/"
    state = {"pid": process.pid, "url": url, "model": model or "", "log": str(log_path), "started": time.time()}
    try:
        wait_healthy(url, timeout_s, process)
    except DeployError as error:
        if process.poll() is None:
            process.terminate()
        raise DeployError(f"{error}; see {log_path}:\n{_tail(log_path)}") from None
    state_file().write_text(json.dumps(state, indent=2))
    return state


def wait_healthy(url: str, timeout_s: float = 600.0, process: Optional[subprocess.Popen] = None) -> None:
    """Return once ``GET <url>health`` answers 200; :class:`DeployError` if ``process`` exits
    first, the model fails to load (500), or ``timeout_s`` passes."""
    deadline = time.monotonic() + timeout_s
    while True:
        if process is not None and process.poll() is not None:
            raise DeployError(f"the server exited with code {process.returncode}")
        try:
            response = httpx.get(url + "health", timeout=5)
            if response.status_code == 200:
                return
            if response.status_code == 500:
                raise DeployError(f"the server failed to load: {response.json().get('error')}")
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise DeployError(f"the server at {url} was not healthy after {timeout_s:.0f} s")
        time.sleep(0.5)


def _tail(path: Path, lines: int = 20) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
