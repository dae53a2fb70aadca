"""Understanding on the frozen test set (tests/eval/): does the first answer name the right procedure?

    python -m bench.understanding [--systems ours,before,tfidf] [--before-ref 64c8b46] [--catalogue seed|full]
                                  [--set eval|dev] [--limit N] [--json FILE]

Every system answers the same questions in the same run:
- ours: this tree's stack (action server, Rasa with models/hue.tar.gz, gateway) on its own ports and databases;
- before: the same stack built from git ref --before-ref (a worktree under var/bench/, its own model and seed);
- tfidf: TF-IDF over the loaded procedures' names (character 2–4-grams of the accent-folded text) and cosine,
  top 1 as the answer and top 3 as the choices: the "ten lines of scikit-learn" baseline.

Per writing style it prints: first answer right; right among the first answer and the offered choices; wrong
procedure; "I don't know" although the catalogue has the answer; invented facts (an amount in the answer that
the named procedure's record does not carry); and turn p95. Conversations score every turn. Labels are the
usage list's codes; codes the 2026 records replaced are mapped (knowledge/seed/curation/replaced_codes.yml).
Questions labelled with no procedure are scored apart: right when no procedure is answered. A conversation turn
whose answer names no procedure and offers none (a coach step, "ok") is right when the procedure in focus after
it (the tracker's `procedure_code` or `guide_procedure` slot) is the turn's.
The test set is evaluation only: never train on it, never write rules for its sentences.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import yaml

from knowledge.settings import NATIONAL_CATALOGUE, PORTAL_CATALOGUE, PROJECT_ROOT
from knowledge.text import fold

SETS = {"eval": PROJECT_ROOT / "tests" / "eval", "dev": PROJECT_ROOT / "bench" / "understanding_dev"}
REPLACED = PROJECT_ROOT / "knowledge" / "seed" / "curation" / "replaced_codes.yml"
WORK = PROJECT_ROOT / "var" / "bench" / "understanding"
STYLES = ("vi", "vi_plain", "teen", "en")
BEFORE_REF = "64c8b46"  # the last commit before issue 9's work
_CODE = re.compile(r"\b(\d{1,2}\.\d{6}|local-[a-z0-9-]+)\b")
_AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{3})+)\s*(?:đ\b|đồng|VND|VNĐ)", re.IGNORECASE)


def load_set(limit: int | None = None, name: str = "eval") -> tuple[list[dict], list[dict]]:
    questions = yaml.safe_load((SETS[name] / "questions.yml").read_text(encoding="utf-8"))
    conversations = yaml.safe_load((SETS[name] / "conversations.yml").read_text(encoding="utf-8"))
    if limit:
        per_style = defaultdict(list)
        for question in questions:
            per_style[question["style"]].append(question)
        questions = [q for style in STYLES for q in per_style[style][:limit]]
        conversations = conversations[: max(2, limit // 5)]
    return questions, conversations


def acceptable(codes: list[str], replaced: dict) -> tuple[set[str], bool]:
    """Current codes a label accepts, and whether the label named any procedure at all."""
    current = {replaced.get(c, c) if c in replaced else c for c in codes}
    return {c for c in current if c}, bool(codes)


# ------------------------------------------------------------------------------------------------ systems
class StackSystem:
    """A running stack reached over HTTP; answers are read from what the citizen would see."""

    def __init__(self, name: str, root: Path, work: Path, port_base: int, catalogue: str):
        self.name, self.root, self.work, self.port, self.catalogue = name, root, work, port_base, catalogue
        self.process: subprocess.Popen | None = None
        self.token = uuid.uuid4().hex  # the stack uses it for Rasa's API; this benchmark reads trackers with it

    def env(self) -> dict:
        env = dict(os.environ)
        env.update(
            RASA_TOKEN=self.token, ACTION_SERVER_TOKEN=self.token,
            PYTHONPATH=str(self.root), RASA_TELEMETRY_ENABLED="false",
            DATABASE_URL=f"sqlite:///{self.work / 'knowledge.db'}",
            TRACKER_STORE_URL=f"sqlite:///{self.work / 'tracker.db'}",
            RASA_URL=f"http://127.0.0.1:{self.port + 5}", ACTION_SERVER_URL=f"http://127.0.0.1:{self.port + 55}",
            GATEWAY_HOST="127.0.0.1", GATEWAY_PORT=str(self.port), PUBLIC_URL=f"http://127.0.0.1:{self.port}",
        )
        return env

    def _run(self, *args: str) -> None:
        subprocess.run([sys.executable, *args], cwd=self.root, env=self.env(), check=True, capture_output=True)

    def prepare(self, progress) -> None:
        if self.work.exists():
            shutil.rmtree(self.work)
        self.work.mkdir(parents=True)
        progress(f"{self.name}: knowledge base ({self.catalogue})")
        self._run("-m", "knowledge", "init")
        self._run("-m", "knowledge", "seed")
        if self.catalogue == "full":
            self._run("-m", "knowledge", "import-national", str(NATIONAL_CATALOGUE), str(PORTAL_CATALOGUE)) \
                if self.name == "ours" else self._run("-m", "knowledge", "import-national", str(NATIONAL_CATALOGUE))

    def start(self, progress) -> None:
        log = open(self.work / "stack.log", "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.stack", "--model", str(self.root / "models" / "hue.tar.gz")],
            cwd=self.root, env=self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name}: the stack stopped; see {self.work / 'stack.log'}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as response:
                    if response.status == 200:
                        progress(f"{self.name}: ready")
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(1)
        raise TimeoutError(f"{self.name}: not ready after 300 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)

    def ask(self, sender: str, text: str) -> tuple[dict, float]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/chat", data=json.dumps({"sender": sender, "message": text}).encode(),
            headers={"Content-Type": "application/json"}, method="POST")
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                body = json.loads(response.read())
        except urllib.error.HTTPError as error:
            body = {"messages": [], "error": error.code}
        elapsed = (time.perf_counter() - started) * 1000
        texts = [m.get("text") or "" for m in body.get("messages", [])]
        buttons = [b.get("payload") or "" for m in body.get("messages", []) for b in m.get("buttons") or []]
        named = [c for text in texts for c in _CODE.findall(text)]
        offered = [c for payload in buttons if "procedure_code" in payload for c in _CODE.findall(payload)]
        return {"first": named[0] if named else None, "offered": list(dict.fromkeys(named[:1] + offered)),
                "text": "\n".join(texts)}, elapsed

    def focus(self, sender: str) -> set[str]:
        """The procedures the conversation is about after the turn: the `procedure_code` slot and the coach's
        `guide_procedure` (read from Rasa's tracker; the gateway prefixes sender ids with "web-")."""
        url = (f"http://127.0.0.1:{self.port + 5}/conversations/web-{sender}/tracker"
               f"?token={self.token}&include_events=NONE")
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                slots = json.loads(response.read()).get("slots") or {}
        except (urllib.error.URLError, OSError, ValueError):
            return set()
        return {str(slots[name]) for name in ("procedure_code", "guide_procedure") if slots.get(name)}

    def amounts(self, code: str) -> set[int]:
        """Every amount the record's fee cells carry (figures or notes)."""
        with sqlite3.connect(self.work / "knowledge.db") as db:
            rows = db.execute("SELECT c.* FROM channels c JOIN procedures p ON p.id = c.procedure_id "
                              "WHERE p.code = ?", (code,)).fetchall()
        found: set[int] = set()
        for row in rows:
            for cell in row:
                if isinstance(cell, int):
                    found.add(cell)
                elif isinstance(cell, str):
                    found |= {int(re.sub(r"\D", "", m)) for m in re.findall(r"\d{1,3}(?:[.,]\d{3})+|\d{4,}", cell)}
        return found

    def procedures(self) -> list[tuple[str, str]]:
        with sqlite3.connect(self.work / "knowledge.db") as db:
            return db.execute("SELECT code, name FROM procedures ORDER BY code").fetchall()


class TfidfSystem:
    """TF-IDF over procedure names, cosine similarity: the plain baseline."""

    name = "tfidf"

    def __init__(self, procedures: list[tuple[str, str]]):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.codes = [code for code, _ in procedures]
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
        self.matrix = self.vectorizer.fit_transform([fold(name) for _, name in procedures])

    def ask(self, sender: str, text: str) -> tuple[dict, float]:
        started = time.perf_counter()
        scores = (self.matrix @ self.vectorizer.transform([fold(text)]).T).toarray().ravel()
        top = [self.codes[i] for i in scores.argsort()[::-1][:3]]
        return {"first": top[0], "offered": top, "text": ""}, (time.perf_counter() - started) * 1000

    def amounts(self, code: str) -> set[int]:
        return set()

    def focus(self, sender: str) -> set[str]:
        return set()


# ------------------------------------------------------------------------------------------------ scoring
def score_answer(answer: dict, wanted: set[str], labelled: bool, system) -> str:
    if not labelled:
        return "no_procedure_right" if answer["first"] is None and not answer["offered"] else "no_procedure_answered"
    if not wanted:
        return "retired_code"  # the usage list's code has no current record: nobody can answer it
    if answer["first"] in wanted:
        return "first_right"
    if wanted & set(answer["offered"]):
        return "offered_right"
    if answer["first"] is None and not answer["offered"]:
        return "dont_know"
    return "wrong"


def invented(answer: dict, system) -> bool:
    if not answer["first"] or not answer["text"]:
        return False
    named = {int(m.replace(".", "")) for m in _AMOUNT.findall(answer["text"])}
    return bool(named - system.amounts(answer["first"]))


def evaluate(system, questions: list[dict], conversations: list[dict], replaced: dict, progress) -> dict:
    counts: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    latencies: list[float] = []
    for number, question in enumerate(questions, start=1):
        wanted, labelled = acceptable(question["codes"], replaced)
        answer, elapsed = system.ask(f"bench-{uuid.uuid4().hex[:12]}", question["text"])
        latencies.append(elapsed)
        outcome = score_answer(answer, wanted, labelled, system)
        for style in (question["style"], "all"):
            counts[style][outcome] += 1
            counts[style]["n" if labelled and wanted else "n_other"] += 1
            counts[style]["invented"] += invented(answer, system)
        if number % 100 == 0:
            progress(f"{system.name}: {number}/{len(questions)} questions")
    for conversation in conversations:
        sender = f"bench-{uuid.uuid4().hex[:12]}"
        right_all = True
        for turn in conversation["turns"]:
            wanted, labelled = acceptable(turn["codes"], replaced)
            answer, elapsed = system.ask(sender, turn["text"])
            latencies.append(elapsed)
            outcome = score_answer(answer, wanted, labelled, system)
            ok = outcome in ("first_right", "no_procedure_right")
            if not ok and labelled and answer["first"] is None and not answer["offered"]:
                ok = bool(wanted & system.focus(sender))  # a follow-up or coach step: the procedure in focus
            right_all &= ok
            for style in (f"turns_{conversation['style']}", "turns_all"):
                counts[style]["n"] += 1
                counts[style]["right"] += ok
        counts["conversations"]["n"] += 1
        counts["conversations"]["right"] += right_all
    latencies.sort()
    result = {key: dict(value) for key, value in counts.items()}
    result["p95_ms"] = round(latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None
    return result


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}" if whole else "   – "


def report(results: dict[str, dict]) -> str:
    lines = ["| system | style | n | first right % | right among offered % | wrong % | I don't know % | "
             "invented | no-procedure questions right | turns right % | turn p95 ms |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, result in results.items():
        for style in (*STYLES, "all"):
            row = result.get(style, {})
            n = row.get("n", 0)
            turns = result.get(f"turns_{style}", {})
            lines.append(
                f"| {name} | {style} | {n} | {_pct(row.get('first_right', 0), n)} | "
                f"{_pct(row.get('first_right', 0) + row.get('offered_right', 0), n)} | {_pct(row.get('wrong', 0), n)} | "
                f"{_pct(row.get('dont_know', 0), n)} | {row.get('invented', 0)} | "
                f"{row.get('no_procedure_right', 0)}/{row.get('n_other', 0) - row.get('retired_code', 0)} | "
                f"{_pct(turns.get('right', 0), turns.get('n', 0))} | {result.get('p95_ms') if style == 'all' else ''} |")
        conv = result.get("conversations", {})
        lines.append(f"| {name} | conversations all turns right | {conv.get('n', 0)} | "
                     f"{_pct(conv.get('right', 0), conv.get('n', 0))} | | | | | | | |")
    return "\n".join(lines)


def before_tree(ref: str, progress) -> Path:
    """A worktree of `ref` with the spaCy pipeline linked and its own trained model."""
    root = PROJECT_ROOT / "var" / "bench" / f"tree-{ref}"
    if not root.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(root), ref], cwd=PROJECT_ROOT, check=True,
                       capture_output=True)
    (root / "var").mkdir(exist_ok=True)
    link = root / "var" / "spacy_vi"
    if not link.exists():
        link.symlink_to(PROJECT_ROOT / "var" / "spacy_vi")
    if not (root / "models" / "hue.tar.gz").exists():
        progress(f"before: training the model of {ref} (about a minute)")
        subprocess.run([sys.executable, "-m", "rasa", "train", "--fixed-model-name", "hue", "--out", "models",
                        "--quiet"], cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, check=True,
                       capture_output=True)
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", default="ours,before,tfidf")
    parser.add_argument("--before-ref", default=BEFORE_REF)
    parser.add_argument("--catalogue", choices=("seed", "full"), default="seed")
    parser.add_argument("--limit", type=int, help="questions per style (a smoke run)")
    parser.add_argument("--set", choices=sorted(SETS), default="eval",
                        help="eval: the frozen test set (the figures); dev: the development set (tuning)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)
    progress = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    names = [n.strip() for n in args.systems.split(",") if n.strip()]
    unknown = set(names) - {"ours", "before", "tfidf"}
    if unknown:
        parser.error(f"unknown systems: {', '.join(sorted(unknown))}")
    questions, conversations = load_set(args.limit, args.set)
    replaced = yaml.safe_load(REPLACED.read_text(encoding="utf-8")) or {}
    results: dict[str, dict] = {}
    ours = None
    for offset, name in enumerate(n for n in names if n in ("ours", "before")):
        root = PROJECT_ROOT if name == "ours" else before_tree(args.before_ref, progress)
        system = StackSystem(name, root, WORK / name, 19100 + 200 * offset, args.catalogue)
        system.prepare(progress)
        system.start(progress)
        try:
            results[name] = evaluate(system, questions, conversations, replaced, progress)
        finally:
            system.stop()
        ours = ours or system
    if "tfidf" in names:
        if ours is None:
            ours = StackSystem("ours", PROJECT_ROOT, WORK / "ours", 19100, args.catalogue)
            ours.prepare(progress)
        tfidf = TfidfSystem(ours.procedures())
        results["tfidf"] = evaluate(tfidf, questions, conversations, replaced, progress)
    print(f"{'Frozen' if args.set == 'eval' else 'Development'} set: {len(questions)} questions, {len(conversations)} conversations; catalogue: {args.catalogue}")
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
