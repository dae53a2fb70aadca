"""Smoke run of the speed benchmark at tiny size: the real stack answers and every figure is reported."""
import json

import pytest

from bench import speed

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not speed.MODEL.exists(), reason="no trained model: run `make test`, which trains it"),
]


def test_smoke_run_reports_every_figure(tmp_path):
    output = tmp_path / "speed.json"
    assert speed.main(["--smoke", "--output", str(output)]) == 0
    results = json.loads(output.read_text())
    assert results["sequential"]["errors"] == 0
    assert results["sequential"]["chat"]["n"] == len(speed.TURNS)
    assert results["sequential"]["parse"]["p95_ms"] > 0
    assert results["concurrent"]["errors"] == 0 and results["concurrent"]["n"] == 4
    assert 0 < results["cold_start_s"] < speed.DEADLINE_SECONDS
    assert results["peak_memory_mb"] > 100
