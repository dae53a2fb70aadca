"""Guides: the seed files (vi + en, known placeholders), loading them, staff edits kept, tutorial matching."""
import re

import pytest
import sqlalchemy as sa

from knowledge.guides import (
    COACH_SLUG,
    PLACEHOLDERS,
    RECORD_SOURCE,
    GuideFileError,
    applicable_steps,
    fill,
    find_tutorial,
    get_guide,
    list_tutorials,
    placeholders_in,
    read_guide_file,
    seed_guides,
    steps_to_verify,
)
from knowledge.models import Guide, GuideStep
from knowledge.seed import SEED_DIR

GUIDES = SEED_DIR / "guides"
SETTINGS_PLACEHOLDERS = {"portal_url", "city_hotline", "national_hotline"}


def test_every_seed_guide_has_vietnamese_and_english_texts_for_every_step():
    paths = sorted(GUIDES.glob("*.yml"))
    assert {p.stem for p in paths} == {COACH_SLUG, "vneid", "password", "login", "payment", "tracking", "photo"}
    for path in paths:
        vi, en = read_guide_file(path)
        assert (vi.language, en.language) == ("vi", "en")
        assert [s["key"] for s in vi.steps] == [s["key"] for s in en.steps]
        assert vi.title != en.title
        for vi_step, en_step in zip(vi.steps, en.steps):
            assert vi_step["body"] != en_step["body"], (path.name, vi_step["key"])
            assert placeholders_in(vi_step["body"]) == placeholders_in(en_step["body"]), (path.name, vi_step["key"])


def test_the_coach_covers_the_whole_journey_and_only_payment_depends_on_the_fee():
    vi, _ = read_guide_file(GUIDES / f"{COACH_SLUG}.yml")
    keys = [s["key"] for s in vi.steps]
    assert keys == ["vneid", "login", "find", "agency", "eform", "upload", "payment", "track", "result"]
    assert {s["key"]: s["condition"] for s in vi.steps if s["condition"]} == {"payment": "fee"}
    assert all(s["help"] for s in vi.steps), "every coach step has help for 'Tôi gặp khó khăn'"
    tutorials = {s["tutorial"] for s in vi.steps} - {""}
    assert tutorials <= {p.stem for p in GUIDES.glob("*.yml")}


def test_tutorials_use_only_settings_placeholders_and_name_no_other_site():
    for path in GUIDES.glob("*.yml"):
        if path.stem == COACH_SLUG:
            continue
        for record in read_guide_file(path):
            for step in record.steps:
                assert placeholders_in(step["body"]) <= SETTINGS_PLACEHOLDERS, (path.name, step["key"])
                assert "http" not in step["body"] and "www." not in step["body"], (path.name, step["key"])


def test_unknown_placeholder_or_condition_is_refused(tmp_path):
    path = tmp_path / "bad.yml"
    path.write_text(
        "slug: bad\ntitle: {vi: A, en: B}\nsteps:\n  - key: one\n    verify: true\n    title: {vi: T, en: T}\n"
        "    body: {vi: 'Gọi {phone}', en: 'Call {phone}'}\n",
        encoding="utf-8",
    )
    with pytest.raises(GuideFileError, match="unknown placeholders"):
        read_guide_file(path)
    path.write_text(
        "slug: bad\ntitle: {vi: A, en: B}\nsteps:\n  - key: one\n    condition: weekend\n    verify: true\n"
        "    title: {vi: T, en: T}\n    body: {vi: X, en: Y}\n",
        encoding="utf-8",
    )
    with pytest.raises(GuideFileError, match="unknown condition"):
        read_guide_file(path)


def test_seeding_guides_is_idempotent_and_keeps_staff_edits(session_factory):
    with session_factory() as session, session.begin():
        first = seed_guides(session, GUIDES, actor="seed")
    assert first == {"guides_created": 14}
    with session_factory() as session, session.begin():
        assert seed_guides(session, GUIDES, actor="seed") == {"guides_unchanged": 14}
        guide = get_guide(session, "password", "vi")
        guide.steps[0].body = "Văn bản cán bộ đã sửa."
        guide.updated_by = "editor"
    with session_factory() as session, session.begin():
        counts = seed_guides(session, GUIDES, actor="seed")
    assert counts == {"guides_unchanged": 13, "guides_kept": 1}
    with session_factory() as session:
        assert get_guide(session, "password", "vi").steps[0].body == "Văn bản cán bộ đã sửa."
        assert session.execute(sa.select(sa.func.count()).select_from(GuideStep)).scalar_one() == 2 * 35


