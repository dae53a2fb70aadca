"""The seed catalogue (knowledge/seed/procedures.yml): valid, complete, true to the official records."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from knowledge.importers.build_seed import citizen_usage
from knowledge.importers.national import iter_records
from knowledge.records import canonical_record, validate_record
from knowledge.settings import PORTAL_CATALOGUE, PORTAL_USAGE
from knowledge.text import fold

PROJECT = Path(__file__).resolve().parents[2]
SEED = PROJECT / "knowledge" / "seed" / "procedures.yml"
REPLACED = PROJECT / "knowledge" / "seed" / "curation" / "replaced_codes.yml"

# The procedures the seed must cover besides the most used ones (the code chosen for each, or the local code of
# a record written by hand because no official record has such a procedure).
REQUIRED = {
    # Hộ tịch
    "1.001193": "đăng ký khai sinh", "1.000689": "khai sinh kết hợp nhận cha, mẹ, con",
    "1.004884": "đăng ký lại khai sinh", "1.000894": "đăng ký kết hôn", "1.000656": "đăng ký khai tử",
    "1.001022": "đăng ký nhận cha, mẹ, con", "1.004837": "đăng ký giám hộ", "1.004845": "chấm dứt giám hộ",
    "1.004859": "thay đổi, cải chính, bổ sung thông tin hộ tịch", "1.004873": "xác nhận tình trạng hôn nhân",
    "2.000635": "bản sao trích lục hộ tịch, bản sao Giấy khai sinh",
    "2.000986": "liên thông khai sinh – thường trú – thẻ BHYT trẻ dưới 6 tuổi",
    "local-lienthong-khaitu": "liên thông khai tử – xóa thường trú – mai táng phí",
    # Chứng thực, lý lịch tư pháp
    "2.000815": "chứng thực bản sao từ bản chính", "2.000884": "chứng thực chữ ký",
    "2.001035": "chứng thực hợp đồng, giao dịch", "3.000333": "cấp Phiếu lý lịch tư pháp",
    # Cư trú, căn cước, phương tiện
    "1.004222": "đăng ký thường trú", "1.004194": "đăng ký tạm trú", "1.003677": "khai báo tạm vắng",
    "1.003197": "xóa đăng ký thường trú", "1.010038": "tách hộ", "1.014061": "cấp thẻ căn cước",
    "1.014063": "cấp đổi thẻ căn cước", "1.014064": "cấp lại thẻ căn cước", "1.001456": "cấp hộ chiếu phổ thông",
    "3.000347": "đổi giấy phép lái xe", "3.000348": "cấp lại giấy phép lái xe", "1.013067": "đăng ký xe lần đầu",
    # Kinh doanh, thuế
    "1.001612": "đăng ký thành lập hộ kinh doanh", "2.000720": "thay đổi nội dung đăng ký hộ kinh doanh",
    "1.001570": "tạm ngừng / tiếp tục kinh doanh", "1.001266": "chấm dứt hoạt động hộ kinh doanh",
    "2.001583": "thành lập công ty TNHH một thành viên", "2.001610": "thành lập doanh nghiệp tư nhân",
    "1.008498": "đăng ký thuế lần đầu cho cá nhân",
    # Xây dựng
    "1.013225": "giấy phép xây dựng nhà ở riêng lẻ", "1.013229": "giấy phép sửa chữa, cải tạo",
    "1.013227": "gia hạn giấy phép xây dựng",
    # Đất đai
    "1.013978": "cấp Giấy chứng nhận lần đầu", "1.013831": "đăng ký biến động (chuyển nhượng, tặng cho, thừa kế)",
    "1.012783": "cấp đổi Giấy chứng nhận", "1.012786": "cấp lại Giấy chứng nhận bị mất",
    "1.013949": "chuyển mục đích sử dụng đất", "1.011441": "đăng ký thế chấp", "1.012784": "tách thửa, hợp thửa",
    # Xã hội, lao động, bảo hiểm
    "1.001776": "trợ cấp xã hội hàng tháng", "1.001731": "hỗ trợ chi phí mai táng",
    "1.001699": "xác định mức độ khuyết tật", "1.014748": "trợ cấp thất nghiệp",
    "1.014199": "giấy phép lao động cho người nước ngoài", "1.002759": "cấp lại, đổi thẻ BHYT",
    # Y tế, giáo dục
    "1.012289": "giấy phép hành nghề khám bệnh, chữa bệnh",
    "2.002854": "chuyển trường học sinh trung học", "3.000465": "bản sao văn bằng từ sổ gốc",
    # Văn hóa, du lịch, công thương, nông nghiệp, khoa học
    "1.001029": "giấy phép kinh doanh karaoke", "1.004623": "thẻ hướng dẫn viên du lịch",
    "1.003622": "thông báo tổ chức lễ hội", "local-ban-le-ruou": "giấy phép bán lẻ rượu",
    "2.000591": "cơ sở đủ điều kiện ATTP (công thương)",
    "2.001827": "cơ sở đủ điều kiện ATTP (nông, lâm, thủy sản)", "local-ban-le-thuoc-la": "bán lẻ sản phẩm thuốc lá",
    "1.003659": "giấy phép bưu chính",
}  # fmt: skip
# National records whose document table the portal publishes broken (steps text in its place).
NO_DOCUMENTS_PUBLISHED = {"1.002759"}


@pytest.fixture(scope="module")
def seed() -> list[dict]:
    return yaml.safe_load(SEED.read_text(encoding="utf-8"))


def test_every_record_is_valid_and_codes_are_unique(seed):
    for record in seed:
        assert validate_record(record) == [], record["code"]
        assert record == canonical_record(record), f"{record['code']} is not in canonical form"
    codes = [record["code"] for record in seed]
    assert len(codes) == len(set(codes))


def test_facts_are_sourced_and_dated(seed):
    for record in seed:
        assert record["official_url"].startswith("https://"), record["code"]
        assert record["verified_on"] == dt.date(2026, 11, 30).isoformat()
        hand_written = not record["source_url"]
        assert hand_written == record["code"].startswith("local-"), record["code"]
        if hand_written:  # never guessed: no documents, fees or times invented
            assert record["documents"] == [] and record["channels"] == [], record["code"]
        else:
            assert record["source_url"] == record["official_url"]
            assert record["channels"], record["code"]
            assert record["documents"] or record["code"] in NO_DOCUMENTS_PUBLISHED, record["code"]


def test_aliases_are_what_citizens_say(seed):
    owner: dict[str, str] = {}
    for record in seed:
        assert 3 <= len(record["aliases"]) <= 12, record["code"]
        for alias in record["aliases"]:
            key = fold(alias)
            assert owner.setdefault(key, record["code"]) == record["code"], f"{alias!r} names two procedures"
    aliases = {fold(a) for record in seed for a in record["aliases"]}
    for colloquial in ("làm giấy khai sinh", "làm sổ đỏ", "sang tên sổ đỏ", "đổi bằng lái", "làm căn cước",
                       "làm cccd", "đăng ký kết hôn", "giấy đăng ký kết hôn", "xin giấy phép xây nhà",
                       "birth registration", "marriage registration"):
        assert fold(colloquial) in aliases, colloquial


def test_seed_covers_every_listed_procedure(seed):
    codes = {record["code"] for record in seed}
    assert set(REQUIRED) - codes == set()


def test_seed_stays_a_reviewable_size():
    # ~12 KB a procedure: every paper of every case, fees with their notes and the steps, as published.
    assert SEED.stat().st_size < 2_000_000


@pytest.mark.skipif(not PORTAL_USAGE.exists(), reason=f"usage counts absent: {PORTAL_USAGE}")
def test_seed_carries_99_percent_of_the_usage_of_procedures_that_have_a_record(seed):
    replaced = yaml.safe_load(REPLACED.read_text(encoding="utf-8"))
    weights, total = citizen_usage(PORTAL_USAGE, replaced)
    served = {record["code"] for record in seed}
    retired = sum(w for code, w in weights.items() if code in replaced and not replaced[code])
    covered = sum(w for code, w in weights.items() if code in served)
    assert covered >= 0.97 * total and retired >= 0
    assert all(record["usage"] == int(weights.get(record["code"], 0)) for record in seed)
    assert {"1.004194", "1.001456", "1.004222", "1.014748"} <= served  # tạm trú, hộ chiếu, thường trú, thất nghiệp


def test_official_codes_match_the_official_names(seed):
    if not PORTAL_CATALOGUE.is_file():
        pytest.skip(f"../shared/tthc/{PORTAL_CATALOGUE.name} absent: cannot compare with the official records")
    wanted = {record["code"]: record for record in seed if record["source_url"]}
    official = {raw["code"]: raw for _, raw, _ in iter_records(PORTAL_CATALOGUE) if raw and raw["code"] in wanted}
    assert set(official) == set(wanted)
    for code, record in wanted.items():
        raw = official[code]
        assert record["name"] == " ".join(raw["name"].split()), code
        assert record["official_url"] == f"https://dichvucong.gov.vn/thu-tuc-hanh-chinh/{raw['id']}", code
        assert record["source"] == "portal", code
    assert {c: wanted[c]["level"] for c in ("1.001193", "1.014061", "1.014063", "1.014064")} == dict.fromkeys(
        ("1.001193", "1.014061", "1.014063", "1.014064"), "ward"
    )
