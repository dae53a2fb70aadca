"""The documents answer, laid out to fit a phone: the papers everyone brings first, then one case's papers.

A record lists the papers every applicant brings (`Document.case == ""`) and, for some procedures, the papers
of each situation a citizen can be in (`Document.case`: own home, rented home, …). The first answer shows the
papers everyone brings, with the forms first and papers that only apply "if …" after the others; when there
is room, the first case's papers under its name; and buttons for the other cases, the rest of a long list,
the fee, where to apply and applying online. Every answer has at most MAX_BULLETS papers and, with its frame,
at most MAX_CHARS characters: long names are cut at their first parenthesis or semicolon (the form number and
the counts are kept), and a case's papers are never shown while a paper everyone brings is left out.

Pages are asked for with the button payload `/ask_documents{"procedure_code": …, "document_case": …}`:
"<group>" or "<group>:<offset>" (group 0 = the papers everyone brings, 1… = the cases in the record's order)
or "cases" for the list of cases.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from knowledge.models import Document
from knowledge.text import fold

from actions.formatting import bullets, label, labels, shortened

MAX_BULLETS = 6
MAX_CHARS = 700
NAME_LIMITS = (90, 70, 55, 40)
CASE_BUTTONS = 3  # more other cases than this: one "Trường hợp khác" button that lists them
BUTTON_CHARS = 40
CASE_NAME_CHARS = 90
CASES = "cases"
# A list mark before a paper's or a case's name in the record: "b) ", "2. ", "(iii) ".
_LIST_MARK = re.compile(r"^\s*\(?(?:[a-zđ]|\d{1,2}|[ivx]{1,4})[).]\s+", re.IGNORECASE)


# ---------------------------------------------------------------- one paper
def paper_name(document: Document, limit: Optional[int] = None) -> str:
    """The paper's name as published; with `limit`, on one line, and when longer cut at its first parenthesis
    or semicolon (the detail the official page gives in full), else at a word boundary, with "…"."""
    if limit is None:
        return document.name.strip()
    name = _LIST_MARK.sub("", " ".join(document.name.split()).lstrip(" .,;:-+*•")).rstrip(" ;,.")
    if len(name) <= limit:
        return name
    cut = re.search(r"\s*[(;]", name[15:])
    if cut is not None and 15 + cut.start() <= limit:
        return name[: 15 + cut.start()].rstrip(" ,:") + "…"
    return shortened(name, limit)


def document_line(document: Document, language: str, limit: Optional[int] = None, with_case: bool = True) -> str:
    """"Name (Mẫu CT01; 1 bản chính, 1 bản sao)": the form unless the name shows it, and the counts."""
    details = []
    name = paper_name(document, limit)
    form = (document.form or "").strip()
    if form and not _names_form(name, form):
        details.append(form if fold(form).startswith("mau ") else label("documents.form", language, form=form))
    originals, copies = document.quantity, document.copies
    if originals and copies:
        details.append(label("documents.originals_and_copies", language, originals=originals, copies=copies))
    elif originals and document.copy_kind:
        details.append(label("documents.copies", language, quantity=originals, copy_kind=document.copy_kind))
    elif copies:
        details.append(label("documents.copies_only", language, copies=copies))
    elif originals is None and document.copy_kind:
        details.append(document.copy_kind)  # 0 copies marks a note in the national records: no copy line
    if with_case and document.case:
        details.append(label("documents.case", language, case=document.case))
    return f"{name} ({'; '.join(details)})" if details else name


def _names_form(name: str, form: str) -> bool:
    """Whether the (shortened) name already shows the form: "Tờ khai (Mẫu CT01…)", "theo Mẫu số 18"."""
    folded_form, folded_name = fold(form), fold(name)
    number = re.sub(r"^mau\s+(?:so\s+)?", "", folded_form)
    return folded_form in folded_name or bool(
        number and re.search(rf"mau\s+(?:so\s+)?{re.escape(number)}(?![\w/.-])", folded_name)
    )


def is_conditional(document: Document) -> bool:
    """A paper only some applicants need: it names its case, or its text opens with one ("Trường hợp …") or
    says "in the case where" / "if any"."""
    words = labels()["documents"]
    text = fold(document.name).lstrip("-+*• ")
    return (
        bool(document.case)
        or text.startswith(tuple(words["conditional_openings"]))
        or any(phrase in text for phrase in words["conditional_phrases"])
    )


def is_heading(document: Document) -> bool:
    """A line of the list that introduces papers ("… các giấy tờ sau:") rather than being one."""
    return document.name.rstrip().endswith(":")


# ---------------------------------------------------------------- the record's groups of papers
@dataclass(frozen=True)
class Groups:
    """The papers everyone brings (`core`, ordered for reading) and each case's papers, in the record's order."""

    core: Tuple[Document, ...]
    cases: Tuple[Tuple[str, Tuple[Document, ...]], ...]

    @classmethod
    def of(cls, documents: Sequence[Document]) -> "Groups":
        papers = [d for d in documents if not is_heading(d)]
        core = sorted((d for d in papers if not d.case), key=is_conditional)  # stable: the record's order
        names = list(dict.fromkeys(d.case for d in papers if d.case))
        cases = tuple((name, tuple(d for d in papers if d.case == name)) for name in names)
        return cls(tuple(core), cases)

    def group(self, number: int) -> Tuple[Document, ...]:
        return self.core if number == 0 else self.cases[number - 1][1]


@dataclass
class DocumentsPage:
    """The {documents} text of one answer, the buttons it adds, and which papers it lists (for the tests)."""

    text: str
    buttons: List[Dict[str, str]] = field(default_factory=list)
    shown: List[Document] = field(default_factory=list)
    case: str = ""  # the case whose papers are listed, "" when none


def payload(code: str, selection: Optional[str] = None) -> str:
    entities = {"procedure_code": code}
    if selection is not None:
        entities["document_case"] = selection
    return "/ask_documents" + json.dumps(entities, ensure_ascii=False, separators=(",", ":"))


def parse_selection(value: Optional[str], groups: Groups) -> Tuple[int, int] | str:
    """(group, offset) of a button's `document_case`, CASES for the list; the first answer when unknown."""
    if value == CASES and groups.cases:
        return CASES
    match = re.fullmatch(r"(\d{1,3})(?::(\d{1,3}))?", str(value or ""))
    if match is None:
        return (0, 0)
    number, offset = int(match[1]), int(match[2] or 0)
    if number > len(groups.cases) or offset >= max(len(groups.group(number)), 1):
        return (0, 0)
    return (number, offset)


