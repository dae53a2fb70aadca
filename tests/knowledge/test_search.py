import gzip
import json
import statistics
import time

import pytest

from knowledge.search import CONFIDENT, POSSIBLE, Candidate, ProcedureIndex
from knowledge.settings import NATIONAL_CATALOGUE

# Real names and codes from the national catalogue (2026-07); aliases as citizens say them.
ENTRIES = [
    ("1.001193", "Thủ tục đăng ký khai sinh", ["làm giấy khai sinh", "khai sinh cho con"], "ward"),
    ("2.000528", "Thủ tục đăng ký khai sinh có yếu tố nước ngoài", [], "ward"),
    ("1.003583", "Thủ tục đăng ký khai sinh lưu động", [], "ward"),
    ("1.000689", "Thủ tục đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con", [], "ward"),
    ("1.004884", "Thủ tục đăng ký lại khai sinh", [], "ward"),
    ("1.000894", "Thủ tục đăng ký kết hôn", [], "ward"),
    ("1.000656", "Thủ tục đăng ký khai tử", [], "ward"),
    ("3.000347", "Đổi giấy phép lái xe", [], "ministry"),
    ("3.000348", "Cấp lại giấy phép lái xe", [], "ministry"),
    ("3.000349", "Đổi giấy phép lái xe quân sự do Bộ Quốc phòng cấp", [], "ministry"),
    ("1.014064", "Cấp lại thẻ căn cước", [], "ward"),
    ("1.014063", "Cấp đổi thẻ căn cước", [], "ward"),
    ("2.001194", "Cấp lại thẻ căn cước (thực hiện tại cấp tỉnh)", [], "city"),
    ("1.012753", "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu", [], "ward"),
    ("1.012783", "Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", [], "ward"),
    ("1.004222", "Đăng ký thường trú", [], "ward"),
    ("3.000333", "Cấp Phiếu Lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam", [], "city"),
]  # fmt: skip


@pytest.fixture(scope="module")
def index():
    return ProcedureIndex.build(ENTRIES)


def top(index, query):
    found = index.search(query, limit=3)
    assert found, f"nothing found for {query!r}"
    return found[0]


@pytest.mark.parametrize(
    "query, code",
    [
        ("đăng ký khai sinh", "1.001193"),
        ("dang ky khai sinh", "1.001193"),
        ("Lam giay khai sinh can gi", "1.001193"),
        ("tôi muốn làm giấy khai sinh cho con thì cần giấy tờ gì", "1.001193"),
        ("doi gplx", "3.000347"),
        ("cấp lại gplx ở đâu", "3.000348"),
        ("cap lai cccd", "1.014064"),
        ("lam so do", "1.012753"),
        ("cấp đổi sổ đỏ", "1.012783"),
        ("nhap ho khau", "1.004222"),
        ("lý lịch tư pháp", "3.000333"),
        ("dang ky ket hon", "1.000894"),
        ("khai tu bao nhieu tien", "1.000656"),
        ("birth certificate", "1.001193"),
        ("What documents do I need to register a marriage?", "1.000894"),
        ("đăng ký khai sinh có yếu tố nước ngoài", "2.000528"),
        ("khai sinh luu dong", "1.003583"),
        ("khai sinh kết hợp nhận cha mẹ con", "1.000689"),
        ("dang ky lai khai sinh", "1.004884"),
        ("1.003583", "1.003583"),
    ],
)
def test_finds_the_procedure_citizens_mean(index, query, code):
    assert top(index, query).code == code


def test_plain_case_comes_before_special_cases(index):
    found = index.search("khai sinh", limit=5)
    assert found[0].code == "1.001193"
    assert found[0].score >= CONFIDENT
    assert {c.code for c in found[1:]} >= {"2.000528", "1.003583", "1.000689"}
    assert all(c.score < found[0].score for c in found[1:])


def test_misspelt_word_still_finds_a_possible_candidate(index):
    assert top(index, "dang ky kett hon").code == "1.000894"
    assert top(index, "dang ky kett hon").score >= POSSIBLE


@pytest.mark.parametrize("query", ["abc xyz linh tinh", "asdfgh", "qwerty uiop", "thời tiết hôm nay"])
def test_gibberish_gives_no_possible_candidate(index, query):
    assert all(c.score < POSSIBLE for c in index.search(query))


@pytest.mark.parametrize("query", ["", "   ", "cho em hỏi", "thủ tục gì", "what do I need", "?!"])
def test_no_content_words_gives_nothing(index, query):
    assert index.search(query) == []


def test_candidates_are_sorted_limited_and_scored_0_to_100(index):
    found = index.search("giấy phép lái xe", limit=2)
    assert len(found) == 2
    assert all(isinstance(c, Candidate) and 0 <= c.score <= 100 for c in found)
    assert found[0].score >= found[1].score


def test_alias_is_read_with_its_procedure_name():
    index = ProcedureIndex.build([
        ("1.004222", "Đăng ký thường trú", ["nhập khẩu về nhà chồng"], "ward"),
        ("1.013314", "Xác nhận về điều kiện diện tích bình quân nhà ở để đăng ký thường trú vào chỗ ở do thuê, mượn",
         [], "ward"),
    ])
    assert top(index, "nhập hộ khẩu về nhà chồng").code == "1.004222"


