"""Start, watch, restart and stop the three processes: action server, Rasa server, gateway.

`python -m bot.stack` is what `make run` calls; the end-to-end tests use `Stack` the same way.

- Rasa and the action server listen on 127.0.0.1 only; the gateway is the one public entry. Both require a token
  generated here at every start (`secrets.token_urlsafe`) and handed to the processes in their environment:
  RASA_TOKEN (the gateway and the benchmarks send it, `bot.rasa.rasa_server` checks it) and ACTION_SERVER_TOKEN
  (Rasa sends it, endpoints.yml; `actions.serve` checks it).
- Once the stack is ready, a process that stops is restarted after 1, 2, 4 … seconds; after
  `stack_max_restarts` restarts of one process within `stack_restart_window_seconds` the supervisor gives up,
  stops the rest and exits with code 1. Restarts and the state of each process are logged and written to
  `<stack_run_dir>/stack-<gateway port>.json`, which the gateway reports in /healthz.
- Children die with the supervisor: on Linux each one asks the kernel for SIGTERM when its parent dies
  (prctl PR_SET_PDEATHSIG); on SIGTERM, SIGINT or SIGHUP the supervisor stops each child's process group.
- Each child's output (stdout and stderr) is piped to a thread of the supervisor that writes it, line by line, to
  `<log dir>/<name>.log`, rotated at LOG_MAX_BYTES with LOG_BACKUPS older files (`<name>.log.1` …); the
  supervisor's own `stack.log` rotates the same way. The lines are written as the child made them: each child
  redacts personal data from its own log records (knowledge.redact.install_log_redaction), before they reach the
  pipe.
- A second supervisor refuses to start over a running one (`<stack_run_dir>/stack-<gateway port>.pid`, checked
  alive) or over processes that still hold the ports (orphans of an older stack, anything else), and says what to
  do. Stacks on other ports (tests, benchmarks) may run beside it.

Processes are started by command line, not imported: `bot` and `actions` never import each other.
"""
from __future__ import annotations

import argparse
import ctypes
import json
import logging
import logging.handlers
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Callable
from urllib.parse import urlsplit

from knowledge.settings import PROJECT_ROOT, Settings

log = logging.getLogger("bot.stack")  # also when run as __main__

READY_TIMEOUT_SECONDS = 240
MAX_BACKOFF_SECONDS = 30
# Each process and what it is, for messages.
ROLES = {"actions": "the action server", "rasa": "Rasa", "gateway": "the gateway"}
_PR_SET_PDEATHSIG = 1
# A line longer than this is written in pieces of this size.
MAX_LINE_BYTES = 64 * 1024


class StackError(RuntimeError):
    """The stack cannot start or go on; the message says why and what to do."""


def with_tokens(settings: Settings) -> Settings:
    """`settings` with a fresh token for Rasa and for the action server where none is set."""
    return replace(
        settings,
        rasa_token=settings.rasa_token or secrets.token_urlsafe(32),
        action_server_token=settings.action_server_token or secrets.token_urlsafe(32),
    )


def stack_environment(settings: Settings) -> dict[str, str]:
    """The environment every child process gets: the settings, telemetry off, the project importable."""
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(PROJECT_ROOT),
            "RASA_TELEMETRY_ENABLED": "false",
            "DATABASE_URL": settings.database_url,
            "TRACKER_STORE_URL": settings.tracker_store_url,
            "ACTION_SERVER_URL": settings.action_server_url,
            "ACTION_SERVER_PORT": str(_port(settings.action_server_url)),
            "RASA_URL": settings.rasa_url,
            "GATEWAY_HOST": settings.gateway_host,
            "GATEWAY_PORT": str(settings.gateway_port),
            "PUBLIC_URL": settings.public_url,
            "WIDGET_ALLOWED_ORIGINS": ",".join(settings.widget_allowed_origins),
            "WIDGET_IDLE_MINUTES": str(settings.widget_idle_minutes),
            "RASA_TOKEN": settings.rasa_token,
            "ACTION_SERVER_TOKEN": settings.action_server_token,
            "STACK_RUN_DIR": settings.stack_run_dir,
            "STACK_STATE_FILE": str(state_file_path(settings)),
            "STACK_MAX_RESTARTS": str(settings.stack_max_restarts),
            "STACK_RESTART_WINDOW_SECONDS": str(settings.stack_restart_window_seconds),
            "STACK_BACKOFF_SECONDS": str(settings.stack_backoff_seconds),
        }
    )
    return env


