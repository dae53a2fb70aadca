"""Compare candidate NLU pipelines by k-fold cross-validation, per writing style.

    PYTHONPATH=. .venv/bin/python -m bench.nlu.compare                  # 5 folds: ours, rasa_default, TF-IDF+LR
    PYTHONPATH=. .venv/bin/python -m bench.nlu.compare --pipelines all  # every candidate in bench/nlu/pipelines
    PYTHONPATH=. .venv/bin/python -m bench.nlu.compare --smoke          # tiny data, 2 folds, 2 epochs, `ours` only

Each candidate in bench/nlu/pipelines/*.yml is trained on the same folds of data/nlu (lookups included), and
every held-out example is parsed once. Also scores a TF-IDF + logistic-regression baseline on the same folds.
Without --pipelines it runs the comparison the benchmark reports: our pipeline (config.yml) against
Rasa's default one.
Writes bench/results/nlu_compare[_smoke].json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from bench.nlu import baseline
from bench.nlu.data import STYLES, folds, load_corpus, smoke_corpus
from bench.nlu.metrics import summarise
from bench.nlu.rasa_runner import quiet_rasa, train_and_predict

PIPELINE_DIR = Path(__file__).resolve().parent / "pipelines"
BASELINES = {"tfidf_lr": False, "tfidf_lr_folded": True}
DEFAULT_PIPELINES = ("ours", "rasa_default")


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def markdown(results: dict) -> str:
    styles = ("all", *STYLES)
    header = (
        "| pipeline | " + " | ".join(f"intent F1 {s}" for s in styles) + " | "
        + " | ".join(f"entity F1 {s}" for s in styles)
        + " | OOS recall | train s/fold | parse ms |"
    )
    lines = [header, "|" + "---|" * (2 + 2 * len(styles) + 3)]
    for name, result in results["pipelines"].items():
        by_style = result["summary"]["by_style"]
        lines.append(
            f"| {name} | " + " | ".join(_fmt(by_style[s]["intent_macro_f1"]) for s in styles) + " | "
            + " | ".join(_fmt(by_style[s]["entity_f1"]) for s in styles)
            + f" | {_fmt(result['summary']['out_of_scope_recall'])}"
            + f" | {result['train_seconds_mean']:.1f} | {result['parse_ms_per_message_mean']:.1f} |"
        )
    lines.append("")
    lines.append("Main confusions (true → predicted: count):")
    for name, result in results["pipelines"].items():
        pairs = ", ".join(f"{c['true']}→{c['predicted']}: {c['count']}" for c in result["summary"]["confusions"][:5])
        lines.append(f"- {name}: {pairs or 'none'}")
    return "\n".join(lines)


def run(arguments: argparse.Namespace) -> dict:
    quiet_rasa()
    corpus = load_corpus(arguments.nlu_dir)
    if arguments.smoke:
        corpus = smoke_corpus(corpus)
    pipelines = sorted(PIPELINE_DIR.glob("*.yml"))
    wanted = DEFAULT_PIPELINES if arguments.pipelines is None else [w.lower() for w in arguments.pipelines]
    if "none" in wanted:
        pipelines = []
    elif "all" not in wanted:
        unknown = set(wanted) - {p.stem for p in pipelines}
        if unknown:
            raise SystemExit(f"no such pipeline in {PIPELINE_DIR}: {', '.join(sorted(unknown))}")
        pipelines = [p for p in pipelines if p.stem in wanted]
    names = [p.stem for p in pipelines] + ([] if arguments.no_baseline else list(BASELINES))
    collected = {name: {"examples": [], "predictions": [], "timings": []} for name in names}
    fold_list = list(folds(corpus.examples, arguments.folds, seed=arguments.seed))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nlu-bench-") as scratch:
        for index, (train, test) in enumerate(fold_list, start=1):
            for name in names:
                _progress(f"[fold {index}/{len(fold_list)}] {name}: train {len(train)}, test {len(test)} …")
                if name in BASELINES:
                    predictions, timing = baseline.train_and_predict(train, test, folded=BASELINES[name])
                else:
                    pipeline = PIPELINE_DIR / f"{name}.yml"
                    work_dir = Path(scratch) / f"{name}-{index}"
                    predictions, timing = train_and_predict(
                        pipeline, train, test, corpus, work_dir, epochs=arguments.epochs
                    )
                bucket = collected[name]
                bucket["examples"].extend(test)
                bucket["predictions"].extend(predictions)
                bucket["timings"].append(timing)
                fold_summary = summarise(test, predictions)["by_style"]["all"]
                _progress(
                    f"[fold {index}/{len(fold_list)}] {name}: intent F1 {_fmt(fold_summary['intent_macro_f1'])}, "
                    f"entity F1 {_fmt(fold_summary['entity_f1'])}, train {timing['train_seconds']:.0f} s "
                    f"(elapsed {time.perf_counter() - started:.0f} s)"
                )
    results = {
        "command": " ".join(sys.argv),
        "folds": arguments.folds,
        "smoke": arguments.smoke,
        "epochs_override": arguments.epochs,
        "examples": len(corpus.examples),
        "elapsed_seconds": round(time.perf_counter() - started, 1),
        "pipelines": {},
    }
    for name, bucket in collected.items():
        timings = bucket["timings"]
        results["pipelines"][name] = {
            "summary": summarise(bucket["examples"], bucket["predictions"]),
            "train_seconds_mean": sum(t["train_seconds"] for t in timings) / len(timings),
            "parse_ms_per_message_mean": sum(t["parse_ms_per_message"] for t in timings) / len(timings),
        }
    return results


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="Cross-validate candidate NLU pipelines per writing style.")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--epochs", type=int, default=None, help="override DIET epochs in every candidate")
    parser.add_argument(
        "--pipelines", nargs="*",
        help=f"candidate names (bench/nlu/pipelines/<name>.yml) or 'all'; default: {' '.join(DEFAULT_PIPELINES)}; "
        "'none' runs only the TF-IDF baselines (seconds)",
    )
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="tiny data, 2 folds, 2 epochs, only the `ours` candidate unless --pipelines")
    parser.add_argument("--nlu-dir", type=Path, default=Path("data/nlu"))
    parser.add_argument("--out", type=Path, default=None)
    arguments = parser.parse_args(argv)
    if arguments.smoke:
        arguments.folds, arguments.epochs = 2, arguments.epochs or 2
        arguments.pipelines = arguments.pipelines or ["ours"]
    results = run(arguments)
    out = arguments.out or Path("bench/results") / ("nlu_compare_smoke.json" if arguments.smoke else "nlu_compare.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(markdown(results))
    print(f"\nwritten {out} in {results['elapsed_seconds']:.0f} s", file=sys.stderr)
    return results


if __name__ == "__main__":
    main()
