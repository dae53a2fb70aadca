"""Check the development set: both files parse, labels are well formed, codes exist, minimums are met.

    .venv/bin/python bench/understanding_dev/validate.py [--codes PATH]

PATH is the tab-separated procedure list the labels were written from (default: seed_codes.tsv beside this file).
Prints the counts and exits 1 on any problem.
"""
from __future__ import annotations

import argparse
import collections
import re
import sys
import unicodedata
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
STYLES = ("vi", "vi_plain", "teen", "en")
ASKED = {"overview", "documents", "fee", "time", "where", "online", "steps", "eligibility", "legal", "result"}
MIN_QUESTIONS, MIN_PER_STYLE, MIN_PROCEDURES, MIN_CONVERSATIONS = 480, 120, 110, 24
# abbreviations / teencode that a teen question should show at least one of
TEEN = re.compile(r"\b(ko|k|hok|dc|đc|bn|j|cccd|gplx|sdt|hk|vs|mik|ntn|mn|lm|r|z|v|ạ|e|ms|đk|dk|kd|hs|nv|cty|tn|"
                  r"vc|ck|vk|trc|nc|ng|bh|bhyt|bhxh|hđ|đh|gp|gpxd|gpkd|hkd|lltp|mst|xn|ks|hc|sv|t|cp|tv|xkld|k?báo|kbáo|h)\b",
                  re.IGNORECASE)


def load_codes(path: Path) -> dict[str, str]:
    codes = {}
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if i == 0 or not line.strip():
            continue
        code, name = line.split("\t")[:2]
        codes[code.strip()] = name.strip()
    return codes


VIETNAMESE_ONLY = set("đơưăâêôạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịĩọỏốồổỗộớờởỡợụủũứừửữựỳỵỷỹ")


def has_diacritics(text: str) -> bool:
    return "đ" in text.lower() or any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", text))


def has_vietnamese_letters(text: str) -> bool:
    return any(c in VIETNAMESE_ONLY for c in text.lower())


def check_item(where: str, item: dict, codes: dict, problems: list, style: str | None = None) -> None:
    text, style = item.get("text"), style or item.get("style")
    if not isinstance(text, str) or not text.strip():
        problems.append(f"{where}: empty text")
        return
    if style not in STYLES:
        problems.append(f"{where}: style {style!r}")
    labels = item.get("codes")
    if not isinstance(labels, list) or any(c not in codes for c in labels):
        problems.append(f"{where}: unknown code in {labels!r}")
    asked = item.get("asked")
    if not isinstance(asked, list) or not asked or any(a not in ASKED for a in asked):
        problems.append(f"{where}: asked {asked!r}")
    if style == "vi_plain" and not text.isascii():
        problems.append(f"{where}: vi_plain text has non-ASCII characters: {text!r}")
    if style == "vi" and not has_diacritics(text) and len(text.split()) > 2:  # "ok", "tiếp" turns may be bare
        problems.append(f"{where}: vi text has no diacritics: {text!r}")
    if style == "en" and has_vietnamese_letters(text):
        problems.append(f"{where}: en text has Vietnamese diacritics: {text!r}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--codes", type=Path, default=HERE / "seed_codes.tsv")
    args = parser.parse_args()
    codes = load_codes(args.codes)
    problems: list[str] = []

    questions = yaml.safe_load((HERE / "questions.yml").read_text(encoding="utf-8"))
    conversations = yaml.safe_load((HERE / "conversations.yml").read_text(encoding="utf-8"))
    if not isinstance(questions, list) or not isinstance(conversations, list):
        print("both files must be YAML lists")
        return 1

    ids, texts = set(), collections.Counter()
    per_style, per_code, asked_count = collections.Counter(), collections.Counter(), collections.Counter()
    no_code = 0
    for n, q in enumerate(questions, 1):
        qid = q.get("id")
        if qid != f"d{n:04d}":
            problems.append(f"question {n}: id {qid!r}, expected d{n:04d}")
        if qid in ids:
            problems.append(f"{qid}: duplicate id")
        ids.add(qid)
        check_item(str(qid), q, codes, problems)
        texts[q.get("text", "").strip().lower()] += 1
        per_style[q.get("style")] += 1
        for code in q.get("codes") or []:
            per_code[code] += 1
        no_code += not q.get("codes")
        for a in q.get("asked") or []:
            asked_count[a] += 1
        if q.get("style") == "teen" and not TEEN.search(q.get("text", "")):
            problems.append(f"{qid}: teen text shows no abbreviation: {q.get('text')!r}")
    problems += [f"duplicate question text: {t!r}" for t, c in texts.items() if c > 1]

    turn_styles, turns = collections.Counter(), 0
    for c in conversations:
        cid, style, conv_turns = c.get("id"), c.get("style"), c.get("turns") or []
        if not 3 <= len(conv_turns) <= 4:
            problems.append(f"{cid}: {len(conv_turns)} turns (3–4 expected)")
        turn_styles[style] += 1
        for i, t in enumerate(conv_turns, 1):
            check_item(f"{cid} turn {i}", t, codes, problems, style=style)
            turns += 1
            for code in t.get("codes") or []:
                per_code[code] += 0  # conversations do not count towards question coverage

    covered = {c for c, k in per_code.items() if k}
    print(f"questions: {len(questions)}  " + "  ".join(f"{s}: {per_style[s]}" for s in STYLES))
    print(f"no procedure (codes []): {no_code} ({no_code / max(len(questions), 1):.1%})")
    print(f"procedures covered by questions: {len(covered)} of {len(codes)}")
    print("asked: " + "  ".join(f"{a}: {asked_count[a]}" for a in sorted(ASKED)))
    print(f"conversations: {len(conversations)} ({turns} turns)  "
          + "  ".join(f"{s}: {turn_styles[s]}" for s in STYLES))
    if len(questions) < MIN_QUESTIONS:
        problems.append(f"{len(questions)} questions < {MIN_QUESTIONS}")
    problems += [f"style {s}: {per_style[s]} < {MIN_PER_STYLE}" for s in STYLES if per_style[s] < MIN_PER_STYLE]
    if len(covered) < MIN_PROCEDURES:
        problems.append(f"{len(covered)} procedures covered < {MIN_PROCEDURES}")
    if len(conversations) < MIN_CONVERSATIONS:
        problems.append(f"{len(conversations)} conversations < {MIN_CONVERSATIONS}")
    for p in problems:
        print("PROBLEM:", p)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
