"""Find procedures by what a citizen types: accent-folded, abbreviations expanded, typo-tolerant, ranked.

A query becomes content words (normalise → expand abbreviations → drop question/stop phrases → fold). Each
procedure name and alias is prepared the same way when the index is built. A candidate's score (0..100) is
the share of the query's words it contains (weighted by how rare each word is; a close spelling counts
partly; when the citizen typed diacritics, the same letters with other tones, "ví"/"vì", count partly),
minus a light penalty for words the candidate has and the query does not (so "đăng ký khai sinh" comes
before "đăng ký khai sinh lưu động" unless the query says "lưu động") and a second one for the share of the
candidate's weight the query leaves unsaid (a long name with many qualifiers matching two words is a weaker
fit than a short one), minus a penalty for query word pairs not found side by side, minus a penalty when
very many procedures match equally (one common word). An alias is read together with its procedure's name
(an alias says what citizens add to the official words: "khai sinh cho con" + "đăng ký"), but only its own
words count as unsaid. Numbers compare by value ("mức độ 02" = "mức 2"). An exact name or alias wins.
Levels closer to the citizen go first when scores tie: ward, then city, then ministry; then shorter names.
The work per query on the whole catalogue is a few numpy operations over an inverted index.
"""
from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import bm25s
import numpy as np
from rapidfuzz import fuzz, process

from knowledge.text import (
    PhraseMatcher, detect_language, expand_abbreviations, fold, has_diacritics, load_data, normalise, words,
)

# Score at or above which the bot answers with the best candidate directly.
CONFIDENT = 85.0
# Score at or above which a candidate is worth offering as a choice.
POSSIBLE = 60.0
# The second opinion (BM25 over names and aliases) counts from this score up (tuned on the development set).
BM25_FLOOR = 5.0

# Candidate words the query does not mention cost up to this much, the first ones most.
_EXTRA_WORDS_PENALTY = 12.0
_EXTRA_WORDS_SCALE = 6.0
# The share of a candidate's (weighted) words the query does not mention costs up to this much.
_UNSAID_SHARE_PENALTY = 5.0
# A variant-marking word (knowledge/data/qualifiers.yml: "thu hồi", "cấp lại"…) the query does not say costs this.
_MARKED_PENALTY = 3.0
# Query word pairs not found side by side in the candidate cost up to this much.
_ADJACENCY_PENALTY = 8.0
_SHORTLIST = 64  # choices re-ranked with the adjacency adjustment
_LEVEL_PENALTY = {"ward": 0.0, "city": 0.5, "ministry": 2.0, "other": 2.0}
_FUZZY_MIN_LENGTH = 4  # shorter query words must match exactly
_FUZZY_CUTOFF = 80.0  # rapidfuzz ratio for a misspelt word to count (partly)
_FUZZY_WEIGHT = 0.8  # share of a word's weight a misspelling earns at best
_OTHER_TONE_WEIGHT = 0.7  # share earned by the same letters with other diacritics
_SPREAD_FREE = 16  # this many equally matching procedures cost nothing...
_SPREAD_PENALTY = 4.0  # ...each doubling beyond costs this much
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
# The most used procedure gains this much over an unused one: a prior between near-equal candidates.
_USAGE_BONUS = 1.0
# A name or alias of at least two words found whole inside a longer question names its procedure: it scores
# this much plus one per word (the more specific phrase wins: "khai sinh kết hợp nhận cha" over "khai sinh").
_CONTAINED_BASE = 82.0
_CONTAINED_MAX_WORDS = 6  # longer names are never typed whole
# ...less this when the question also says a variant-marking word the phrase does not ("cấp lại", "xóa").
_MARKED_CONTAINED_PENALTY = 6.0
# A score from the official terms alone (an English question's translation) is at most plausible, never confident.
_TRANSLATED_MAX = 80.0
# Every word of a name or alias (2+ words) said somewhere in the question, not side by side: it scores this
# much plus one per word, before the adjacency penalty.
_NAMED_BASE = 76.0


@dataclass(frozen=True)
class Candidate:
    code: str
    name: str
    score: float


@functools.lru_cache(maxsize=None)
def _stop_matchers() -> tuple[PhraseMatcher, PhraseMatcher]:
    data = load_data("stopwords.yml")
    vietnamese = PhraseMatcher(data.get("vietnamese") or [])
    both = PhraseMatcher((data.get("vietnamese") or []) + (data.get("english") or []))
    return vietnamese, both


