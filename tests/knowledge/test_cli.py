import csv
import json
from dataclasses import replace

import pytest
import yaml

from knowledge.cli import main
from knowledge.settings import Settings


@pytest.fixture
def settings(engine, database_url) -> Settings:
    return replace(Settings(), database_url=database_url)


@pytest.fixture
def fresh_settings(tmp_path, session_factory) -> Settings:
    """A second, empty knowledge base (tables created) to import into."""
    from knowledge.db import make_engine
    from knowledge.models import Base

    url = f"sqlite:///{tmp_path / 'second.db'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    return replace(Settings(), database_url=url)


@pytest.fixture
def loaded(settings, records, tmp_path) -> Settings:
    path = tmp_path / "records.json"
    path.write_text(json.dumps(records, ensure_ascii=False, default=str), encoding="utf-8")
    assert main(["import", str(path)], settings) == 0
    return settings


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_import_round_trip_is_lossless(loaded, fresh_settings, tmp_path, fmt, capsys):
    first = tmp_path / f"first.{fmt}"
    second = tmp_path / f"second.{fmt}"
    assert main(["export", "--format", fmt, "-o", str(first)], loaded) == 0
    assert main(["import", str(first)], fresh_settings) == 0
    assert "3 created" in capsys.readouterr().out
    assert main(["export", "--format", fmt, "-o", str(second)], fresh_settings) == 0
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    assert main(["import", str(first)], fresh_settings) == 0
    assert "0 created, 0 updated, 3 unchanged" in capsys.readouterr().out


def test_csv_keeps_nested_lists_as_json_cells(loaded, tmp_path):
    path = tmp_path / "all.csv"
    main(["export", "--format", "csv", "-o", str(path)], loaded)
    with open(path, encoding="utf-8", newline="") as handle:
        rows = {row["code"]: row for row in csv.DictReader(handle)}
    birth = rows["1.001193"]
    assert json.loads(birth["channels"])[1]["note"] == 'Có thể, với dấu phẩy, "ngoặc kép" và xuống\ndòng'
    assert json.loads(birth["aliases"])[0] == "làm giấy khai sinh"
    assert birth["full_online"] == "true" and birth["verified_on"] == "2026-11-28"


def test_export_to_standard_output_and_show(loaded, capsys):
    assert main(["export"], loaded) == 0
    exported = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in exported] == ["1.000894", "1.001193", "3.000347"]
    assert main(["show", "1.001193"], loaded) == 0
    assert yaml.safe_load(capsys.readouterr().out)["name"] == "Thủ tục đăng ký khai sinh"


def test_search_prints_ranked_candidates(loaded, capsys):
    assert main(["search", "doi bang lai xe"], loaded) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert "3.000347" in first and "confident" in first


@pytest.mark.parametrize(
    "content, suffix, message",
    [
        (None, ".json", "no such file"),
        ("[{\"code\": ", ".json", "malformed JSON"),
        ("{\"code\": \"1\"}", ".json", "expected a JSON array"),
        ("[{\"code\": \"1\", \"name\": \"x\", \"level\": \"moon\"}]", ".json", "level: must be one of"),
        ("code,name,level,aliases\n1,x,ward,[oops\n", ".csv", "column aliases: malformed JSON"),
        ("name\nx\n", ".csv", "missing CSV columns: code, level"),
        ("a", ".txt", "unknown format"),
    ],
)
def test_bad_import_files_fail_clearly_and_import_nothing(settings, tmp_path, capsys, content, suffix, message):
    path = tmp_path / f"input{suffix}"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["import", str(path)], settings) == 1
    assert message in capsys.readouterr().err
    assert main(["export"], settings) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_unknown_code_and_missing_catalogue(settings, capsys):
    assert main(["show", "9.999999"], settings) == 1
    assert "no procedure with code" in capsys.readouterr().err
    assert main(["import-national", "/nonexistent/catalogue.jsonl.gz"], settings) == 1
    assert "no such file" in capsys.readouterr().err


def test_commands_on_an_uninitialised_database_say_what_to_do(tmp_path, capsys):
    settings = replace(Settings(), database_url=f"sqlite:///{tmp_path / 'empty.db'}")
    assert main(["export"], settings) == 1
    assert "python -m knowledge init" in capsys.readouterr().err


def test_init_then_wards(tmp_path, capsys):
    settings = replace(Settings(), database_url=f"sqlite:///{tmp_path / 'new.db'}")
    assert main(["init"], settings) == 0
    assert main(["seed", "--seed-dir", str(tmp_path)], settings) == 0  # no procedures; wards only
    capsys.readouterr()
    assert main(["wards"], settings) == 0
    listing = capsys.readouterr().out
    assert "Phường Thuận Hóa  (formerly: Phường Phú Hội)" in listing
    assert listing.count("Trung tâm Phục vụ hành chính công") == 40


def test_lookups_then_check(loaded, wards_loaded, tmp_path, capsys):
    root = tmp_path / "project"
    assert main(["check-lookups", "--root", str(root)], loaded) == 1
    assert main(["lookups", "--root", str(root)], loaded) == 0
    assert main(["check-lookups", "--root", str(root)], loaded) == 0
    (root / "data/nlu/lookups/wards.yml").write_text("stale", encoding="utf-8")
    assert main(["check-lookups", "--root", str(root)], loaded) == 1
    assert "wards.yml" in capsys.readouterr().err
