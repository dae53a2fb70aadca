"""Start, watch and stop the three processes: action server, Rasa server, gateway.

`python -m bot.stack` is what `make run` calls; the end-to-end tests use `Stack` the same way.
Rasa and the action server listen on 127.0.0.1 only; the gateway is the one public entry.
Processes are started by command line, not imported: `bot` and `actions` never import each other.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from knowledge.settings import PROJECT_ROOT, Settings

READY_TIMEOUT_SECONDS = 240


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
        }
    )
    return env


def isolated_settings(work: Path, port_base: int) -> Settings:
    """Settings for a throw-away stack (tests, benchmarks): databases under `work`, its own loopback ports."""
    return replace(
        Settings.from_env(),
        database_url=f"sqlite:///{work / 'knowledge.db'}",
        tracker_store_url=f"sqlite:///{work / 'tracker.db'}",
        rasa_url=f"http://127.0.0.1:{port_base + 5}",
        action_server_url=f"http://127.0.0.1:{port_base + 55}",
        gateway_host="127.0.0.1",
        gateway_port=port_base,
    )


def prepare_knowledge(settings: Settings) -> None:
    """Create the knowledge base of `settings` and load the seed, as `make db` does."""
    env = stack_environment(settings)
    for command in ("init", "seed"):
        subprocess.run([sys.executable, "-m", "knowledge", command], cwd=PROJECT_ROOT, env=env, check=True,
                       capture_output=True)


def _port(url: str) -> int:
    return urlsplit(url).port or 80


def commands(settings: Settings, model: Path) -> dict[str, list[str]]:
    python = sys.executable
    return {
        "actions": [python, "-m", "actions.serve"],
        "rasa": [
            python, "-m", "bot.rasa_server", "run",
            "--model", str(model),
            "--interface", "127.0.0.1",
            "--port", str(_port(settings.rasa_url)),
            "--enable-api",
            "--endpoints", str(PROJECT_ROOT / "endpoints.yml"),
            "--credentials", str(PROJECT_ROOT / "credentials.yml"),
        ],
        "gateway": [python, "-m", "bot.serve"],
    }


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback URLs from settings
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class Stack:
    settings: Settings
    model: Path
    log_dir: Path = PROJECT_ROOT / "var" / "log"
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        env = stack_environment(self.settings)
        for name, command in commands(self.settings, self.model).items():
            with open(self.log_dir / f"{name}.log", "ab") as log:  # the child keeps its own copy
                self.processes[name] = subprocess.Popen(
                    command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )

    def wait_ready(self, timeout: float = READY_TIMEOUT_SECONDS, progress=print, cancelled=lambda: False) -> None:
        """Wait until the gateway's /healthz says all three answer; raise if a process dies."""
        health = f"http://127.0.0.1:{self.settings.gateway_port}/healthz"
        deadline = time.monotonic() + timeout
        last_report = 0.0
        while time.monotonic() < deadline and not cancelled():
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(
                        f"{name} stopped with code {process.returncode}; see {self.log_dir / (name + '.log')}"
                    )
            if _answers(health):
                return
            if time.monotonic() - last_report > 10:
                progress("… waiting for Rasa to load the model (about a minute)")
                last_report = time.monotonic()
            time.sleep(1)
        if cancelled():
            raise RuntimeError("stopped before the stack was ready")
        raise TimeoutError(f"the stack was not ready after {timeout:.0f} s; logs in {self.log_dir}")

    def stop(self, grace: float = 15) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the action server, Rasa and the gateway.")
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "hue.tar.gz")
    args = parser.parse_args(argv)
    if not args.model.exists():
        print(f"No trained model at {args.model}: run `make run` (it trains when needed).", file=sys.stderr)
        return 2
    settings = Settings.from_env()
    stack = Stack(settings, args.model)
    stopping = False

    def _stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print("Starting the action server, Rasa and the gateway…", flush=True)
    stack.start()
    try:
        stack.wait_ready(progress=lambda text: print(text, flush=True), cancelled=lambda: stopping)
        print(f"\nTrợ lý dịch vụ công Huế is ready: http://localhost:{settings.gateway_port}\n"
              "Press Ctrl-C to stop.", flush=True)
        while not stopping:
            for name, process in stack.processes.items():
                if process.poll() is not None:
                    print(f"{name} stopped (code {process.returncode}); stopping the rest.", file=sys.stderr)
                    stopping = True
            time.sleep(0.5)
    except (RuntimeError, TimeoutError) as error:
        print(f"Could not start: {error}", file=sys.stderr)
        return 1
    finally:
        print("Stopping…", flush=True)
        stack.stop()
        print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
