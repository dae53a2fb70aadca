"""The supervisor `bot.stack` with small stand-in processes (no model): restarts with backoff, gives up with a
non-zero exit, children die with it, a second start is refused, and the state /healthz reports.

The real processes go through the same paths in tests/test_supervisor.py.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from aiohttp.test_utils import unused_port

from bot.stack import (
    Stack,
    StackError,
    _configure_logging,
    claim_pid_file,
    isolated_settings,
    pid_file_path,
    release_pid_file,
    stack_environment,
    state_file_path,
    with_tokens,
)
from bot.stack import log as stack_log
from knowledge.settings import PROJECT_ROOT, Settings

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")

# A stand-in server: answers 200 to every GET on 127.0.0.1:<port> until it gets SIGTERM.
SERVER = """
import http.server, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""
# Crashes the first time (leaves a mark), then serves.
FLAKY = """
import pathlib, sys
mark = pathlib.Path(sys.argv[2])
if not mark.exists():
    mark.write_text("crashed once")
    sys.exit(3)
""" + SERVER
CRASH = "import sys; sys.exit(3)"
# `python -m bot.stack` with the stand-ins instead of the real commands.
DRIVER = """
import json, sys
import bot.stack
stand_ins = json.loads(sys.argv[1])
bot.stack.commands = lambda settings, model: stand_ins
raise SystemExit(bot.stack.main(sys.argv[2:]))
"""


