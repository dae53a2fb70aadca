"""The candidate called `ours` is the pipeline config.yml ships, so the benchmark measures what runs."""
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[2]


def test_ours_candidate_is_the_shipped_pipeline():
    shipped = yaml.safe_load((PROJECT / "config.yml").read_text(encoding="utf-8"))
    candidate = yaml.safe_load((PROJECT / "bench" / "nlu" / "pipelines" / "ours.yml").read_text(encoding="utf-8"))
    assert candidate["pipeline"] == shipped["pipeline"]
    assert candidate["language"] == shipped["language"]