# ---------------------------------------------------------------- layout
def case_name(case: str, limit: int = CASE_NAME_CHARS) -> str:
    """A case's name as shown: without the record's list mark, shortened."""
    return shortened(_LIST_MARK.sub("", case), limit)


def _case_heading(case: str, language: str) -> str:
    name = case_name(case).rstrip(":")
    if fold(name).startswith(tuple(labels()["documents"]["case_openings"])):
        return name + ":"
    return label("documents.case_heading", language, case=name)


def _lines(papers: Sequence[Document], language: str, limit: int) -> List[str]:
    """Papers to hand in, then papers to show (headings only when both kinds are listed)."""
    submit = [d for d in papers if d.kind != "present"]
    present = [d for d in papers if d.kind == "present"]
    parts: List[str] = []
    for heading, group in (("documents.submit_heading", submit), ("documents.present_heading", present)):
        if group:
            if submit and present:
                parts.append(label(heading, language))
            parts.append(bullets(document_line(d, language, limit, with_case=False) for d in group))
    return parts


def _render(core: Sequence[Document], case: Optional[Tuple[str, Sequence[Document]]], notes: Sequence[str],
            language: str, limit: int) -> str:
    parts = _lines(core, language, limit)
    if case is not None:  # (heading, papers)
        parts.append(case[0])
        parts += _lines(case[1], language, limit)
    return "\n".join(parts + [note for note in notes if note])


def _fit(options, budget: int, language: str):
    """The first (core, case, notes, limit) option whose text fits `budget`; the last one otherwise."""
    chosen = None
    for core, case, notes in options:
        for limit in NAME_LIMITS:
            text = _render(core, case, notes, language, limit)
            chosen = (core, case, text)
            if len(text) <= budget:
                return chosen
    return chosen


def _case_buttons(code: str, groups: Groups, shown: Optional[int], language: str) -> List[Dict[str, str]]:
    others = [n for n in range(1, len(groups.cases) + 1) if n != shown]
    if not others:
        return []
    if len(others) > CASE_BUTTONS:
        return [{"title": label("documents.other_cases_button", language), "payload": payload(code, CASES)}]
    return [
        {"title": case_name(groups.cases[n - 1][0], BUTTON_CHARS), "payload": payload(code, str(n))} for n in others
    ]