def isolated_settings(work: Path, port_base: int) -> Settings:
    """Settings for a throw-away stack (tests, benchmarks): databases and run files under `work`, its own
    loopback ports, its own tokens."""
    return with_tokens(
        replace(
            Settings.from_env(),
            database_url=f"sqlite:///{work / 'knowledge.db'}",
            tracker_store_url=f"sqlite:///{work / 'tracker.db'}",
            rasa_url=f"http://127.0.0.1:{port_base + 5}",
            action_server_url=f"http://127.0.0.1:{port_base + 55}",
            gateway_host="127.0.0.1",
            gateway_port=port_base,
            stack_run_dir=str(work / "run"),
            rasa_token="",
            action_server_token="",
        )
    )


def prepare_knowledge(settings: Settings) -> None:
    """Create the knowledge base of `settings` and load the seed, as `make db` does."""
    env = stack_environment(settings)
    for command in ("init", "seed"):
        subprocess.run([sys.executable, "-m", "knowledge", command], cwd=PROJECT_ROOT, env=env, check=True,
                       capture_output=True)


def pid_file_path(settings: Settings) -> Path:
    """The supervisor's pid file: one per gateway port, so that stacks on other ports may run beside it."""
    return Path(settings.stack_run_dir) / f"stack-{settings.gateway_port}.pid"


def state_file_path(settings: Settings) -> Path:
    return Path(settings.stack_run_dir) / f"stack-{settings.gateway_port}.json"


def _port(url: str) -> int:
    return urlsplit(url).port or 80


def listening_ports(settings: Settings) -> dict[str, tuple[str, int]]:
    """Where each process listens: name -> (host, port)."""
    return {
        "actions": ("127.0.0.1", _port(settings.action_server_url)),
        "rasa": ("127.0.0.1", _port(settings.rasa_url)),
        "gateway": (settings.gateway_host, settings.gateway_port),
    }


def commands(settings: Settings, model: Path) -> dict[str, list[str]]:
    python = sys.executable
    return {
        "actions": [python, "-m", "actions.serve"],
        # The token is not on the command line (any local user can read that): bot.rasa.rasa_server adds
        # --auth-token from RASA_TOKEN, and opens only the API routes the gateway and the benchmarks use.
        "rasa": [
            python, "-m", "bot.rasa.rasa_server", "run",
            "--model", str(model),
            "--interface", "127.0.0.1",
            "--port", str(_port(settings.rasa_url)),
            "--enable-api",
            "--endpoints", str(PROJECT_ROOT / "endpoints.yml"),
            "--credentials", str(PROJECT_ROOT / "credentials.yml"),
        ],
        "gateway": [python, "-m", "bot.gateway.serve"],
    }  # fmt: skip