def test_plain_procedure_comes_before_withdrawal_or_reissue():
    index = ProcedureIndex.build([
        ("1.003681", "Xóa đăng ký tàu cá, tàu phục vụ nuôi trồng thủy sản", [], "city"),
        ("1.003634", "Cấp lại giấy chứng nhận đăng ký tàu cá, tàu phục vụ nuôi trồng thủy sản", [], "city"),
        ("1.003650", "Cấp giấy chứng nhận đăng ký tàu cá, tàu phục vụ nuôi trồng thủy sản", [], "city"),
    ])
    assert top(index, "dang ky tau ca").code == "1.003650"
    assert top(index, "xoá đăng ký tàu cá").code == "1.003681"


def test_the_same_name_goes_to_the_level_closest_to_the_citizen():
    index = ProcedureIndex.build([
        ("1.000757", "Cấp lại thẻ căn cước", [], "ministry"),
        ("2.001194", "Cấp lại thẻ căn cước", [], "city"),
        ("1.014064", "Cấp lại thẻ căn cước", [], "ward"),
    ])
    assert [c.code for c in index.search("cấp lại thẻ căn cước", limit=3)] == ["1.014064", "2.001194", "1.000757"]


def test_numbers_compare_by_value():
    index = ProcedureIndex.build([
        ("1.011410", "Cấp tài khoản định danh điện tử mức độ 01 cho công dân Việt Nam", [], "ministry"),
        ("3.000228", "Cấp tài khoản định danh điện tử mức độ 02, căn cước điện tử cho công dân Việt Nam", [], "ward"),
    ])
    assert top(index, "tài khoản định danh điện tử mức độ 2").code == "3.000228"
    assert top(index, "kich hoat vneid muc 2").code == "3.000228"


def test_exact_alias_wins(index):
    found = index.search("khai sinh cho con")
    assert found[0].code == "1.001193" and found[0].score == 100


NATIONAL = NATIONAL_CATALOGUE


def test_search_is_fast_on_the_national_catalogue():
    if not NATIONAL.exists():
        pytest.skip(f"../shared/tthc/national-procedures-2026-07.jsonl.gz absent: {NATIONAL}")
    with gzip.open(NATIONAL, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    index = ProcedureIndex.build((r["ma_thu_tuc"], r["ten_thu_tuc"], [], "ward") for r in records)
    queries = [q for q, _ in QUERIES] + ["abc xyz linh tinh", "thủ tục cấp giấy phép xây dựng nhà ở riêng lẻ"]
    for query in queries:  # warm up
        index.search(query)
    timings = []
    for _ in range(10):
        for query in queries:
            start = time.perf_counter()
            index.search(query)
            timings.append((time.perf_counter() - start) * 1000)
    p95 = statistics.quantiles(timings, n=20)[-1]
    assert p95 <= 5.0, f"search p95 {p95:.2f} ms over {len(index)} procedures"
    for query, code in QUERIES:
        assert code in [c.code for c in index.search(query, limit=3)], query


QUERIES = [
    ("dang ky khai sinh", "1.001193"),
    ("doi gplx", "3.000347"),
    ("cap lai cccd", "1.014064"),
    ("đăng ký kết hôn", "1.000894"),
    ("dang ky thuong tru", "1.004222"),
    ("birth certificate", "1.001193"),
]


def test_labelled_citizen_queries_find_their_procedure_in_the_national_catalogue(tmp_path):
    """A regression guard on a sample of bench/search/queries.yml against the full catalogue plus the seed."""
    if not NATIONAL.exists():
        pytest.skip(f"../shared/tthc/national-procedures-2026-07.jsonl.gz absent: {NATIONAL}")
    from bench.search.catalogue import build_kb, read_entries
    from bench.search.labelled import load_queries
    from bench.search.run import SEED_DIR, evaluate

    url = f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    build_kb(url, NATIONAL, SEED_DIR, progress=lambda _message: None)
    index, _ = read_entries(url)
    sample = load_queries()[::2]
    accuracy, misses = evaluate(index, sample)
    wrong = [(m["query"], m["expected"], m["got"]) for m in misses if not m["top3"]]
    # Measured 0.929 / 0.840 (bench/README.md "Search"): the citizens' vocabulary and whole-question ranking
    # (issue 9) cost a little on these short official-style queries (0.949 / 0.872 before) and gain on everyday
    # words; this guards against falling further.
    assert accuracy["all"]["top3"] >= 0.92, wrong
    assert accuracy["all"]["top1"] >= 0.82, misses


def test_the_second_opinion_ranks_by_bm25_over_names_and_aliases_of_the_seed():
    import yaml

    from knowledge.seed import SEED_DIR

    records = yaml.safe_load((SEED_DIR / "procedures.yml").read_text(encoding="utf-8"))
    words = yaml.safe_load((SEED_DIR / "vocabulary" / "words.yml").read_text(encoding="utf-8"))
    index = ProcedureIndex.build([(r["code"], r["name"], r["aliases"], r["level"]) for r in records],
                                 {w["phrase"]: w["term"] for w in words})
    assert index.second_opinion("cưới vợ cần gì")[0].code == "1.000894"
    assert index.second_opinion("mất giấy khai sinh làm lại")[0].code == "1.004884"
    assert index.second_opinion("abc xyz") == []
