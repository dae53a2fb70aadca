"""The real stack under its supervisor (`python -m bot.stack`, as `make run` starts it), on its own ports and
databases: tokens required, a killed action server comes back and the conversation goes on with its procedure in
focus, a second start is refused, and killing the supervisor takes every process with it.

The tests run in file order on one stack; the last one kills it.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from bot.stack import isolated_settings, port_is_free, prepare_knowledge, stack_environment, state_file_path
from knowledge.settings import PROJECT_ROOT

MODEL = PROJECT_ROOT / "models" / "hue.tar.gz"

pytestmark = [
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make test`, which trains it"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only"),
]


def _request(url: str, method: str = "GET", payload: dict | None = None) -> tuple[int, str]:
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


class Supervised:
    def __init__(self, work: Path):
        self.work = work
        self.settings = replace(isolated_settings(work, port_base=19000), stack_backoff_seconds=1)
        self.env = stack_environment(self.settings)
        self.process: subprocess.Popen | None = None

    def start(self) -> subprocess.Popen:
        with open(self.work / "supervisor.out", "ab") as out:
            return subprocess.Popen(
                [sys.executable, "-m", "bot.stack", "--model", str(MODEL), "--log-dir", str(self.work / "log")],
                cwd=PROJECT_ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )

    def state(self) -> dict:
        return json.loads(state_file_path(self.settings).read_text())

    def health(self) -> tuple[int, dict]:
        status, body = _request(f"http://127.0.0.1:{self.settings.gateway_port}/healthz")
        return status, json.loads(body) if body.startswith("{") else {}

    def wait_healthy(self, timeout: float = 240) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.work / "supervisor.out").read_text()[-3000:]
            try:
                status, report = self.health()
                if status == 200:
                    return report
            except OSError:
                pass
            time.sleep(0.5)
        raise AssertionError("the stack did not become healthy")

    def chat(self, sender: str, message: str) -> str:
        status, body = _request(f"http://127.0.0.1:{self.settings.gateway_port}/api/chat", "POST",
                                {"sender": sender, "message": message})  # fmt: skip
        assert status == 200, body
        return "\n".join(reply["text"] for reply in json.loads(body)["messages"])


@pytest.fixture(scope="module")
def supervised(tmp_path_factory):
    stack = Supervised(tmp_path_factory.mktemp("supervised"))
    prepare_knowledge(stack.settings)
    stack.process = stack.start()
    try:
        stack.wait_healthy()
        yield stack
    finally:
        if stack.process.poll() is None:
            stack.process.send_signal(signal.SIGTERM)
            try:
                stack.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(stack.process.pid, signal.SIGKILL)
                stack.process.wait()


def test_rasa_and_the_action_server_refuse_calls_without_the_token(supervised):
    rasa, actions = supervised.settings.rasa_url, supervised.settings.action_server_url
    token = supervised.settings.rasa_token
    assert _request(f"{rasa}/model/parse", "POST", {"text": "xin chào"})[0] == 401
    assert _request(f"{rasa}/model/parse?token=wrong", "POST", {"text": "xin chào"})[0] == 401
    assert _request(f"{rasa}/model/parse?token={token}", "POST", {"text": "xin chào"})[0] == 200
    assert _request(f"{rasa}/webhooks/rest/webhook", "POST", {"sender": "x", "message": "hi"})[0] == 401
    assert _request(f"{rasa}/conversations/x/tracker")[0] == 401
    assert _request(f"{rasa}/conversations/x/tracker?token={token}")[0] == 200
    # Routes nobody here uses are closed, token or not.
    assert _request(f"{rasa}/conversations/x/tracker/events?token={token}", "PUT", [])[0] == 404
    assert _request(f"{rasa}/model?token={token}", "DELETE")[0] == 404
    assert _request(f"{rasa}/")[0] == 200

    assert _request(f"{actions}/webhook", "POST", {"next_action": "action_answer_fee"})[0] == 401
    assert _request(f"{actions}/actions")[0] == 401
    assert _request(f"{actions}/actions?token={supervised.settings.action_server_token}")[0] == 200
    assert _request(f"{actions}/health")[0] == 200


def test_a_killed_action_server_comes_back_and_the_conversation_goes_on(supervised):
    sender = uuid.uuid4().hex
    assert "1.001193" in supervised.chat(sender, "lam giay khai sinh can giay to gi")
    before = supervised.state()["processes"]["actions"]
    os.kill(before["pid"], signal.SIGKILL)

    deadline = time.monotonic() + 60
    while supervised.state()["processes"]["actions"]["restarts"] < 1:
        assert time.monotonic() < deadline, "the action server was not restarted"
        time.sleep(0.2)
    report = supervised.wait_healthy(timeout=60)
    assert report["stack"] == {"state": "running", "restarts": {"actions": 1, "rasa": 0, "gateway": 0}}
    after = supervised.state()["processes"]["actions"]
    assert after["pid"] != before["pid"] and after["last_exit_code"] == -signal.SIGKILL

    fee = supervised.chat(sender, "lệ phí bao nhiêu?")  # still about birth registration
    assert "1.001193" in fee and "Miễn phí" in fee
    assert "actions stopped with code -9; restarting it in 1 s" in (supervised.work / "log" / "stack.log").read_text()


def test_a_second_start_is_refused(supervised):
    second = subprocess.run(
        [sys.executable, "-m", "bot.stack", "--model", str(MODEL), "--log-dir", str(supervised.work / "log2")],
        cwd=PROJECT_ROOT, env=supervised.env, capture_output=True, text=True, timeout=60,
    )
    assert second.returncode == 1
    assert f"a stack is already running (supervisor pid {supervised.process.pid}" in second.stderr
    assert supervised.health()[0] == 200  # the running one is untouched


def test_killing_the_supervisor_takes_every_process_with_it(supervised):
    pids = [process["pid"] for process in supervised.state()["processes"].values()]
    assert all(_alive(pid) for pid in pids)
    os.kill(supervised.process.pid, signal.SIGKILL)
    supervised.process.wait(10)
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in pids):
        assert time.monotonic() < deadline, "children outlived the supervisor"
        time.sleep(0.2)
    ports = supervised.settings
    for host, port in [("127.0.0.1", ports.gateway_port), ("127.0.0.1", 19005), ("127.0.0.1", 19055)]:
        assert port_is_free(host, port)
