"""Parser for the national portal's "Thành phần hồ sơ" cell (thanh_phan_ho_so).

The cell is one or more tables, each introduced by a header ("* Giấy tờ phải nộp:", "* Giấy tờ phải
xuất trình:", "Trường hợp …:", or "--" for none) and the column titles, then rows of
name + form file(s) + quantity ("1 bản chính", "0 bản chính,1 bản sao") glued together.
"""
from __future__ import annotations

import re

from knowledge.importers.national_cells import LOWER, NO_INFO, UPPER

TABLE_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
# A quantity cell ends a row: it is glued to what follows (next row, end), never followed by a space
# and a lowercase word as "nộp 02 bản chính tờ khai" inside a name is.
_QUANTITY = re.compile(
    rf"(?<!\()(\d+) ?bản (chính|sao)(?:, ?(\d+) ?bản (chính|sao))?"
    rf"(?=$|[^\s\w,;.:)]|[{UPPER}\d]|[{LOWER}]{{1,3}}\)|\s*$)"
)
_FORM_FILE = re.compile(r"\.(?:docx?|pdf|xlsx?|rar|zip)\s*$", re.IGNORECASE)
# Where a form file's name starts: glued to the end of the document name.
_GLUE = re.compile(
    rf"(?<=[{LOWER}\)\];:,])(?=[{UPPER}\d])"  # "...thống nhấtMẫu TP-LS-02.docx", "(theo mẫu)12.1.docx"
    rf"|(?<=[^\d\s]\.)(?=[{UPPER}\d])"  # "...hợp lệ.Mẫu số 05.docx"
    rf"|(?<=[{UPPER}])(?=[{UPPER}][{LOWER}])"  # "...NĐ-CPMẫu số 03.docx"
)
_INNER_FILE = re.compile(r"(?i:\.(?:docx?|pdf|xlsx?))(?![a-z])(?=.)")
_FORM_MENTION = re.compile(rf"\b[Mm]ẫu(?: số)? ?(?=[\w.\-/]*\d)[\d{UPPER}][\w.\-/]*")
_BULLET = re.compile(r"^\s*(?:[-+*•]+|\(?[a-zđ0-9]{1,3}\))\s*")
_MAX_FORM_CHARS = 120


def split_forms(name_part: str) -> tuple[str, str]:
    """Split "<document name><form file>.docx[<form file>.docx…]" into (name, "form; form")."""
    forms: list[str] = []
    rest = name_part.rstrip()
    while _FORM_FILE.search(rest):
        cut = [m.start() for m in _GLUE.finditer(rest) if len(rest) - m.start() <= _MAX_FORM_CHARS]
        extensions = [m.end() for m in _INNER_FILE.finditer(rest)]
        starts = sorted(set(cut + extensions))
        if not starts:
            break
        # The earliest plausible start that leaves exactly one file name in the tail.
        start = next((s for s in starts if len(_FORM_FILE.findall(rest[s:])) == 1
                      and not _INNER_FILE.search(rest[s:])), None)
        if start is None or start == 0:
            break
        forms.insert(0, rest[start:].strip())
        rest = rest[:start].rstrip()
    return rest, "; ".join(forms)


def _clean_name(text: str) -> str:
    text = _BULLET.sub("", text.strip())
    return re.sub(r"[ \t]+", " ", text).strip(" ;")


def _section(header: str, kind: str) -> tuple[str, str]:
    """(kind, case) for a table header; a table without a kind header lists documents to submit."""
    text = header.strip().strip("-*: \n").strip()
    lowered = text.lower()
    if "xuất trình" in lowered and len(text) < 80:
        return "present", ""
    if ("phải nộp" in lowered or "thành phần hồ sơ" in lowered) and len(text) < 80:
        return "submit", ""
    return "submit", text


def _quantity(match: re.Match) -> tuple[int | None, str]:
    pairs = [(int(match.group(1)), match.group(2))]
    if match.group(3):
        pairs.append((int(match.group(3)), match.group(4)))
    given = [(n, k) for n, k in pairs if n > 0]
    if not given:
        return 0, f"bản {pairs[0][1]}"
    if len(given) == 1:
        return given[0][0], f"bản {given[0][1]}"
    return max(n for n, _ in given), " và ".join(f"{n} bản {k}" for n, k in given)


def parse_documents(cell: str) -> tuple[list[dict], list[tuple[str, str]]]:
    """``thanh_phan_ho_so`` → ordered document dicts."""
    text = (cell or "").strip()
    if not text.strip("- ") or text == NO_INFO:
        return [], [("documents", "no documents published")]
    if TABLE_HEADER not in text:
        return [], [("documents", f"no document table in {text[:80]!r}")]
    tables = text.split(TABLE_HEADER)
    documents: list[dict] = []
    problems: list[tuple[str, str]] = []
    kind, case = _section(tables[0], "submit")
    for index, table in enumerate(tables[1:], start=1):
        position = 0
        for match in _QUANTITY.finditer(table):
            name, form = split_forms(table[position:match.start()])
            position = match.end()
            name = _clean_name(name)
            if not name:
                problems.append(("documents", f"row without a name before {match.group(0)!r}"))
                continue
            if not form and (mention := _FORM_MENTION.search(name)):
                form = mention.group(0).rstrip(".,;")
            quantity, copy_kind = _quantity(match)
            documents.append({"name": name, "form": form, "quantity": quantity,
                              "copy_kind": copy_kind, "kind": kind, "case": case})
        tail = table[position:]
        if index < len(tables) - 1:
            kind, case = _section(tail, kind)
        elif _clean_name(tail).strip("-"):
            name, form = split_forms(tail)
            documents.append({"name": _clean_name(name), "form": form, "quantity": None,
                              "copy_kind": "", "kind": kind, "case": case})
            problems.append(("documents", f"row without a quantity: {_clean_name(tail)[:80]!r}"))
    if not documents:
        problems.append(("documents", "document table has no rows"))
    return documents, problems
