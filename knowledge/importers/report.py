"""What an import did: counts, every field that could not be parsed (by record), staff-edit conflicts."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field



@dataclass(frozen=True)
class ParseProblem:
    """A field of one record that could not be (fully) parsed, and why."""

    code: str
    field: str
    reason: str


@dataclass(frozen=True)
class Conflict:
    """A staff-edited field whose value the import would have changed."""

    code: str
    field: str
    kept: str  # "staff" (kept the edit) or "import" (overwrote it)


@dataclass
class ImportReport:
    source: str = ""
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # code → error
    unreadable: list[tuple[int, str]] = field(default_factory=list)  # (line, why)
    duplicates: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # why → how many records were not imported
    problems: list[ParseProblem] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def problems_by_record(self) -> dict[str, list[ParseProblem]]:
        grouped: dict[str, list[ParseProblem]] = {}
        for problem in self.problems:
            grouped.setdefault(problem.code, []).append(problem)
        return grouped

    def problem_counts(self) -> Counter:
        """Problems per field, e.g. {"channels": 120, "documents": 40}."""
        return Counter(problem.field for problem in self.problems)

    def __str__(self) -> str:
        return self.format()

    def format(self, max_records: int | None = None) -> str:
        """Human-readable report: counts first, then problems and conflicts by record."""
        lines = [
            f"Import of {self.source}" if self.source else "Import",
            f"  records read: {self.read}  created: {self.created}  updated: {self.updated}  "
            f"unchanged: {self.unchanged}  failed: {len(self.failed)}  ({self.seconds:.1f} s)",
        ]
        if self.unreadable:
            lines.append(f"  unreadable lines: {len(self.unreadable)}")
            lines += [f"    line {number}: {why}" for number, why in self.unreadable]
        for why, number in self.skipped.most_common():
            lines.append(f"  skipped {number}: {why}")
        if self.duplicates:
            lines.append(f"  duplicate codes (later record used): {', '.join(self.duplicates)}")
        for code, error in self.failed.items():
            lines.append(f"  FAILED {code}: {error}")
        if self.conflicts:
            lines.append(f"  staff-edited fields: {len(self.conflicts)}")
            lines += [f"    {c.code} {c.field}: kept {c.kept} value" for c in self.conflicts]
        grouped = self.problems_by_record()
        if grouped:
            counts = ", ".join(f"{name} {n}" for name, n in self.problem_counts().most_common())
            lines.append(f"  fields not fully parsed: {len(self.problems)} in {len(grouped)} records "
                         f"({counts})")
            for index, (code, problems) in enumerate(sorted(grouped.items())):
                if max_records is not None and index >= max_records:
                    lines.append(f"    … {len(grouped) - max_records} more records")
                    break
                lines.append(f"    {code or '(no code)'}:")
                lines += [f"      {p.field}: {p.reason}" for p in problems]
        return "\n".join(lines)
