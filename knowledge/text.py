"""Vietnamese text helpers: accent folding, abbreviation expansion, phrase matching, language guess.

The tables (abbreviations, language hints) are YAML under knowledge/data/ and are read on first use, never at
import time. Phrase matching is accent-aware: a phrase written with diacritics matches the same words typed
with them or typed without any ("sổ đỏ" matches "so do"), but not a different accented word ("số đó").
"""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Iterable, Mapping

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
# Letters and digits count as word characters; a hyphen too, so "e-mail" is not the teencode "e".
_BEFORE = r"(?<![\w-])"
_AFTER = r"(?![\w-])"


def load_data(name: str):
    """Parse knowledge/data/<name> (YAML)."""
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def normalise(text: str) -> str:
    """NFC, whitespace collapsed and trimmed; case and diacritics kept."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def fold(text: str) -> str:
    """Lowercase, without diacritics, đ→d, whitespace collapsed: the form every comparison uses."""
    decomposed = unicodedata.normalize("NFD", (text or "").lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return normalise(stripped.replace("đ", "d"))


def words(text: str) -> list[str]:
    """The word tokens of already folded or normalised text."""
    return _WORD.findall(text)


def has_diacritics(text: str) -> bool:
    lowered = unicodedata.normalize("NFC", text.lower())
    return fold(lowered) != normalise(lowered)


class PhraseMatcher:
    """Finds whole words/phrases of a table in text, longest first, in one precompiled regex."""

    def __init__(self, phrases: Iterable[str]):
        variants = {normalise(p).lower() for p in phrases if fold(p)}
        ordered = sorted(variants, key=lambda p: (-len(fold(p)), p))
        alternatives = "|".join(_phrase_regex(p) for p in ordered) or r"(?!x)x"
        self.pattern = re.compile(f"{_BEFORE}(?:{alternatives}){_AFTER}", re.IGNORECASE)

    def sub(self, replace, text: str) -> str:
        """Replace each match by `replace(folded match)`."""
        return self.pattern.sub(lambda m: replace(fold(m.group(0))), text)


def _phrase_regex(phrase: str) -> str:
    parts = []
    for word in phrase.split(" "):
        folded = fold(word)
        if folded == word:
            parts.append(re.escape(word))
        else:
            parts.append(f"(?:{re.escape(word)}|{re.escape(folded)})")
    return r"\s+".join(parts)


class Expander:
    """Replaces table forms by their expansion."""

    def __init__(self, table: Mapping[str, Iterable[str]]):
        self._expansion: dict[str, str] = {}
        for expansion, forms in table.items():
            for form in forms:
                key = fold(form)
                previous = self._expansion.get(key)
                if previous is not None and previous != expansion:
                    raise ValueError(f"abbreviation {form!r} maps to both {previous!r} and {expansion!r}")
                self._expansion[key] = expansion
        self._matcher = PhraseMatcher(form for forms in table.values() for form in forms)

    def __call__(self, text: str) -> str:
        return self._matcher.sub(lambda key: self._expansion[key], text)


@functools.lru_cache(maxsize=None)
def _abbreviation_tables() -> tuple[dict, dict]:
    data = load_data("abbreviations.yml")
    return data.get("vietnamese") or {}, data.get("english") or {}


@functools.lru_cache(maxsize=None)
def _expander(include_english: bool) -> Expander:
    vietnamese, english = _abbreviation_tables()
    table: dict[str, list[str]] = {k: list(v) for k, v in vietnamese.items()}
    if include_english:
        for expansion, forms in english.items():
            table.setdefault(expansion, []).extend(forms)
    return Expander(table)


def expand_abbreviations(text: str, *, include_english: bool = True) -> str:
    """Spell out abbreviations and teencode ("doi gplx" → "doi giấy phép lái xe"); with `include_english`,
    also turn English terms into the catalogue's Vietnamese ("birth certificate" → "khai sinh")."""
    return _expander(include_english)(normalise(text))


@functools.lru_cache(maxsize=None)
def _language_hints() -> tuple[frozenset, frozenset]:
    hints = load_data("language.yml")
    _, english_terms = _abbreviation_tables()
    english = {fold(w) for w in hints["english"]}
    english |= {w for forms in english_terms.values() for form in forms for w in words(fold(form))}
    vietnamese = {fold(w) for w in hints["vietnamese"]}
    vietnamese |= {fold(f) for forms in _abbreviation_tables()[0].values() for f in forms if " " not in f}
    both = english & vietnamese
    return frozenset(english - both), frozenset(vietnamese - both)


_VI_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(?:uye|uya|uyu|oai|oay|oeo|uay|uoi|uou|ieu|yeu|uoi|uo|ua|ia|ie|ye|oa|oe|uy|ue|ai|ao|au|ay|eo|eu|"
    r"iu|oi|ui|ou|ua|ưu|[aeiouy])"
    r"(?:ch|ng|nh|[cmnpt]|[iyou])?"
)


def _is_vietnamese_syllable(word: str) -> bool:
    return bool(_VI_SYLLABLE.fullmatch(word))


def detect_language(text: str) -> str | None:
    """"vi" or "en" when the text says so clearly; None when unsure (too short, mixed, no letters)."""
    if has_diacritics(text):
        return "vi"
    tokens = [w for w in words(fold(text)) if not w.isdigit()]
    if not tokens:
        return None
    english, vietnamese = _language_hints()
    en = vi = 0.0
    for token in tokens:
        if token in english:
            en += 1
        elif token in vietnamese:
            vi += 1
        elif _is_vietnamese_syllable(token):
            vi += 0.5
        else:
            en += 0.5
    if en >= 1 and en > vi:
        return "en"
    if vi >= 1 and vi > en:
        return "vi"
    return None


def language_change(text: str, current: str | None, chosen: str | None = None) -> str | None:
    """The `language` slot's new value once the citizen has written `text`; None keeps `current`.

    What the citizen writes decides. A button payload ("/choose_procedure{…}") or a message whose language is
    unclear ("ok") follows `chosen`, the language picked in the chat widget (the message's metadata), and
    without one changes nothing.
    """
    detected = None if text.startswith("/") else detect_language(text)
    language = detected or (chosen if chosen in ("vi", "en") else None)
    return language if language and language != current else None
