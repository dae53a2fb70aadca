import json
import time

from bench.search.labelled import STYLES, load_queries, read_national, unknown_codes
from bench.search.run import NATIONAL, main

import pytest


def test_labelled_queries_cover_every_style_and_name_real_codes():
    queries = load_queries()
    assert len(queries) >= 250
    assert {q.style for q in queries} == set(STYLES)
    assert all(q.expected for q in queries)
    if not NATIONAL.exists():
        pytest.skip(f"../shared/tthc/national-procedures-2026-07.jsonl.gz absent: {NATIONAL}")
    assert unknown_codes(queries, {r["ma_thu_tuc"] for r in read_national(NATIONAL)}) == []


def test_smoke_run_reports_accuracy_per_style_latency_and_misses(tmp_path, capsys):
    out = tmp_path / "search_smoke.json"
    started = time.perf_counter()

    assert main(["--smoke", "-o", str(out)]) == 0

    assert time.perf_counter() - started < 20
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["catalogue"] == "seed" and 0 < result["queries"] <= 12
    assert {"all"} <= set(result["accuracy"]) <= {"all", *STYLES}
    for scores in result["accuracy"].values():
        assert scores["n"] > 0 and 0 <= scores["top1"] <= scores["top3"] <= 1
    assert set(result["latency"]) == {"base", "scaled"}
    assert result["latency"]["scaled"]["procedures"] == 2 * result["latency"]["base"]["procedures"]
    assert all(v["p50_ms"] <= v["p95_ms"] for v in result["latency"].values())
    assert all({"query", "expected", "got"} <= set(m) for m in result["misses"])
    assert "| all |" in capsys.readouterr().out
