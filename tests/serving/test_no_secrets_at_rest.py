"""Raw PII, the bearer token and the API key never reach a log line, the run DB, the LiveOps
store or an artifact: a real server is sent all three, on every route, then everything it
wrote is scanned."""

from __future__ import annotations

import httpx
import openai

from .test_serving_http import _start_server, _stop

TOKEN = "tok-5f3a9c1e-never-logged"
PII = {"email": "marguerite.oyelaran@example.org", "phone": "+1 415 555 0143", "name": "Marguerite Oyelaran",
       "card": "4111 1111 1111 1111"}
QUESTION = (f"Hi, I am {PII['name']}, reach me at {PII['email']} or {PII['phone']}; "
            f"my card {PII['card']} was charged twice. How do I get a refund?")


def test_pii_and_secrets_are_not_written_anywhere(tmp_path):
    folder = tmp_path / "server"
    process, url = _start_server(folder, "--model-class", "tests.assets.serving.injected_models.PassageServer",
                                 env={"GENAI_FLOW_SERVING_AUTH_TOKEN": TOKEN})
    headers = {"Authorization": f"Bearer {TOKEN}"}
    try:
        answered = httpx.post(url, json={"question": QUESTION, "subject": PII["name"]}, headers=headers, timeout=60)
        assert answered.status_code == 200
        httpx.post(url + "feedback", headers=headers, timeout=60, json={
            "request_id": answered.json()["request_id"], "rating": -1, "comment": QUESTION, "correction": QUESTION})
        client = openai.OpenAI(base_url=url + "v1", api_key=TOKEN, max_retries=0, timeout=60)
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": QUESTION}])
        list(client.chat.completions.create(model="m", stream=True, messages=[{"role": "user", "content": QUESTION}]))
        # Failing requests too: errors are where request bodies tend to get logged.
        httpx.post(url, json={"question": QUESTION, "max_new_tokens": 10**6}, headers=headers, timeout=60)
        httpx.post(url, json={"question": QUESTION, "subject": [PII["email"]]}, headers=headers, timeout=60)
        httpx.post(url, json={"question": QUESTION}, headers={"Authorization": "Bearer wrong-" + TOKEN}, timeout=60)
    finally:
        _stop(process)
    assert "POST / HTTP/1.1" in process.log_path.read_text()  # the server's log is in the folder scanned
    written = {}
    for path in folder.rglob("*"):
        if path.is_file():
            written[str(path.relative_to(folder))] = path.read_bytes()
    assert any(name.endswith("liveops.sqlite") for name in written) and any("rundb" in name for name in written)
    secrets = [TOKEN, *PII.values()]
    leaks = {(name, secret) for name, data in written.items() for secret in secrets if secret.encode() in data}
    assert not leaks, f"written in the clear: {sorted(leaks)}"


def test_project_yaml_holds_no_secrets():
    """Credentials come from MLRun project secrets or the environment, never from project.yaml."""
    import re

    import yaml

    from ..helpers import REPO_ROOT

    project = yaml.safe_load((REPO_ROOT / "project.yaml").read_text())
    secretish = re.compile(r"(api_?key|access_?key|token|secret|password|credential)", re.IGNORECASE)

    def walk(node, path=""):
        if isinstance(node, dict):
            for key, value in node.items():
                if secretish.search(str(key)) and isinstance(value, str) and value:
                    yield f"{path}.{key}"
                yield from walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, dict) and secretish.search(str(value.get("name", ""))) and value.get("value"):
                    yield f"{path}[{index}]"
                yield from walk(value, f"{path}[{index}]")

    assert list(walk(project)) == []