def port_is_free(host: str, port: int) -> bool:
    """True when a server could listen on host:port now (SO_REUSEADDR, as aiohttp and Sanic bind)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _die_with_parent() -> Callable[[], None] | None:
    """A preexec_fn asking the kernel to send the child SIGTERM when the supervisor dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    parent = os.getpid()

    def preexec() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl: nobody would ever send the signal
            os.kill(os.getpid(), signal.SIGKILL)

    return preexec


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback URLs from settings
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def rotating_file(path: Path, settings: Settings) -> logging.handlers.RotatingFileHandler:
    """A log file rotated at `settings.log_max_bytes` (0: never), keeping `settings.log_backups` older ones."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return logging.handlers.RotatingFileHandler(
        path, maxBytes=settings.log_max_bytes, backupCount=settings.log_backups, encoding="utf-8"
    )


class ChildLog:
    """One child's output, copied line by line by a thread into its rotating log file. The same file (and lock)
    serves every run of the child: a restarted process's thread writes on after the previous one's."""

    def __init__(self, name: str, path: Path, settings: Settings) -> None:
        self.name = name
        self.handler = rotating_file(path, settings)
        self.handler.setFormatter(logging.Formatter("%(message)s"))  # the child's lines, as they are
        self.threads: list[threading.Thread] = []

    def follow(self, stream: IO[bytes]) -> None:
        thread = threading.Thread(target=self._copy, args=(stream,), name=f"log-{self.name}", daemon=True)
        thread.start()
        self.threads = [thread, *(other for other in self.threads if other.is_alive())]

    def _copy(self, stream: IO[bytes]) -> None:
        with stream:
            for line in iter(lambda: stream.readline(MAX_LINE_BYTES), b""):
                self.write(line.decode("utf-8", errors="replace").rstrip("\r\n"))

    def write(self, line: str) -> None:
        record = logging.LogRecord(self.name, logging.INFO, "", 0, line, None, None)
        self.handler.handle(record)

    def close(self, timeout: float = 5) -> None:
        """Wait for the threads to reach the end of their pipes (the processes have stopped), then close."""
        for thread in self.threads:
            thread.join(timeout)
        self.handler.close()


@dataclass
class Child:
    """Restart bookkeeping of one process."""

    state: str = "starting"  # starting, running, restarting, stopped, failed
    restarts: int = 0
    recent_restarts: deque = field(default_factory=deque)  # monotonic times, within the window
    restart_at: float | None = None
    last_exit_code: int | None = None
    last_restart: str | None = None


@dataclass
class Stack:
    settings: Settings
    model: Path
    log_dir: Path = PROJECT_ROOT / "var" / "log"
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    commands: dict[str, list[str]] | None = None  # default: `commands(settings, model)`
    children: dict[str, Child] = field(default_factory=dict)
    logs: dict[str, ChildLog] = field(default_factory=dict)
    state: str = "stopped"

    def __post_init__(self) -> None:
        self.settings = with_tokens(self.settings)
        if self.commands is None:
            self.commands = commands(self.settings, self.model)

    @property
    def state_file(self) -> Path:
        return state_file_path(self.settings)

    def busy_ports(self) -> list[str]:
        """Messages for the ports another process holds."""
        return [
            f"port {port} ({ROLES.get(name, name)}) is already in use"
            for name, (host, port) in listening_ports(self.settings).items()
            if name in self.commands and not port_is_free(host, port)
        ]

    def start(self) -> None:
        busy = self.busy_ports()
        if busy:
            raise StackError(
                "; ".join(busy) + ". Another stack, or processes left over from one, is still running: stop it "
                "(`ss -ltnp` shows which process holds a port) and start again."
            )
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.state = "starting"
        for name in self.commands:
            self.children[name] = Child()
            self._start_process(name)
        self.write_state()

    def _start_process(self, name: str) -> None:
        env = stack_environment(self.settings)
        if name not in self.logs:
            self.logs[name] = ChildLog(name, self.log_dir / f"{name}.log", self.settings)
        process = subprocess.Popen(
            self.commands[name], cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=_die_with_parent(),
        )
        self.processes[name] = process
        assert process.stdout is not None
        self.logs[name].follow(process.stdout)

    def wait_ready(self, timeout: float = READY_TIMEOUT_SECONDS, progress=print, cancelled=lambda: False) -> None:
        """Wait until the gateway's /healthz says all three answer; raise if a process dies meanwhile."""
        health = f"http://127.0.0.1:{self.settings.gateway_port}/healthz"
        deadline = time.monotonic() + timeout
        last_report = 0.0
        while time.monotonic() < deadline and not cancelled():
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise StackError(
                        f"{name} stopped with code {process.returncode}; see {self.log_dir / (name + '.log')}"
                    )
            if _answers(health):
                self.state = "running"
                for child in self.children.values():
                    child.state = "running"
                self.write_state()
                return
            if time.monotonic() - last_report > 10:
                progress("… waiting for Rasa to load the model (about a minute)")
                last_report = time.monotonic()
            time.sleep(0.5)
        if cancelled():
            raise StackError("stopped before the stack was ready")
        raise TimeoutError(f"the stack was not ready after {timeout:.0f} s; logs in {self.log_dir}")

    def supervise_once(self, now: float | None = None) -> None:
        """One look at the children: schedule the restart of those that stopped, start those whose time has
        come. Raises StackError when one stopped too often."""
        now = time.monotonic() if now is None else now
        for name, process in self.processes.items():
            child = self.children[name]
            if child.restart_at is None and process.poll() is not None:
                self._schedule_restart(name, process.returncode, now)
            elif child.restart_at is not None and now >= child.restart_at:
                self._start_process(name)
                child.restart_at, child.state = None, "running"
                child.restarts += 1
                child.last_restart = _now_iso()
                log.warning("%s restarted (pid %d, restart %d)", name, self.processes[name].pid, child.restarts)
                self.write_state()

    def _schedule_restart(self, name: str, code: int, now: float) -> None:
        child = self.children[name]
        child.last_exit_code = code
        window = self.settings.stack_restart_window_seconds
        while child.recent_restarts and child.recent_restarts[0] < now - window:
            child.recent_restarts.popleft()
        if len(child.recent_restarts) >= self.settings.stack_max_restarts:
            child.state = self.state = "failed"
            self.write_state()
            raise StackError(
                f"{name} stopped with code {code} after {len(child.recent_restarts)} restarts within {window} s; "
                f"giving up. See {self.log_dir / (name + '.log')}"
            )
        delay = min(self.settings.stack_backoff_seconds * 2 ** len(child.recent_restarts), MAX_BACKOFF_SECONDS)
        child.recent_restarts.append(now)
        child.restart_at, child.state = now + delay, "restarting"
        log.warning(
            "%s stopped with code %s; restarting it in %s s (%d of at most %d within %d s)",
            name, code, delay, len(child.recent_restarts), self.settings.stack_max_restarts, window,
        )  # fmt: skip
        self.write_state()

    def supervise(self, stopping: Callable[[], bool], interval: float = 0.5) -> None:
        """Watch and restart the children until `stopping()`; raises StackError when giving up."""
        while not stopping():
            self.supervise_once()
            time.sleep(interval)

    def stop(self, grace: float = 15) -> None:
        """Stop every child's process group: SIGTERM, then SIGKILL after `grace` seconds."""
        if self.state != "failed":
            self.state = "stopping"
        running = [process for process in self.processes.values() if process.poll() is None]
        for process in running:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in running:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
        self.processes.clear()
        for child_log in self.logs.values():
            child_log.close()
        self.logs.clear()
        if self.state != "failed":
            self.state = "stopped"
        for child in self.children.values():
            child.state, child.restart_at = ("failed" if child.state == "failed" else "stopped"), None
        self.write_state()

    def report(self) -> dict:
        return {
            "state": self.state,
            "supervisor_pid": os.getpid(),
            "updated": _now_iso(),
            "processes": {
                name: {
                    "state": child.state,
                    "pid": self.processes[name].pid if name in self.processes else None,
                    "restarts": child.restarts,
                    "last_exit_code": child.last_exit_code,
                    "last_restart": child.last_restart,
                }
                for name, child in self.children.items()
            },
        }

    def write_state(self) -> None:
        """The report as JSON in the state file, replaced at once so a reader never sees half of it."""
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        partial = self.state_file.with_suffix(".tmp")
        partial.write_text(json.dumps(self.report(), indent=2), encoding="utf-8")
        os.replace(partial, self.state_file)


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