def first_page(code: str, groups: Groups, language: str, budget: int) -> DocumentsPage:
    """The papers everyone brings; the first case's too when they fit; buttons for the rest."""
    if not groups.core and groups.cases:
        return case_page(code, groups, 1, 0, language, budget, first=True)
    offer = lambda count: label("documents.cases_offer", language, count=count) if count else ""  # noqa: E731
    options = []
    core = groups.core
    if groups.cases and len(core) + len(groups.cases[0][1]) <= MAX_BULLETS:
        notes = [label("documents.first_case_shown", language)] + [offer(len(groups.cases) - 1)]
        options.append((core, (_case_heading(groups.cases[0][0], language), groups.cases[0][1]), notes))
    if len(core) <= MAX_BULLETS:
        options.append((core, None, [offer(len(groups.cases))]))
    for count in range(min(len(core), MAX_BULLETS), 0, -1):
        if count < len(core):
            more = label("documents.more_core", language, count=len(core) - count)
            options.append((core[:count], None, [more, offer(len(groups.cases))]))
    shown_core, case, text = _fit(options, budget, language)
    buttons = []
    if len(shown_core) < len(core):
        buttons.append({"title": label("documents.more_button", language), "payload": payload(code, f"0:{len(shown_core)}")})
    buttons += _case_buttons(code, groups, 1 if case is not None else None, language)
    shown = list(shown_core) + (list(case[1]) if case else [])
    return DocumentsPage(text, buttons, shown, groups.cases[0][0] if case else "")


def case_page(code: str, groups: Groups, number: int, offset: int, language: str, budget: int,
              first: bool = False) -> DocumentsPage:
    """Group `number`'s papers from `offset` (group 0: the papers everyone brings; a case: its papers, with
    the papers everyone brings listed too when they fit, else counted with a button). `first`: the first
    answer of a record whose papers all belong to cases (it says so, and how many other cases there are)."""
    name, papers = ("", groups.core) if number == 0 else groups.cases[number - 1]
    heading = _case_heading(name, language) if number else label("documents.core_more_heading", language)
    rest = papers[offset:]
    with_core = label("documents.with_core", language, count=len(groups.core)) if number and groups.core else ""
    options = []
    if number and not offset and groups.core and len(groups.core) + len(rest) <= MAX_BULLETS:
        options.append((groups.core, (heading, rest), []))
    for count in range(min(len(rest), MAX_BULLETS), 0, -1):
        more = label("documents.more_in_group", language, count=len(rest) - count) if count < len(rest) else ""
        notes = [with_core, more]
        if first:
            others = len(groups.cases) - 1
            notes += [label("documents.first_case_shown", language)] + (
                [label("documents.cases_offer", language, count=others)] if others else [])
        options.append(((), (heading, rest[:count]), notes))
    core, case, text = _fit(options, budget, language)
    listed = case[1]
    buttons = []
    if offset + len(listed) < len(papers):
        more_payload = payload(code, f"{number}:{offset + len(listed)}")
        buttons.append({"title": label("documents.more_button", language), "payload": more_payload})
    if with_core and not core:
        buttons.append({"title": label("documents.core_button", language), "payload": payload(code)})
    buttons += _case_buttons(code, groups, number or None, language)
    return DocumentsPage(text, buttons, list(core) + list(case[1]), name)


def cases_page(code: str, groups: Groups, language: str) -> DocumentsPage:
    """Every case of the record, each a button."""
    lines = [case_name(name) for name, _ in groups.cases]
    text = "\n".join([label("documents.cases_heading", language), bullets(lines)])
    buttons = [
        {"title": case_name(name, BUTTON_CHARS), "payload": payload(code, str(n))}
        for n, (name, _) in enumerate(groups.cases, start=1)
    ]
    return DocumentsPage(text, buttons)


def documents_page(code: str, documents: Sequence[Document], language: str, budget: int,
                   selection: Optional[str] = None) -> DocumentsPage:
    """The page of the documents answer a citizen asked for (the first answer without `selection`)."""
    groups = Groups.of(documents)
    chosen = parse_selection(selection, groups)
    if chosen == CASES:
        return cases_page(code, groups, language)
    number, offset = chosen
    if number == 0 and offset == 0:
        return first_page(code, groups, language, budget)
    return case_page(code, groups, number, offset, language, budget)


def budget_for(name: str, code: str, url: str, language: str) -> int:
    """Characters left for {documents} in a MAX_CHARS answer naming `name`, `code` and linking `url`."""
    return MAX_CHARS - int(label("documents.frame_chars", language)) - len(name) - len(code) - len(url)
