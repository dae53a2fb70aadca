"""The documents answer's layout (actions/documents.py) on papers built here: the papers everyone brings
first, one case's papers when they fit, buttons for the rest, never more than 6 papers or the budget."""
import json

from actions.documents import MAX_BULLETS, document_line, documents_page, payload
from knowledge.models import Document

CODE = "1.004222"
FORM = Document(name="Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA); "
                     "đối với người chưa thành niên thì phải ghi rõ ý kiến đồng ý của cha, mẹ",
                form="Mẫu CT01", quantity=1, copy_kind="bản chính", kind="submit", case="")  # fmt: skip


def paper(name, case="", kind="submit", quantity=1, copies=None, form=""):
    copy_kind = "bản chính" if quantity and not copies else ""
    return Document(name=name, case=case, kind=kind, quantity=quantity, copies=copies, copy_kind=copy_kind, form=form)


def bullets(text):
    return [line for line in text.splitlines() if line.startswith("• ")]


def selection(button):
    return json.loads(button["payload"][len("/ask_documents"):]).get("document_case")


def test_a_long_name_is_cut_at_its_first_parenthesis_keeping_the_form_and_the_counts():
    assert document_line(FORM, "vi", 90) == "Tờ khai thay đổi thông tin cư trú… (Mẫu CT01; 1 bản chính)"
    both = paper("Bản sao giấy khai sinh hoặc trích lục khai sinh", quantity=1, copies=1)
    assert document_line(both, "vi", 90) == "Bản sao giấy khai sinh hoặc trích lục khai sinh (1 bản chính, 1 bản sao)"
    named = paper("Đơn đăng ký biến động đất đai theo Mẫu số 18 ban hành kèm theo Nghị định", form="Mẫu 18")
    assert "(Mẫu 18;" not in document_line(named, "vi", 90)  # the name shows the form already
    numbered = paper("1.\tSổ bảo hiểm xã hội.")
    assert document_line(numbered, "vi", 90) == "Sổ bảo hiểm xã hội (1 bản chính)"


def test_papers_everyone_brings_come_first_with_the_first_case_when_it_fits():
    documents = [
        paper("Trường hợp ủy quyền: văn bản ủy quyền"),  # everyone's list, but only "if": after the others
        FORM,
        paper("Giấy tờ chứng minh chỗ ở hợp pháp", case="Chỗ ở thuộc quyền sở hữu của mình"),
        paper("Hợp đồng thuê nhà", case="Chỗ ở do thuê, mượn, ở nhờ"),
        paper("Văn bản đồng ý của chủ hộ", case="Chỗ ở do thuê, mượn, ở nhờ"),
    ]
    page = documents_page(CODE, documents, "vi", 600)

    lines = bullets(page.text)
    assert lines[0].startswith("• Tờ khai thay đổi thông tin cư trú")
    assert lines[1].startswith("• Trường hợp ủy quyền")
    assert "Trường hợp: Chỗ ở thuộc quyền sở hữu của mình:" in page.text
    assert lines[2] == "• Giấy tờ chứng minh chỗ ở hợp pháp (1 bản chính)"
    assert "Hợp đồng thuê nhà" not in page.text
    assert page.case == "Chỗ ở thuộc quyền sở hữu của mình"
    assert "(Trên đây là trường hợp đầu tiên trong hồ sơ.)" in page.text
    assert [(b["title"], selection(b)) for b in page.buttons] == [("Chỗ ở do thuê, mượn, ở nhờ", "2")]
    assert page.buttons[0]["payload"] == '/ask_documents{"procedure_code":"1.004222","document_case":"2"}'


def test_another_case_lists_its_papers_with_those_everyone_brings():
    documents = [FORM, paper("A", case="Một"), paper("Hợp đồng thuê nhà", case="Hai")]
    page = documents_page(CODE, documents, "vi", 600, selection="2")

    assert [line[:20] for line in bullets(page.text)] == ["• Tờ khai thay đổi t", "• Hợp đồng thuê nhà "]
    assert page.case == "Hai"
    assert [selection(b) for b in page.buttons] == ["1"]


