"""Search quality and speed on the full national catalogue, per writing style.

    PYTHONPATH=. .venv/bin/python -m bench.search.run                 # national catalogue + seed, and 10× synthetic
    PYTHONPATH=. .venv/bin/python -m bench.search.run --scale 10      # the synthetic enlargement factor (1 = none)
    PYTHONPATH=. .venv/bin/python -m bench.search.run --smoke         # seed only, a few queries: for the test suite
    PYTHONPATH=. .venv/bin/python -m bench.search.run --check         # only check the labels' codes exist

Builds a temporary SQLite knowledge base the way an operator does (`init`, `import-national`, `seed`), loads
the index as the bot does (`repository.load_index`), and asks every query of bench/search/queries.yml. A query
counts at top-1 when the best candidate is one of its expected codes, at top-3 when one of the first three is.
Latency is the wall time of `index.search(query, limit=5)`. Writes bench/results/search[_smoke].json and prints
a markdown table. National data are read from ../shared (never copied into the project).
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.search.catalogue import build_kb, read_entries, synthetic_copies
from bench.search.labelled import STYLES, LabelledQuery, load_queries, read_national, unknown_codes
from knowledge.search import ProcedureIndex
from knowledge.settings import NATIONAL_CATALOGUE, PROJECT_ROOT

NATIONAL = NATIONAL_CATALOGUE
SEED_DIR = PROJECT_ROOT / "knowledge" / "seed"
RESULTS = PROJECT_ROOT / "bench" / "results"
SMOKE_QUERIES = 12


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def evaluate(index: ProcedureIndex, queries: list[LabelledQuery]) -> tuple[dict, list[dict]]:
    """Top-1/top-3 accuracy overall and per style, and the queries whose best candidate was wrong."""
    counts = {key: [0, 0, 0] for key in ("all", *STYLES)}  # n, top1, top3
    misses = []
    for query in queries:
        got = [c.code for c in index.search(query.query, limit=3)]
        top1 = bool(got) and got[0] in query.expected
        top3 = any(code in query.expected for code in got)
        for key in ("all", query.style):
            counts[key][0] += 1
            counts[key][1] += top1
            counts[key][2] += top3
        if not top1:
            misses.append({"query": query.query, "style": query.style, "expected": list(query.expected),
                           "got": got, "top3": top3})
    accuracy = {
        key: {"n": n, "top1": round(t1 / n, 3), "top3": round(t3 / n, 3)}
        for key, (n, t1, t3) in counts.items() if n
    }
    return accuracy, misses


def latency(index: ProcedureIndex, texts: list[str], repeats: int) -> dict:
    """p50/p95 milliseconds of index.search over `texts`, after one warm-up pass."""
    for text in texts:
        index.search(text)
    timings = []
    for _ in range(repeats):
        for text in texts:
            start = time.perf_counter()
            index.search(text)
            timings.append((time.perf_counter() - start) * 1000)
    cuts = statistics.quantiles(timings, n=20) if len(timings) > 1 else timings * 19
    return {"procedures": len(index), "p50_ms": round(statistics.median(timings), 2), "p95_ms": round(cuts[-1], 2),
            "calls": len(timings)}


def run(national: Path | None, scale: int, smoke: bool, repeats: int) -> dict:
    queries = load_queries()
    with tempfile.TemporaryDirectory(prefix="bench-search-") as folder:
        url = f"sqlite:///{Path(folder) / 'kb.sqlite3'}"
        started = time.perf_counter()
        build_kb(url, None if smoke else national, SEED_DIR, _progress)
        _progress(f"knowledge base built in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        index, entries = read_entries(url)
        build_seconds = time.perf_counter() - started
    codes = {e[0] for e in entries}
    if smoke:
        queries = [q for q in queries if set(q.expected) & codes][:SMOKE_QUERIES]
    missing = unknown_codes(queries, codes)
    if missing:
        raise SystemExit(f"labelled codes absent from the knowledge base: {missing[:10]}")
    _progress(f"{len(queries)} queries over {len(index)} procedures")
    accuracy, misses = evaluate(index, queries)
    texts = [q.query for q in queries]
    speed = {"base": {**latency(index, texts, repeats), "index_seconds": round(build_seconds, 2)}}
    _progress(f"base: p50 {speed['base']['p50_ms']} ms, p95 {speed['base']['p95_ms']} ms")
    if scale > 1:
        started = time.perf_counter()
        big = ProcedureIndex.build([*entries, *synthetic_copies(entries, scale)])
        seconds = time.perf_counter() - started
        _progress(f"{scale}× synthetic catalogue: {len(big)} procedures indexed in {seconds:.1f} s")
        speed["scaled"] = {**latency(big, texts, max(1, repeats // 2)), "index_seconds": round(seconds, 2),
                           "factor": scale}
        _progress(f"scaled: p50 {speed['scaled']['p50_ms']} ms, p95 {speed['scaled']['p95_ms']} ms")
    return {
        "date": datetime.date.today().isoformat(),
        "machine": {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count()},
        "catalogue": "seed" if smoke else "national+seed",
        "queries": len(queries),
        "accuracy": accuracy,
        "latency": speed,
        "misses": misses,
    }


def markdown(result: dict) -> str:
    rows = ["| scope | n | top-1 | top-3 |", "|---|---:|---:|---:|"]
    for key, value in result["accuracy"].items():
        rows.append(f"| {key} | {value['n']} | {value['top1']:.3f} | {value['top3']:.3f} |")
    rows += ["", "| catalogue | procedures | p50 ms | p95 ms |", "|---|---:|---:|---:|"]
    for key, value in result["latency"].items():
        rows.append(f"| {key} | {value['procedures']} | {value['p50_ms']:.2f} | {value['p95_ms']:.2f} |")
    if result["misses"]:
        rows += ["", "| missed query | style | expected | got (top 3) |", "|---|---|---|---|"]
        for miss in result["misses"]:
            mark = "" if miss["top3"] else " ✗"
            rows.append(f"| {miss['query']} | {miss['style']} | {', '.join(miss['expected'])} | "
                        f"{', '.join(miss['got']) or '—'}{mark} |")
    return "\n".join(rows)


def check(national: Path) -> int:
    queries = load_queries()
    missing = unknown_codes(queries, {str(r["ma_thu_tuc"]) for r in read_national(national)})
    for query, code in missing:
        print(f"{code}: not in {national.name} (query {query!r})")
    print(f"{len(queries)} queries, {len(missing)} unknown codes")
    return 1 if missing else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national", type=Path, default=NATIONAL, help="national catalogue (JSON lines, .gz)")
    parser.add_argument("--scale", type=int, default=10, help="synthetic catalogue factor; 1 = none")
    parser.add_argument("--repeats", type=int, default=5, help="timed passes over the queries")
    parser.add_argument("--smoke", action="store_true", help="seed catalogue only, a few queries, 2× scale")
    parser.add_argument("--check", action="store_true", help="only check the labelled codes exist")
    parser.add_argument("-o", "--output", type=Path, help="JSON file (default bench/results/search[_smoke].json)")
    args = parser.parse_args(argv)
    if not args.smoke and not args.national.is_file():
        print(f"error: {args.national}: national catalogue absent", file=sys.stderr)
        return 1
    if args.check:
        return check(args.national)
    scale, repeats = (min(args.scale, 2), 1) if args.smoke else (args.scale, args.repeats)
    result = run(args.national, scale, args.smoke, repeats)
    output = args.output or RESULTS / ("search_smoke.json" if args.smoke else "search.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(markdown(result))
    _progress(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
