"""Speed benchmark through the real processes on loopback (issue: measured quality and speed).

    python -m bench.speed              # cold starts, sequential latency, 20×10 concurrent, memory
    python -m bench.speed --train      # also time a full `rasa train --force` (minutes)
    python -m bench.speed --smoke      # tiny counts, for the test suite

Every figure is printed beside the bare Rasa `/model/parse` time of the same run: ratios hold on a
noisy machine, absolute times do not. Request loops are bounded in count and time and only hit 127.0.0.1.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp

from bot.stack import Stack, isolated_settings, prepare_knowledge, stack_environment
from knowledge.settings import PROJECT_ROOT, Settings

MODEL = PROJECT_ROOT / "models" / "hue.tar.gz"
RESULTS = PROJECT_ROOT / "bench" / "results"
# A realistic conversation: a question, follow-ups, another procedure, English, a ward.
TURNS = [
    "lam giay khai sinh can giay to gi",
    "lệ phí bao nhiêu?",
    "mất bao lâu",
    "nộp online được không",
    "đổi gplx cần gì",
    "sổ đỏ làm ở đâu",
    "What documents do I need for marriage registration?",
    "UBND phường Thuận An ở đâu?",
    "cap lai cccd",
    "cảm ơn",
]
DEADLINE_SECONDS = 300  # no loop runs longer than this


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(millis: list[float]) -> dict:
    return {
        "n": len(millis),
        "p50_ms": round(statistics.median(millis), 1),
        "p95_ms": round(percentile(millis, 0.95), 1),
    }


async def _timed_post(session: aiohttp.ClientSession, url: str, payload: dict) -> tuple[float, bool]:
    started = time.perf_counter()
    try:
        async with session.post(url, json=payload) as response:
            await response.read()
            ok = response.status == 200
    except aiohttp.ClientError:
        ok = False
    return (time.perf_counter() - started) * 1000, ok


async def sequential(settings: Settings, rounds: int) -> dict:
    """Each turn of the conversation, one at a time: the gateway's full turn and Rasa's bare parse."""
    chat_url = f"http://127.0.0.1:{settings.gateway_port}/api/chat"
    parse_url = f"{settings.rasa_url}/model/parse?token={settings.rasa_token}"  # Rasa's API needs the stack's token
    chat, parse, errors = [], [], 0
    deadline = time.monotonic() + DEADLINE_SECONDS
    async with aiohttp.ClientSession() as session:
        for _ in range(rounds):
            sender = uuid.uuid4().hex
            for text in TURNS:
                if time.monotonic() > deadline:
                    break
                took, ok = await _timed_post(session, parse_url, {"text": text})
                parse.append(took)
                errors += not ok
                took, ok = await _timed_post(session, chat_url, {"sender": sender, "message": text})
                chat.append(took)
                errors += not ok
    result = {"chat": summary(chat), "parse": summary(parse), "errors": errors}
    result["p95_ratio_to_parse"] = round(result["chat"]["p95_ms"] / max(result["parse"]["p95_ms"], 0.1), 2)
    return result


async def concurrent(settings: Settings, conversations: int, turns: int) -> dict:
    """`conversations` citizens at once, each sending `turns` messages one after another."""
    chat_url = f"http://127.0.0.1:{settings.gateway_port}/api/chat"
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + DEADLINE_SECONDS

    async def citizen(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        sender = uuid.uuid4().hex
        for text in (TURNS * (turns // len(TURNS) + 1))[:turns]:
            if time.monotonic() > deadline:
                return
            took, ok = await _timed_post(session, chat_url, {"sender": sender, "message": text})
            latencies.append(took)
            errors += not ok

    connector = aiohttp.TCPConnector(limit=conversations)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(citizen(session) for _ in range(conversations)))
        elapsed = time.perf_counter() - started
    return {
        **summary(latencies),
        "messages_per_s": round(len(latencies) / elapsed, 1),
        "errors": errors,
        "conversations": conversations,
        "turns": turns,
    }


def _tree_peak_rss_mb(pids: list[int]) -> float:
    """Sum of peak resident memory (VmHWM) of the processes and their children."""
    seen: set[int] = set()
    todo = list(pids)
    total_kb = 0
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total_kb += int(line.split()[1])
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            todo.extend(int(child) for child in children)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return round(total_kb / 1024, 1)


def _first_answer_seconds(settings: Settings, started: float) -> float:
    """Poll the gateway until one chat message gets a real answer."""
    url = f"http://127.0.0.1:{settings.gateway_port}/api/chat"

    async def attempt() -> bool:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
            try:
                async with session.post(url, json={"sender": "bench", "message": "xin chào"}) as response:
                    return response.status == 200 and bool((await response.json())["messages"])
            except (aiohttp.ClientError, asyncio.TimeoutError):
                return False

    while time.monotonic() - started < DEADLINE_SECONDS:
        if asyncio.run(attempt()):
            return round(time.monotonic() - started, 1)
        time.sleep(0.5)
    raise TimeoutError("no answer within the deadline")


def make_run_cold_start_seconds(settings: Settings) -> float:
    """`make run` (model trained, knowledge base on its own database) until the first answered message."""
    started = time.monotonic()
    process = subprocess.Popen(
        ["make", "run"], cwd=PROJECT_ROOT, env=stack_environment(settings),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        return _first_answer_seconds(settings, started)
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def training_seconds() -> float:
    with tempfile.TemporaryDirectory() as out:
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "rasa", "train", "--force", "--out", out, "--quiet"],
            cwd=PROJECT_ROOT, env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"}, check=True,
        )
        return round(time.monotonic() - started, 1)


def run(smoke: bool, train: bool) -> dict:
    if not MODEL.exists():
        raise SystemExit("No trained model: run `make train` first.")
    work = Path(tempfile.mkdtemp(prefix="hue-bench-"))
    settings = isolated_settings(work, port_base=28000)
    prepare_knowledge(settings)
    results: dict = {"smoke": smoke}
    stack = Stack(settings, MODEL, log_dir=work / "log")
    started = time.monotonic()
    stack.start()
    try:
        print("cold start …", flush=True)
        results["cold_start_s"] = _first_answer_seconds(settings, started)
        stack.wait_ready(progress=lambda _: None)
        print("sequential …", flush=True)
        results["sequential"] = asyncio.run(sequential(settings, rounds=1 if smoke else 10))
        print("concurrent …", flush=True)
        results["concurrent"] = asyncio.run(
            concurrent(settings, conversations=2 if smoke else 20, turns=2 if smoke else 10)
        )
        results["peak_memory_mb"] = _tree_peak_rss_mb([p.pid for p in stack.processes.values()])
    finally:
        stack.stop()
    if not smoke:
        print("cold start through make run …", flush=True)
        results["make_run_cold_start_s"] = make_run_cold_start_seconds(isolated_settings(work, port_base=28100))
    if train:
        print("training …", flush=True)
        results["training_s"] = training_seconds()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny counts (for the test suite)")
    parser.add_argument("--train", action="store_true", help="also time a full training")
    parser.add_argument("--output", type=Path, default=None, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    results = run(smoke=args.smoke, train=args.train)
    text = json.dumps(results, indent=2)
    print(text)
    output = args.output or (RESULTS / ("speed-smoke.json" if args.smoke else "speed.json"))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