def test_many_cases_get_one_button_that_lists_them():
    documents = [FORM] + [paper(f"Giấy tờ {n}", case=f"Trường hợp {n}") for n in range(1, 7)]
    page = documents_page(CODE, documents, "vi", 600)

    assert [(b["title"], selection(b)) for b in page.buttons] == [("Trường hợp khác", "cases")]
    listing = documents_page(CODE, documents, "vi", 600, selection="cases")
    assert [selection(b) for b in listing.buttons] == ["1", "2", "3", "4", "5", "6"]
    assert bullets(listing.text)[0] == "• Trường hợp 1"


def test_a_long_list_shows_six_papers_and_a_button_for_the_others_never_a_case_paper():
    documents = [paper(f"Giấy tờ số {n} mọi người đều nộp") for n in range(1, 10)] + [paper("Riêng", case="Một")]
    page = documents_page(CODE, documents, "vi", 600)

    assert len(bullets(page.text)) == MAX_BULLETS
    assert "… và 3 giấy tờ khác mọi người đều nộp" in page.text
    assert "Riêng" not in page.text  # a case's paper is never shown while one everyone brings is left out
    assert [selection(b) for b in page.buttons] == ["0:6", "1"]
    rest = documents_page(CODE, documents, "vi", 600, selection="0:6")
    assert [line[:15] for line in bullets(rest.text)] == ["• Giấy tờ số 7 ", "• Giấy tờ số 8 ", "• Giấy tờ số 9 "]
    assert rest.text.startswith("Giấy tờ mọi người đều nộp (tiếp):")


def test_a_case_too_long_to_share_the_answer_points_to_the_papers_everyone_brings():
    documents = [paper(f"Giấy tờ chung {n}") for n in range(1, 4)]
    documents += [paper(f"Giấy tờ riêng {n}", case="Một") for n in range(1, 6)]
    page = documents_page(CODE, documents, "vi", 600, selection="1")

    assert [line[:17] for line in bullets(page.text)] == [f"• Giấy tờ riêng {n}" for n in range(1, 6)]
    assert "Cùng với 3 giấy tờ mọi người đều nộp" in page.text
    assert [(b["title"], selection(b)) for b in page.buttons] == [("Giấy tờ chung", None)]
    assert page.buttons[0]["payload"] == payload(CODE) == '/ask_documents{"procedure_code":"1.004222"}'


def test_names_are_shortened_until_the_answer_fits_its_budget():
    long = " và ".join(["giấy tờ chứng minh thông tin cá nhân do cơ quan có thẩm quyền cấp"] * 3)
    documents = [paper(f"{n}. {long}") for n in range(1, 7)]
    roomy = documents_page(CODE, documents, "vi", 2000)
    tight = documents_page(CODE, documents, "vi", 450)

    assert len(tight.text) <= 450 < len(roomy.text)
    assert len(bullets(tight.text)) == 6  # the same papers, shorter names


def test_headings_of_the_record_are_not_papers_and_papers_to_show_get_their_heading():
    documents = [paper("Người có yêu cầu nộp các giấy tờ sau:", quantity=None), FORM,
                 paper("Hộ chiếu hoặc thẻ căn cước", kind="present")]  # fmt: skip
    page = documents_page(CODE, documents, "vi", 600)

    assert "giấy tờ sau" not in page.text
    assert page.text.splitlines() == [
        "Giấy tờ cần nộp:",
        "• Tờ khai thay đổi thông tin cư trú… (Mẫu CT01; 1 bản chính)",
        "Giấy tờ cần mang theo để xuất trình:",
        "• Hộ chiếu hoặc thẻ căn cước (1 bản chính)",
    ]


def test_an_unknown_page_gives_the_first_answer():
    documents = [FORM, paper("A", case="Một")]
    first = documents_page(CODE, documents, "vi", 600)
    for stale in ("7", "0:40", "x", "cases:2"):
        assert documents_page(CODE, documents, "vi", 600, selection=stale).text == first.text


def test_the_page_buttons_pass_the_gateway_unchanged_and_name_an_entity_of_the_domain():
    import yaml
    from pathlib import Path

    from bot.gateway.payloads import to_rasa_message

    domain = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8"))
    assert "document_case" in domain["entities"]
    documents = [paper(f"Giấy tờ {n}") for n in range(1, 9)] + [paper(f"R{n}", case=f"C{n}") for n in range(1, 6)]
    for value in (None, "0:6", "2", "cases"):
        for button in documents_page(CODE, documents, "vi", 600, selection=value).buttons:
            assert to_rasa_message(button["payload"], lambda text: text) == button["payload"]