@functools.lru_cache(maxsize=None)
def _marked_keys() -> frozenset[str]:
    return frozenset(accent_key(normalise(w).lower()) for w in load_data("qualifiers.yml").get("marked") or [])


def _content_words(text: str, query: bool) -> list[str]:
    expanded = expand_abbreviations(text)
    vietnamese, both = _stop_matchers()
    english = query and detect_language(text) == "en"
    return words((both if english else vietnamese).sub(lambda _key: " ", expanded).lower())


def accent_key(word: str) -> str:
    """`word` with its tone mark moved to the end, so "hoà" and "hòa" compare equal but "ví" and "vì" not."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = "".join(ch for ch in decomposed if ch in _TONES)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES)) + tones


def _term(word: str) -> str:
    """The folded form a word is compared by; numbers by value ("02" → "2")."""
    folded = fold(word)
    return (folded.lstrip("0") or "0") if folded.isdigit() else folded


def search_terms(text: str, *, query: bool = True) -> list[str]:
    """The folded content words of a query (or, with query=False, of a procedure name or alias)."""
    return [f for f in (_term(w) for w in _content_words(text, query)) if f]


class ProcedureIndex:
    """Search structure over (code, name, aliases, level) entries; build once, query many times."""

    def __init__(self, entries: Iterable[tuple], vocabulary: Mapping[str, str] | None = None):
        """`entries`: (code, name, aliases, level[, usage]); `vocabulary`: citizens' words → official term."""
        self._terms = {fold(phrase): term for phrase, term in (vocabulary or {}).items() if fold(phrase)}
        # A one-syllable word typed without its diacritics is too often another word ("cho" is not "chó",
        # "bao" not "bão"): such words are matched only as written with their diacritics.
        loose = [p for p in (vocabulary or {}) if " " in p.strip() or fold(p) == p.strip().lower()]
        strict = [normalise(p).lower() for p in (vocabulary or {}) if p not in loose and fold(p)]
        self._citizens_words = PhraseMatcher(loose) if loose else None
        self._accented_words = re.compile(
            r"(?<![\w-])(?:" + "|".join(sorted(map(re.escape, strict), key=len, reverse=True)) + r")(?![\w-])",
            re.IGNORECASE) if strict else None
        usages: list[float] = []
        self.codes: list[str] = []
        self.names: list[str] = []
        levels: list[float] = []
        choice_entry: list[int] = []
        choice_tokens: list[list[str]] = []  # the choice's own words
        choice_bag: list[list[str]] = []  # own words plus, for an alias, its procedure's name
        choice_keys: list[set[str]] = []
        choice_marked: list[list[str]] = []  # folded variant-marking words of the choice's own text
        marked = _marked_keys()
        self._exact: dict[str, list[int]] = {}  # a name or alias as prepared → its procedures
        self._choice_pairs: list[frozenset] = []
        phrases: list[list[str]] = []
        for code, name, aliases, level, *usage in entries:
            entry = len(self.codes)
            phrases.append([name, *(aliases or [])])
            usages.append(float(usage[0] or 0) if usage else 0.0)
            self.codes.append(str(code))
            self.names.append(name)
            levels.append(_LEVEL_PENALTY.get(level, _LEVEL_PENALTY["other"]))
            name_tokens: list[str] = []
            name_keys: set[str] = set()
            name_pairs: frozenset = frozenset()
            for text in [name, *(aliases or [])]:
                accented = [w for w in _content_words(text, query=False) if _term(w)]
                tokens = list(dict.fromkeys(_term(w) for w in accented))
                if not tokens:
                    continue
                keys = {_term(w) if w.isdigit() else accent_key(w) for w in accented}
                pairs = frozenset(zip(tokens, tokens[1:]))
                if not choice_entry or choice_entry[-1] != entry:  # the name (first text) of this entry
                    name_tokens, name_keys, name_pairs = tokens, keys, pairs
                self._exact.setdefault(" ".join(tokens), []).append(entry)
                choice_entry.append(entry)
                choice_tokens.append(tokens)
                choice_marked.append(list({_term(w) for w in accented if accent_key(w) in marked}))
                choice_bag.append(list(dict.fromkeys(tokens + name_tokens)))
                choice_keys.append(keys | name_keys)
                self._choice_pairs.append(pairs | name_pairs)
        self._by_code = {code: i for i, code in enumerate(self.codes)}
        self._bm25 = _bm25_index([
            [t for text in texts for t in (_term(w) for w in _content_words(text, query=False)) if t]
            for texts in phrases
        ])
        self._phrase_entries: dict[str, list[int]] = {}
        for entry, texts in enumerate(phrases):
            for text in texts:
                key = " ".join(fold(w) for w in _content_words(text, query=False))
                if 2 <= len(key.split()) <= _CONTAINED_MAX_WORDS:
                    self._phrase_entries.setdefault(key, []).append(entry)
        self._contained = re.compile(
            r"(?<![\w])(?:" + "|".join(sorted(map(re.escape, self._phrase_entries), key=len, reverse=True))
            + r")(?![\w])") if self._phrase_entries else None
        top_usage = math.log1p(max(usages, default=0.0))
        self._usage_bonus = np.asarray(
            [_USAGE_BONUS * math.log1p(u) / top_usage if top_usage else 0.0 for u in usages], dtype=np.float64)
        self._choice_entry = np.asarray(choice_entry, dtype=np.int64)
        self._choice_size = np.asarray([len(t) for t in choice_tokens], dtype=np.float64)
        self._level_penalty = np.asarray(levels, dtype=np.float64)
        self._name_length = np.asarray([len(n) for n in self.names], dtype=np.float64)
        self._vocabulary, self._postings = _inverted(choice_bag)
        self._token_id = {t: i for i, t in enumerate(self._vocabulary)}
        _, own_postings = _inverted(choice_tokens, self._vocabulary)
        keys, key_postings = _inverted(choice_keys)
        self._key_postings = dict(zip(keys, key_postings))
        total = max(len(choice_tokens), 1)
        self._idf = [math.log(1 + total / len(p)) for p in self._postings]
        self._common_idf = min(self._idf, default=1.0)
        self._own_postings = own_postings
        self._marked_folded = frozenset(fold(k) for k in load_data("qualifiers.yml").get("marked") or [])
        self._marked_count = np.asarray([len(m) for m in choice_marked], dtype=np.float64)
        self._marked_postings = dict(zip(*_inverted(choice_marked)))
        self._choice_weight = np.asarray(
            [sum(self._idf[self._token_id[t]] for t in tokens) for tokens in choice_tokens], dtype=np.float64
        )
        self._similar = functools.lru_cache(maxsize=4096)(self._similar_tokens)

    @classmethod
    def build(cls, entries: Iterable[tuple], vocabulary: Mapping[str, str] | None = None) -> "ProcedureIndex":
        return cls(entries, vocabulary)

    def __len__(self) -> int:
        return len(self.codes)

    def in_official_terms(self, query: str) -> str:
        """`query` followed by the official terms its citizens' words mean ("lấy vợ" → "… kết hôn"). The words
        stay: an alias may use them ("renew my ID card")."""
        return " ".join([query, *self.official_terms(query)])

    def _similar_tokens(self, token: str) -> tuple[tuple[int, float], ...]:
        """Vocabulary ids close to `token` with a similarity 0..1; the word itself first when known."""
        exact = self._token_id.get(token)
        found = [(exact, 1.0)] if exact is not None else []
        if len(token) >= _FUZZY_MIN_LENGTH and self._vocabulary:
            for other, score, token_id in process.extract(
                token, self._vocabulary, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF, limit=4
            ):
                if token_id != exact and len(other) >= _FUZZY_MIN_LENGTH - 1:
                    found.append((token_id, _FUZZY_WEIGHT * score / 100.0))
        return tuple(found)

    def search(self, query: str, limit: int = 5) -> list[Candidate]:
        """Best candidates first; [] when the query has no content words or nothing matches at all.

        An English question is also searched by the official terms its words mean alone (its translation, in
        effect); each procedure keeps the better of the two scores."""
        entry = self._by_code.get(query.strip().strip(".?!").strip())
        if entry is not None:  # a procedure code, "1.001193"
            return [Candidate(self.codes[entry], self.names[entry], 100.0)]
        found = self._search(self.in_official_terms(query), limit)
        terms = self.official_terms(query)
        if terms and detect_language(query) == "en":
            best = {c.code: c for c in found}
            for candidate in self._search(" ".join(terms), limit):
                candidate = Candidate(candidate.code, candidate.name, min(candidate.score, _TRANSLATED_MAX))
                if candidate.code not in best or candidate.score > best[candidate.code].score:
                    best[candidate.code] = candidate
            found = sorted(best.values(), key=lambda c: -c.score)[:limit]
        return found

    def second_opinion(self, query: str, limit: int = 3) -> list[Candidate]:
        """BM25 (bm25s) over each procedure's name and aliases, for the question with its official terms: a
        second ranker, different from `search`; where the two agree the answer is much more often right
        (bench/README.md "Understanding"). Scores are BM25's, not 0..100; below BM25_FLOOR nothing is returned."""
        if self._bm25 is None:
            return []
        tokens = [t for t in (_term(w) for w in _content_words(self.in_official_terms(query), query=True))
                  if t in self._bm25.vocab_dict]
        if not tokens:
            return []
        found, scores = self._bm25.retrieve([tokens], k=min(limit, len(self.codes)), show_progress=False)
        return [Candidate(self.codes[e], self.names[e], round(float(score), 2))
                for e, score in zip(found[0].tolist(), scores[0].tolist()) if score >= BM25_FLOOR]

    def candidate(self, code: str, score: float) -> Candidate | None:
        entry = self._by_code.get(code)
        return Candidate(code, self.names[entry], score) if entry is not None else None

    def official_terms(self, query: str) -> list[str]:
        """The official terms the citizens' words of `query` mean, in order, once each."""
        added: list[str] = []
        if self._citizens_words is not None:
            self._citizens_words.sub(lambda folded: added.append(self._terms.get(folded, "")) or "", query)
        if self._accented_words is not None:
            added += [self._terms.get(fold(m.group(0)), "") for m in self._accented_words.finditer(normalise(query))]
        return list(dict.fromkeys(a for a in added if a))

    def _search(self, query: str, limit: int) -> list[Candidate]:
        accented = {}
        for word in _content_words(query, query=True):
            accented.setdefault(_term(word), word)
        accented.pop("", None)
        tokens = list(accented)
        if not tokens or not len(self._choice_entry) or limit < 1:
            return []
        strict = has_diacritics(query)
        scored = self._score_choices(tokens, [accented[t] for t in tokens] if strict else None)
        if scored is None:
            return []
        scores, coverage, canonical = scored
        best = self._best_per_entry(scores, canonical)
        full = len(set(self._choice_entry[coverage >= 0.999].tolist()))
        spread = _SPREAD_PENALTY * math.log2(full / _SPREAD_FREE) if full > _SPREAD_FREE else 0.0
        sequence = [t for t in (_term(w) for w in _content_words(query, query=True)) if t]
        for entry, score in self._contained_phrases(sequence).items():
            best[entry] = max(best.get(entry, -math.inf), score + spread)
        for entry in best:
            best[entry] += self._usage_bonus[entry]
        for entry in self._exact.get(" ".join(tokens), []):
            best[entry] = 100.0 + spread + self._usage_bonus[entry]  # an exact name or alias beats everything
        ranked = sorted(
            best, key=lambda e: (-best[e], self._level_penalty[e], self._name_length[e], self.codes[e])
        )[:limit]
        return [
            Candidate(self.codes[e], self.names[e], round(min(max(best[e] - spread, 0.0), 100.0), 1))
            for e in ranked
            if best[e] - spread > 0
        ]

    def _contained_phrases(self, tokens: list[str]) -> dict[int, float]:
        """Procedures whose name or alias (2+ words) the query contains whole, scored by the phrase's length.
        Overlapping phrases all count (re.finditer keeps the longest at each place)."""
        if self._contained is None or len(tokens) < 2:
            return {}
        text = " ".join(tokens)
        marked = {t for t in tokens if t in self._marked_folded}
        found: dict[int, float] = {}
        for start in range(len(text)):
            if start and text[start - 1] != " ":
                continue
            match = self._contained.match(text, start)
            if match:
                score = _CONTAINED_BASE + len(match.group(0).split())
                if marked - set(match.group(0).split()):  # "sửa lại giấy khai sinh" is not "giấy khai sinh"
                    score -= _MARKED_CONTAINED_PENALTY
                for entry in self._phrase_entries[match.group(0)]:
                    found[entry] = max(found.get(entry, 0.0), score)
        return found

    def _score_choices(self, tokens: list[str], accented: list[str] | None):
        """Per choice: score before adjacency, and weighted coverage; plus the query in vocabulary spelling.
        With `accented` (the citizen typed diacritics), words with other diacritics count partly."""
        size = len(self._choice_entry)
        coverage = np.zeros(size)
        matched_words = np.zeros(size)
        said_weight = np.zeros(size)
        total_weight = 0.0
        used: set[int] = set()
        canonical = []
        for position, token in enumerate(tokens):
            similar = self._similar(token)
            # A word no name or alias has says nothing about which procedure is meant: it counts like the
            # commonest word, so a long question in the citizen's own words is not drowned by its context.
            weight = self._idf[similar[0][0]] if similar else self._common_idf
            total_weight += weight
            canonical.append(self._vocabulary[similar[0][0]] if similar else token)
            token_cover = np.zeros(size)
            factor = _OTHER_TONE_WEIGHT if accented else 1.0
            for token_id, similarity in similar:
                hits = self._postings[token_id]
                token_cover[hits] = np.maximum(token_cover[hits], factor * similarity)
                if token_id not in used:
                    used.add(token_id)
                    own = self._own_postings[token_id]
                    matched_words[own] += 1
                    said_weight[own] += self._idf[token_id] * similarity
            if accented:
                # The same diacritics, or a name/alias written without any, count fully.
                word = accented[position]
                for key in {token if word.isdigit() else accent_key(word), token}:
                    hits = self._key_postings.get(key)
                    if hits is not None:
                        token_cover[hits] = 1.0
            coverage += weight * token_cover
        if not used:
            return None
        coverage /= total_weight
        extra = np.maximum(self._choice_size - matched_words, 0)
        scores = 100.0 * coverage - _EXTRA_WORDS_PENALTY * (1.0 - np.exp(-extra / _EXTRA_WORDS_SCALE))
        unsaid = 1.0 - np.minimum(said_weight / np.maximum(self._choice_weight, 1e-9), 1.0)
        scores -= _UNSAID_SHARE_PENALTY * unsaid
        unsaid_marked = self._marked_count.copy()
        for token in tokens:
            hits = self._marked_postings.get(token)
            if hits is not None:
                unsaid_marked[hits] -= 1
        scores -= _MARKED_PENALTY * np.minimum(unsaid_marked, 1.0)
        scores -= self._level_penalty[self._choice_entry]
        said = np.minimum(said_weight / np.maximum(self._choice_weight, 1e-9), 1.0)
        named = np.where((said >= 0.999) & (self._choice_size >= 2),
                         _NAMED_BASE + np.minimum(self._choice_size, _CONTAINED_MAX_WORDS), -np.inf)
        return np.maximum(scores, named), coverage, canonical

    def _best_per_entry(self, scores: np.ndarray, canonical: list[str]) -> dict[int, float]:
        """Best score per procedure over the shortlisted choices, with the word-adjacency adjustment."""
        shortlist = min(len(scores), _SHORTLIST)
        top = np.argpartition(-scores, shortlist - 1)[:shortlist] if shortlist < len(scores) else range(len(scores))
        pairs = set(zip(canonical, canonical[1:]))
        best: dict[int, float] = {}
        for choice in top:
            score = float(scores[choice])
            if pairs:
                adjacent = len(pairs & self._choice_pairs[choice]) / len(pairs)
                score -= _ADJACENCY_PENALTY * (1.0 - adjacent)
            entry = int(self._choice_entry[choice])
            if score > best.get(entry, -math.inf):
                best[entry] = score
        return best


def _bm25_index(documents: list[list[str]]):
    """A bm25s index over tokenised documents (one per procedure), or None for an empty catalogue."""
    if not any(documents):
        return None
    index = bm25s.BM25()
    index.index([d or ["_"] for d in documents], show_progress=False)
    return index


def _inverted(documents: Sequence[Iterable[str]], terms: list[str] | None = None):
    """Terms (in the given order, when given) and, for each, the indices of the documents containing it."""
    postings: dict[str, list[int]] = {t: [] for t in terms or []}
    for index, document in enumerate(documents):
        for term in set(document):
            postings.setdefault(term, []).append(index)
    terms = terms if terms is not None else list(postings)
    return terms, [np.asarray(postings[t], dtype=np.int64) for t in terms]