def _free_port_base() -> int:
    for _ in range(50):
        base = unused_port()
        if base < 60000 and all(_free(base + offset) for offset in (0, 5, 55)):
            return base
    raise RuntimeError("no free ports")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def _until(condition, timeout: float = 15, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def settings(tmp_path) -> Settings:
    return replace(isolated_settings(tmp_path, _free_port_base()), stack_backoff_seconds=1, stack_max_restarts=3)


def stand_ins(settings: Settings, tmp_path: Path, actions: str = SERVER) -> dict[str, list[str]]:
    def port(url: str) -> str:
        return url.rsplit(":", 1)[1]

    return {
        "actions": [sys.executable, "-c", actions, port(settings.action_server_url), str(tmp_path / "crashed")],
        "rasa": [sys.executable, "-c", SERVER, port(settings.rasa_url)],
        "gateway": [sys.executable, "-c", SERVER, str(settings.gateway_port)],
    }


def state(settings: Settings) -> dict:
    return json.loads(state_file_path(settings).read_text())


def test_tokens_are_generated_once_and_passed_in_the_environment():
    settings = with_tokens(Settings())
    assert len(settings.rasa_token) >= 40 and len(settings.action_server_token) >= 40
    assert settings.rasa_token != settings.action_server_token
    assert with_tokens(settings) == settings
    env = stack_environment(settings)
    assert (env["RASA_TOKEN"], env["ACTION_SERVER_TOKEN"]) == (settings.rasa_token, settings.action_server_token)
    assert with_tokens(Settings()).rasa_token != settings.rasa_token  # a new one at every start


def test_the_token_is_not_on_any_command_line(settings):
    stack = Stack(settings, Path("model.tar.gz"))
    assert all(stack.settings.rasa_token not in " ".join(command) for command in stack.commands.values())
    assert "--enable-api" in stack.commands["rasa"]


def test_a_crashed_process_is_restarted_after_a_backoff(settings, tmp_path):
    stack = Stack(settings, Path("model.tar.gz"), log_dir=tmp_path / "log",
                  commands=stand_ins(settings, tmp_path, actions=FLAKY))  # fmt: skip
    stack.start()
    try:
        first = stack.processes["actions"]
        first.wait(10)
        crashed_at = time.monotonic()
        stack.supervise_once()
        assert state(settings)["processes"]["actions"]["state"] == "restarting"
        _until(lambda: stack.supervise_once() or stack.processes["actions"] is not first, what="the restart")
        assert time.monotonic() - crashed_at >= settings.stack_backoff_seconds * 0.9
        report = state(settings)["processes"]
        assert report["actions"] | {"pid": None, "last_restart": None} == {
            "state": "running", "pid": None, "restarts": 1, "last_exit_code": 3, "last_restart": None,
        }  # fmt: skip
        assert report["rasa"]["restarts"] == report["gateway"]["restarts"] == 0
        stack.supervise_once()
        assert stack.processes["actions"].poll() is None  # it serves now
    finally:
        stack.stop()
    assert state(settings)["state"] == "stopped"


def _driver(settings: Settings, tmp_path: Path, commands: dict, **env) -> subprocess.Popen:
    model = tmp_path / "model.tar.gz"
    model.touch()
    return subprocess.Popen(
        [sys.executable, "-c", DRIVER, json.dumps(commands), "--model", str(model), "--log-dir", str(tmp_path / "log")],
        cwd=PROJECT_ROOT, env={**stack_environment(settings), **env},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip


def test_the_supervisor_gives_up_and_exits_non_zero(settings, tmp_path):
    settings = replace(settings, stack_backoff_seconds=0, stack_max_restarts=2)
    supervisor = _driver(settings, tmp_path, stand_ins(settings, tmp_path, actions=SERVER))
    try:
        _until(lambda: state(settings)["state"] == "running" if state_file_path(settings).exists() else False,
               what="the stand-in stack")  # fmt: skip
        pids = {name: process["pid"] for name, process in state(settings)["processes"].items()}
        os.kill(pids["actions"], signal.SIGKILL)  # 1st restart
        _until(lambda: state(settings)["processes"]["actions"]["restarts"] == 1, what="restart 1")
        os.kill(state(settings)["processes"]["actions"]["pid"], signal.SIGKILL)
        _until(lambda: state(settings)["processes"]["actions"]["restarts"] == 2, what="restart 2")
        os.kill(state(settings)["processes"]["actions"]["pid"], signal.SIGKILL)  # one too many
        _, stderr = supervisor.communicate(timeout=30)
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
    assert supervisor.returncode == 1
    assert "giving up" in stderr
    assert state(settings)["state"] == "failed"
    assert not alive(pids["rasa"]) and not alive(pids["gateway"])
    assert "restarting it in" in (tmp_path / "log" / "stack.log").read_text()
    assert not pid_file_path(settings).exists()


def test_second_start_is_refused_and_children_die_with_the_supervisor(settings, tmp_path):
    supervisor = _driver(settings, tmp_path, stand_ins(settings, tmp_path))
    try:
        _until(lambda: state_file_path(settings).exists() and state(settings)["state"] == "running",
               what="the stand-in stack")  # fmt: skip
        pids = [process["pid"] for process in state(settings)["processes"].values()]
        assert pid_file_path(settings).read_text().strip() == str(supervisor.pid)

        # Over the running stack: the pid file says so.
        second = _driver(settings, tmp_path, stand_ins(settings, tmp_path))
        _, stderr = second.communicate(timeout=30)
        assert second.returncode == 1
        assert f"a stack is already running (supervisor pid {supervisor.pid}" in stderr

        # Elsewhere, but on the same ports (as over orphans): the ports say so.
        elsewhere = replace(settings, stack_run_dir=str(tmp_path / "other-run"))
        third = _driver(elsewhere, tmp_path, stand_ins(elsewhere, tmp_path))
        _, stderr = third.communicate(timeout=30)
        assert third.returncode == 1
        assert f"port {settings.gateway_port} (the gateway) is already in use" in stderr
        assert "left over" in stderr

        os.kill(supervisor.pid, signal.SIGKILL)  # no chance to clean up
        supervisor.wait(10)
        _until(lambda: not any(alive(pid) for pid in pids), what="the children to die with their parent")
        assert _free(settings.gateway_port)
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)

    # The pid file left behind names a dead process: the next start goes ahead.
    restarted = _driver(settings, tmp_path, stand_ins(settings, tmp_path))
    try:
        _until(lambda: pid_file_path(settings).read_text().strip() == str(restarted.pid),
               what="the pid file to be claimed")  # fmt: skip
        _until(lambda: state(settings)["supervisor_pid"] == restarted.pid and state(settings)["state"] == "running",
               what="the restarted stand-in stack")  # fmt: skip
        pids = [process["pid"] for process in state(settings)["processes"].values()]
        restarted.send_signal(signal.SIGTERM)
        assert restarted.wait(20) == 0
    finally:
        if restarted.poll() is None:
            os.killpg(restarted.pid, signal.SIGKILL)
    assert not any(alive(pid) for pid in pids)
    assert state(settings)["state"] == "stopped"
    assert not pid_file_path(settings).exists()


def test_a_busy_port_stops_the_start_with_a_clear_message(settings, tmp_path):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", settings.gateway_port))
        squatter.listen()
        stack = Stack(settings, Path("model.tar.gz"), log_dir=tmp_path / "log", commands=stand_ins(settings, tmp_path))
        with pytest.raises(StackError, match=f"port {settings.gateway_port} \\(the gateway\\) is already in use"):
            stack.start()
    assert stack.processes == {}


def test_a_stale_pid_file_is_replaced(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / "stack-8000.pid").write_text(f"{dead.pid}\n")
    pid_file = claim_pid_file(tmp_path / "stack-8000.pid")
    assert pid_file.read_text().strip() == str(os.getpid())
    release_pid_file(pid_file)
    assert not pid_file.exists()


# Writes 3000 lines of 100 bytes (300 kB) to stdout, then a personal-data line through the redacting logging
# to stderr, then waits to be stopped.
CHATTY = """
import logging, sys, time
from knowledge.redact import install_log_redaction
install_log_redaction()
logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
for number in range(3000):
    print(f"line {number:05d} " + "x" * 89)
sys.stdout.flush()
logging.warning("citizen wrote sdt 0905 123 456")
print("last line", flush=True)
time.sleep(120)
"""


def test_each_childs_output_goes_to_its_log_rotated_by_size_and_redacted(settings, tmp_path):
    settings = replace(settings, log_max_bytes=20_000, log_backups=2)
    log_dir = tmp_path / "log"
    stack = Stack(settings, Path("model.tar.gz"), log_dir=log_dir,
                  commands=stand_ins(settings, tmp_path, actions=CHATTY))  # fmt: skip
    stack.start()
    try:
        _until(lambda: "last line" in (log_dir / "actions.log").read_text(), what="the child's output")
    finally:
        stack.stop()
    files = sorted(path.name for path in log_dir.iterdir() if path.name.startswith("actions.log"))
    assert files == ["actions.log", "actions.log.1", "actions.log.2"]  # older ones dropped
    assert all((log_dir / name).stat().st_size <= 20_000 for name in files)
    current = (log_dir / "actions.log").read_text()
    # The child redacts its own log records before they reach the pipe.
    assert current.endswith("line 02999 " + "x" * 89 + "\nWARNING citizen wrote sdt [số điện thoại]\nlast line\n")
    # Whole lines, in order, across the files kept.
    kept = "".join((log_dir / name).read_text() for name in ("actions.log.2", "actions.log.1", "actions.log"))
    numbers = [int(line.split()[1]) for line in kept.splitlines() if line.startswith("line ")]
    assert numbers == list(range(numbers[0], 3000)) and numbers[0] > 0
    assert all(line == f"line {number:05d} " + "x" * 89 for line, number in zip(kept.splitlines(), numbers))


def test_a_restarted_child_writes_on_in_the_same_log(settings, tmp_path):
    log_dir = tmp_path / "log"
    flaky = "print('run of the flaky child', flush=True)\n" + FLAKY
    stack = Stack(settings, Path("model.tar.gz"), log_dir=log_dir,
                  commands=stand_ins(settings, tmp_path, actions=flaky))  # fmt: skip
    stack.start()
    try:
        first = stack.processes["actions"]
        first.wait(10)
        _until(lambda: stack.supervise_once() or stack.processes["actions"] is not first, what="the restart")
        _until(lambda: (log_dir / "actions.log").read_text().count("run of the flaky child") == 2,
               what="the second run's output")  # fmt: skip
    finally:
        stack.stop()
    assert stack.logs == {}  # the copying threads ended with their processes


def test_the_supervisors_own_log_rotates(settings, tmp_path):
    _configure_logging(tmp_path, replace(settings, log_max_bytes=2_000, log_backups=1))
    try:
        for number in range(100):
            stack_log.warning("actions stopped with code -9; restarting it in 1 s (%d)", number)
    finally:
        for handler in list(stack_log.handlers):
            handler.close()
            stack_log.removeHandler(handler)
        stack_log.propagate, stack_log.level = True, logging.NOTSET
    files = sorted(path.name for path in tmp_path.iterdir() if path.name.startswith("stack.log"))
    assert files == ["stack.log", "stack.log.1"]
    assert all((tmp_path / name).stat().st_size <= 2_000 for name in files)
    assert "(99)" in (tmp_path / "stack.log").read_text()
