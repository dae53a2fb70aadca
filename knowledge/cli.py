"""`python -m knowledge <command>`: set up, fill, search and exchange the knowledge base from a shell.

Every command reads DATABASE_URL (knowledge.settings). Errors print one clear line to stderr and exit 1.
"""
from __future__ import annotations

import argparse
import contextlib
import sys
from collections import Counter
from pathlib import Path

import sqlalchemy as sa
import yaml

from knowledge import repository
from knowledge.db import make_engine, make_session_factory
from knowledge.exchange import FORMATS, RecordFileError, read_records, write_records
from knowledge.settings import NATIONAL_CATALOGUE, PORTAL_CATALOGUE, PORTAL_USAGE, PROJECT_ROOT, Settings

ACTOR = "cli"


class CommandError(Exception):
    """A problem the user can fix; printed without a traceback."""


@contextlib.contextmanager
def _sessions(settings: Settings):
    engine = make_engine(settings.database_url)
    try:
        yield make_session_factory(engine)
    except sa.exc.OperationalError as error:
        if "no such table" in str(error):
            raise CommandError("the knowledge base has no tables yet: run `python -m knowledge init`") from None
        raise
    finally:
        engine.dispose()


def cmd_init(args, settings: Settings) -> None:
    from knowledge.migrate import upgrade

    upgrade(settings.database_url)
    print("knowledge base schema is up to date")


def cmd_seed(args, settings: Settings) -> None:
    from knowledge.seed import seed

    with _sessions(settings) as sessions:
        counts = seed(sessions, Path(args.seed_dir) if args.seed_dir else Path(__file__).parent / "seed")
    print(_summary(counts, ("created", "updated", "unchanged")))


def cmd_search(args, settings: Settings) -> None:
    from knowledge.search import CONFIDENT, POSSIBLE

    with _sessions(settings) as sessions, sessions() as session:
        index = repository.load_index(session)
    for candidate in index.search(args.text, limit=args.limit):
        mark = "confident" if candidate.score >= CONFIDENT else "possible" if candidate.score >= POSSIBLE else "weak"
        print(f"{candidate.score:5.1f}  {mark:<9}  {candidate.code:<10}  {candidate.name}")


def cmd_show(args, settings: Settings) -> None:
    with _sessions(settings) as sessions, sessions() as session:
        procedure = repository.get_procedure(session, args.code)
        if procedure is None:
            raise CommandError(f"no procedure with code {args.code!r}")
        record = repository.procedure_to_record(procedure)
    yaml.safe_dump(record, sys.stdout, allow_unicode=True, sort_keys=False, width=110)


def cmd_export(args, settings: Settings) -> None:
    with _sessions(settings) as sessions, sessions() as session:
        records = [repository.procedure_to_record(p) for p in repository.list_procedures(session, with_details=True)]
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as stream:
            count = write_records(records, args.format, stream)
        print(f"exported {count} procedures to {args.output}", file=sys.stderr)
    else:
        write_records(records, args.format, sys.stdout)


def cmd_import(args, settings: Settings) -> None:
    try:
        records = read_records(args.file)
    except RecordFileError as error:
        raise CommandError(str(error)) from None
    problems = [
        f"record {n} ({r.get('code', '?')}): {e}"
        for n, r in enumerate(records, start=1)
        for e in repository.validate_record(r)
    ]
    if problems:
        raise CommandError("nothing imported; fix these first:\n  " + "\n  ".join(problems))
    counts: Counter = Counter()
    kept = []
    with _sessions(settings) as sessions, sessions() as session, session.begin():
        for record in records:
            result = repository.upsert_procedure(session, record, ACTOR, overwrite_edited=args.overwrite_edited)
            counts[str(result)] += 1
            kept += [f"{record['code']}: {name}" for name in result.kept_fields]
    print(_summary(counts, ("created", "updated", "unchanged")))
    if kept:
        print("kept staff edits (use --overwrite-edited to replace them):\n  " + "\n  ".join(kept))


def cmd_import_catalogue(args, settings: Settings) -> None:
    from knowledge.importers.catalogue import import_files, read_usage

    missing = [path for path in args.files if not Path(path).is_file()]
    if missing:
        raise CommandError(f"{', '.join(missing)}: no such file")
    usage = read_usage(args.usage)
    with _sessions(settings) as sessions:
        reports = import_files(sessions, args.files, overwrite_edited=args.overwrite_edited, progress=print,
                               usage=usage)
    for report in reports:
        print(report.format(max_records=args.max_records))


def cmd_audit(args, settings: Settings) -> None:
    from knowledge.audit import audit_file, format_audit

    missing = [path for path in args.files if not Path(path).is_file()]
    if missing:
        raise CommandError(f"{', '.join(missing)}: no such file")
    for path in args.files:
        print(format_audit(path, *audit_file(path)))


