"""Sanity check of the frozen eval set: parses, codes known, minimum counts. Not a scorer.

Usage: python3 tests/eval/check.py
"""
import os
import sys
import unicodedata
from collections import Counter

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
STYLES = {"vi", "vi_plain", "teen", "en"}
ASKED = {"overview", "documents", "fee", "time", "where", "online", "steps", "eligibility", "legal", "result"}


def load(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        raw = f.read()
    assert raw == unicodedata.normalize("NFC", raw), f"{name} is not NFC"
    return yaml.safe_load(raw)


def main():
    with open(os.path.join(HERE, "procedures.tsv"), encoding="utf-8") as f:
        order = [l.split("\t")[0] for l in f.read().splitlines()[1:] if l.strip()]
    known = set(order)
    qs, cs = load("questions.yml"), load("conversations.yml")
    errs = []

    def check_item(where, text, codes, asked, style):
        if not isinstance(text, str) or not text.strip():
            errs.append(f"{where}: empty text")
        if style not in STYLES:
            errs.append(f"{where}: bad style {style}")
        for c in codes:
            if not isinstance(c, str) or c not in known:
                errs.append(f"{where}: unknown code {c!r}")
        if len(set(codes)) != len(codes):
            errs.append(f"{where}: duplicate code")
        if not asked or any(a not in ASKED for a in asked):
            errs.append(f"{where}: bad asked {asked}")
        if style == "vi_plain" and not text.isascii():
            errs.append(f"{where}: vi_plain with diacritics: {text}")
        if style == "vi" and text.isascii() and "#" not in where:
            errs.append(f"{where}: vi without diacritics: {text}")

    ids = [q["id"] for q in qs]
    if len(ids) != len(set(ids)):
        errs.append("duplicate question ids")
    texts = Counter(q["text"] for q in qs)
    errs += [f"duplicate text: {t}" for t, n in texts.items() if n > 1]
    for q in qs:
        check_item(q["id"], q["text"], q["codes"], q["asked"], q["style"])
    for c in cs:
        if c["style"] == "vi" and all(t["text"].isascii() for t in c["turns"]):
            errs.append(f"{c['id']}: vi conversation without diacritics")
        if not 3 <= len(c["turns"]) <= 5:
            errs.append(f"{c['id']}: {len(c['turns'])} turns")
        for i, t in enumerate(c["turns"], 1):
            check_item(f"{c['id']}#{i}", t["text"], t["codes"], t["asked"], c["style"])
            if not t["codes"]:
                errs.append(f"{c['id']}#{i}: no code")

    qstyle = Counter(q["style"] for q in qs)
    cstyle = Counter(c["style"] for c in cs)
    covered = {c for q in qs for c in q["codes"]}
    none = sum(1 for q in qs if not q["codes"])
    multi = sum(1 for q in qs if len(q["codes"]) > 1)
    print(f"questions: {len(qs)} by style {dict(sorted(qstyle.items()))}")
    print(f"  no procedure ([]): {none} ({none / len(qs):.1%}); several codes: {multi}")
    print(f"  procedures covered: {len(covered)} of {len(known)}")
    quart = Counter(min(order.index(c) * 4 // len(order), 3) for q in qs for c in q["codes"][:1])
    print(f"  questions by usage quarter of the list (first code): {[quart[i] for i in range(4)]}")
    print(f"  asked: {dict(Counter(a for q in qs for a in q['asked']).most_common())}")
    print(f"conversations: {len(cs)} by style {dict(sorted(cstyle.items()))}, turns {sum(len(c['turns']) for c in cs)}")

    if len(qs) < 600: errs.append("fewer than 600 questions")
    if any(qstyle[s] < 150 for s in STYLES): errs.append("a style has fewer than 150 questions")
    if len(covered) < 100: errs.append("fewer than 100 procedures covered")
    if len(cs) < 40: errs.append("fewer than 40 conversations")
    if any(cstyle[s] < 8 for s in STYLES): errs.append("a style has fewer than 8 conversations")
    for e in errs:
        print("ERROR", e)
    print("OK" if not errs else f"{len(errs)} errors")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
