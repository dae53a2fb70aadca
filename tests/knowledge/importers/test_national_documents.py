"""Document-table parser of the national portal format, on small inline strings."""
from knowledge.importers.national_documents import TABLE_HEADER, parse_documents, split_forms


def test_sections_give_kind_and_case():
    documents, problems = parse_documents(
        "* Giấy tờ phải nộp:" + TABLE_HEADER
        + "- Tờ khai đăng ký khai sinh theo mẫuTờ khai đăng ký khai sinh.docx1 bản chính"
        + "- Giấy chứng sinh1 bản chính"
        + "* Giấy tờ phải xuất trình:" + TABLE_HEADER + "- Hộ chiếu hoặc thẻ căn cước1 bản chính"
        + "Trường hợp ủy quyền thực hiện thủ tục:" + TABLE_HEADER + "Văn bản ủy quyền0 bản chính,1 bản sao"
    )
    assert problems == []
    assert [(d["name"], d["kind"], d["case"]) for d in documents] == [
        ("Tờ khai đăng ký khai sinh theo mẫu", "submit", ""),
        ("Giấy chứng sinh", "submit", ""),
        ("Hộ chiếu hoặc thẻ căn cước", "present", ""),
        ("Văn bản ủy quyền", "submit", "Trường hợp ủy quyền thực hiện thủ tục"),
    ]
    assert documents[0]["form"] == "Tờ khai đăng ký khai sinh.docx"
    assert (documents[3]["quantity"], documents[3]["copy_kind"]) == (1, "bản sao")


def test_quantity_inside_a_name_does_not_end_the_row():
    documents, _ = parse_documents(
        "--" + TABLE_HEADER + "Tờ khai hải quan, người khai nộp 02 bản chính tờ khai hàng hóa;1 bản chính"
        + "Phiếu yêu cầu theo Mẫu số 01a tại Phụ lục (01 bản chính).Mau so 01a.docx1 bản chính"
    )
    assert len(documents) == 2
    assert documents[0]["name"].endswith("02 bản chính tờ khai hàng hóa")
    assert documents[1]["form"] == "Mau so 01a.docx"


def test_both_originals_and_copies():
    (document,), _ = parse_documents("--" + TABLE_HEADER + "Giấy đề nghị1 bản chính,1 bản sao")
    assert (document["quantity"], document["copy_kind"]) == (1, "1 bản chính và 1 bản sao")


def test_several_form_files_and_form_mentions():
    assert split_forms("Báo cáo tài chính.Phụ lục V - T54.docxPhụ lục VI - TT54.docx") == (
        "Báo cáo tài chính.", "Phụ lục V - T54.docx; Phụ lục VI - TT54.docx"
    )
    assert split_forms("Đơn đề nghị theo mẫu thống nhấtMẫu TP-LS-02-sđ.docx") == (
        "Đơn đề nghị theo mẫu thống nhất", "Mẫu TP-LS-02-sđ.docx"
    )
    (document,), _ = parse_documents("--" + TABLE_HEADER + "Tờ khai theo Mẫu số 03 Phụ lục I Nghị định 23/2026/NĐ-CP1 bản chính")
    assert document["form"] == "Mẫu số 03"


def test_missing_tables_are_problems():
    assert parse_documents("--") == ([], [("documents", "no documents published")])
    documents, problems = parse_documents("Bước 2. Nộp hồ sơ cho cơ quan BHXH")
    assert documents == [] and "no document table" in problems[0][1]