def _running_supervisor(pid_file: Path) -> int | None:
    """The pid in `pid_file` if that process is alive and is a bot.stack supervisor."""
    try:
        pid = int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid  # alive, another user's
    try:
        command_line = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return pid  # no /proc to tell: alive is enough
    return pid if b"bot.stack" in command_line else None


def claim_pid_file(pid_file: Path) -> Path:
    """Write this process's pid to `pid_file`; StackError when a live supervisor holds it."""
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(3):
        try:
            descriptor = os.open(pid_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            pid = _running_supervisor(pid_file)
            if pid is not None:
                raise StackError(
                    f"a stack is already running (supervisor pid {pid}, {pid_file}). Use it, or stop it with "
                    f"Ctrl-C in its terminal or `kill {pid}`, then start again."
                ) from None
            pid_file.unlink(missing_ok=True)  # left by a supervisor that died
            continue
        with os.fdopen(descriptor, "w") as handle:
            handle.write(f"{os.getpid()}\n")
        return pid_file
    raise StackError(f"could not claim {pid_file}")


def release_pid_file(pid_file: Path) -> None:
    try:
        if int(pid_file.read_text().split()[0]) == os.getpid():
            pid_file.unlink()
    except (OSError, ValueError, IndexError):
        pass


def _configure_logging(log_dir: Path, settings: Settings) -> None:
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handlers = [logging.StreamHandler(sys.stderr), rotating_file(log_dir / "stack.log", settings)]
    for handler in handlers:
        handler.setFormatter(formatter)
        log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the action server, Rasa and the gateway.")
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "hue.tar.gz")
    parser.add_argument("--log-dir", type=Path, default=PROJECT_ROOT / "var" / "log")
    args = parser.parse_args(argv)
    if not args.model.exists():
        print(f"No trained model at {args.model}: run `make run` (it trains when needed).", file=sys.stderr)
        return 2
    settings = Settings.from_env()
    _configure_logging(args.log_dir, settings)
    stack = Stack(settings, args.model, log_dir=args.log_dir)
    try:
        pid_file = claim_pid_file(pid_file_path(stack.settings))
    except StackError as error:
        print(f"Not starting: {error}", file=sys.stderr)
        return 1
    stopping = False

    def _stop(*_):
        nonlocal stopping
        stopping = True

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, _stop)
    try:
        print("Starting the action server, Rasa and the gateway…", flush=True)
        stack.start()
        stack.wait_ready(progress=lambda text: print(text, flush=True), cancelled=lambda: stopping)
        print(f"\nTrợ lý dịch vụ công Huế is ready: http://localhost:{stack.settings.gateway_port}\n"
              "Press Ctrl-C to stop.", flush=True)
        log.info("stack ready (supervisor pid %d)", os.getpid())
        stack.supervise(lambda: stopping)
    except (StackError, TimeoutError) as error:
        if stopping and stack.state != "failed":
            return 0  # Ctrl-C or SIGTERM while starting
        log.error("%s", error)
        print(f"Could not {'go on' if stack.state == 'failed' else 'start'}: {error}", file=sys.stderr)
        return 1
    finally:
        if stack.processes:
            print("Stopping…", flush=True)
            stack.stop()
            print("Stopped.", flush=True)
        release_pid_file(pid_file)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