def test_guide_falls_back_to_vietnamese_and_tutorials_exclude_the_coach(session_factory):
    with session_factory() as session, session.begin():
        session.add(Guide(slug="only_vi", language="vi", title="Chỉ tiếng Việt", steps=[GuideStep(key="a", title="A")]))
        seed_guides(session, GUIDES, actor="seed")
    with session_factory() as session:
        assert get_guide(session, "only_vi", "en").title == "Chỉ tiếng Việt"
        slugs = [g.slug for g in list_tutorials(session, "en")]
        assert COACH_SLUG not in slugs and "vneid" in slugs
        assert get_guide(session, "vneid", "en").language == "en"


@pytest.mark.parametrize(
    "text, slug",
    [
        ("tôi quên mật khẩu VNeID rồi", "password"),
        ("quen mat khau vneid", "password"),
        ("làm sao nâng cấp định danh mức 2?", "vneid"),
        ("đăng nhập dịch vụ công thế nào", "login"),
        ("cách thanh toán trực tuyến", "payment"),
        ("How do I track my application?", "tracking"),
        ("ảnh quá nặng không tải lên được", "photo"),
        ("thời tiết hôm nay", None),
    ],
)
def test_find_tutorial_by_keywords(session_factory, text, slug):
    with session_factory() as session, session.begin():
        seed_guides(session, GUIDES, actor="seed")
    with session_factory() as session:
        found = find_tutorial(list_tutorials(session, "vi"), text)
        assert (found.slug if found else None) == slug


def test_steps_with_an_unmet_condition_are_skipped_and_placeholders_filled():
    steps = [GuideStep(key="a", condition=""), GuideStep(key="pay", condition="fee"), GuideStep(key="b")]
    assert [s.key for s in applicable_steps(steps, {"fee": False})] == ["a", "b"]
    assert [s.key for s in applicable_steps(steps, {"fee": True})] == ["a", "pay", "b"]
    assert fill("Mã {procedure_code}, {unknown}", {"procedure_code": "1.001193"}) == "Mã 1.001193, {unknown}"
    assert {"procedure_code", "documents", "fee", "agency", "procedure_name"} <= PLACEHOLDERS


# ---------------------------------------------------------------- sources
def test_every_seed_guide_step_has_a_source_or_is_marked_for_staff():
    for path in GUIDES.glob("*.yml"):
        for record in read_guide_file(path):
            for step in record.steps:
                source = step["source"]
                assert source == "" or source == RECORD_SOURCE or re.search(r"\d\.\d{6}|số \d", source), (
                    path.name, step["key"], source)  # a record code or a legal text
    vi, _ = read_guide_file(GUIDES / "vneid.yml")
    assert {s["key"]: s["source"] for s in vi.steps}["register"].startswith("3.000228")


def test_a_step_without_a_source_or_a_mark_is_refused(tmp_path):
    path = tmp_path / "bad.yml"
    step = "slug: bad\ntitle: {vi: A, en: B}\nsteps:\n  - key: one\n    title: {vi: T, en: T}\n    body: {vi: X, en: Y}\n"
    path.write_text(step, encoding="utf-8")
    with pytest.raises(GuideFileError, match="either a source .* or verify: true"):
        read_guide_file(path)
    path.write_text(step + "    source: '1.001193'\n    verify: true\n", encoding="utf-8")
    with pytest.raises(GuideFileError, match="either a source"):
        read_guide_file(path)


def test_steps_staff_must_verify_are_listed_and_sourced_ones_are_not(session_factory):
    with session_factory() as session, session.begin():
        seed_guides(session, GUIDES, actor="seed")
    with session_factory() as session:
        listed = steps_to_verify(session)
        keys = {(slug, language, key) for slug, language, key, _ in listed}
    assert ("login", "vi", "open") in keys and ("login", "en", "open") in keys
    assert ("vneid", "vi", "register") not in keys
    assert (COACH_SLUG, "vi", "upload") not in keys  # its papers come from the procedure's record
    assert all(title for *_, title in listed)


def test_vneid_level_2_is_at_any_commune_police_in_the_country():
    """Record 3.000228, step 1: "Công an cấp xã trong cả nước không phụ thuộc vào nơi cư trú"."""
    for name, key, field in (("vneid.yml", "register", "body"), (f"{COACH_SLUG}.yml", "vneid", "help")):
        vi, en = read_guide_file(GUIDES / name)
        vi_text = {s["key"]: s[field] for s in vi.steps}[key]
        en_text = {s["key"]: s[field] for s in en.steps}[key]
        assert "Công an cấp xã bất kỳ trong cả nước" in vi_text and "nơi bạn cư trú để" not in vi_text
        assert "any ward or commune police in the country" in en_text