def cmd_lookups(args, settings: Settings) -> None:
    from knowledge.lookups import write_lookups

    with _sessions(settings) as sessions, sessions() as session:
        written = write_lookups(session, Path(args.root))
    for path in written:
        print(f"wrote {path}")
    if not written:
        print("lookup tables already up to date")


def cmd_check_lookups(args, settings: Settings) -> None:
    from knowledge.lookups import stale_lookups

    with _sessions(settings) as sessions, sessions() as session:
        stale = stale_lookups(session, Path(args.root))
    if stale:
        names = ", ".join(str(p) for p in stale)
        raise CommandError(f"lookup tables out of date: {names}; run `python -m knowledge lookups`")
    print("lookup tables are up to date")


def cmd_wards(args, settings: Settings) -> None:
    with _sessions(settings) as sessions, sessions() as session:
        for ward in repository.list_wards(session):
            office = repository.get_office(session, ward.code)
            old = f"  (formerly: {', '.join(ward.old_names)})" if ward.old_names else ""
            print(f"{ward.code}  {ward.name}{old}")
            if office is not None:
                details = " | ".join(v for v in (office.address, office.hours, office.phone) if v) or "—"
                print(f"       {office.name}: {details}")


def _summary(counts: Counter, keys) -> str:
    return ", ".join(f"{counts.get(k, 0)} {k}" for k in keys)


def cmd_create_user(args, settings: Settings) -> None:
    """A staff account. The password is asked twice on a terminal, or read from the first line of stdin."""
    import getpass

    from knowledge import users

    if sys.stdin.isatty():
        password = getpass.getpass(f"Password for {args.username}: ")
        if getpass.getpass("Again: ") != password:
            raise CommandError("the two passwords differ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    with _sessions(settings) as sessions, sessions() as session:
        try:
            with session.begin():
                user = users.create_user(session, args.username, password, args.role, actor=ACTOR)
        except users.InvalidUser as error:
            raise CommandError(str(error)) from None
        print(f"created {user.role} {user.username}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")

    def add(name, handler, help_text):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    add("init", cmd_init, "create or upgrade the database schema (alembic upgrade head)")
    add("seed", cmd_seed, "load knowledge/seed/*.yml and Huế's wards and offices (idempotent)").add_argument(
        "--seed-dir", help="folder of seed YAML files (default: knowledge/seed)"
    )
    search = add("search", cmd_search, "search procedures as the bot does")
    search.add_argument("text")
    search.add_argument("--limit", type=int, default=5)
    add("show", cmd_show, "print one procedure as a YAML record").add_argument("code")
    export = add("export", cmd_export, "write every procedure as JSON or CSV")
    export.add_argument("--format", choices=FORMATS, default="json")
    export.add_argument("-o", "--output", help="file to write (default: standard output)")
    sub = add("import", cmd_import, "create or update procedures from a .json or .csv export")
    sub.add_argument("file")
    sub.add_argument("--overwrite-edited", action="store_true", help="replace fields staff edited by hand")
    for name in ("import-catalogue", "import-national"):
        sub = add(name, cmd_import_catalogue,
                  "import portal catalogue files, either format (JSON lines, .gz allowed); text-cell files first")
        sub.add_argument("files", nargs="+", metavar="file")
        sub.add_argument("--overwrite-edited", action="store_true", help="replace fields staff edited by hand")
        sub.add_argument("--usage", default=str(PORTAL_USAGE), help="the portal's usage counts (CSV)")
        sub.add_argument("--max-records", type=int, default=50, help="records listed in the report")
    audit = add("audit", cmd_audit, "per field: records parsed cleanly, repaired from another cell, or flagged")
    audit.add_argument("files", nargs="*", metavar="file", default=[str(NATIONAL_CATALOGUE), str(PORTAL_CATALOGUE)])
    for name, handler, help_text in (
        ("lookups", cmd_lookups, "write data/nlu/lookups/{procedures,wards}.yml from the knowledge base"),
        ("check-lookups", cmd_check_lookups, "exit 1 when data/nlu/lookups differ from the knowledge base"),
    ):
        add(name, handler, help_text).add_argument("--root", default=str(PROJECT_ROOT), help=argparse.SUPPRESS)
    add("wards", cmd_wards, "list Huế's wards/communes, their old names and service points")
    create_user = add("create-user", cmd_create_user,
                      "create a staff account (password from the terminal, or the first line of stdin)")
    create_user.add_argument("--role", required=True, choices=("admin", "editor", "trainer"))
    create_user.add_argument("username")
    return parser


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.handler(args, settings or Settings.from_env())
    except CommandError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0
