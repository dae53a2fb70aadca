import json
from pathlib import Path

import pytest

from bench.nlu.data import NOT_SCORED, folds, load_corpus, style_of

PROJECT = Path(__file__).resolve().parents[2]
NLU_DIR = PROJECT / "data" / "nlu"


@pytest.mark.parametrize(
    "name, style",
    [("procedure_vi.yml", "vi"), ("procedure_vi_plain.yml", "vi_plain"), ("offices_teen.yml", "teen"),
     ("smalltalk_en.yml", "en"), ("notes.yml", None)],
)
def test_style_comes_from_the_file_name(name, style):
    assert style_of(Path(name)) == style


def test_every_nlu_file_declares_a_style_and_folds_cover_each_example_once():
    corpus = load_corpus(NLU_DIR)
    scored = [e for e in corpus.examples if e.intent not in NOT_SCORED]

    tested = [e for _, test in folds(corpus.examples, 3) for e in test]

    assert sorted(e.text for e in tested) == sorted(e.text for e in scored)
    assert {e.style for e in corpus.examples} == {"vi", "vi_plain", "teen", "en"}


@pytest.mark.slow
def test_smoke_run_reports_scores_per_style(tmp_path, monkeypatch, capsys):
    from bench.nlu.compare import main

    from bot.rasa.nlu.spacy_model import DEFAULT_DIRECTORY, save_blank_vietnamese

    monkeypatch.chdir(PROJECT)  # SpacyNLP loads var/spacy_vi relative to the project
    if not DEFAULT_DIRECTORY.is_dir():
        save_blank_vietnamese(DEFAULT_DIRECTORY)
    out = tmp_path / "smoke.json"

    main(["--smoke", "--out", str(out)])

    results = json.loads(out.read_text(encoding="utf-8"))
    assert set(results["pipelines"]) == {"ours", "tfidf_lr", "tfidf_lr_folded"}
    by_style = results["pipelines"]["ours"]["summary"]["by_style"]
    assert set(by_style) == {"all", "vi", "vi_plain", "teen", "en"}
    assert all(0.0 <= by_style[s]["intent_macro_f1"] <= 1.0 for s in by_style)
    assert "| ours |" in capsys.readouterr().out
