"""Splitting a .docx draft into chapters, sections, articles, paragraphs (款), items (项) and
sub-items (目); a file without article numbering is refused."""

import io

import pytest

from legislation.parsing import DraftError, chinese_number, read_docx, split_paragraphs

from .drafts import CHAPTERED, cn, docx_bytes, plain_draft


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("三十二", 32),
        ("一百零三", 103),
        ("一百一十", 110),
        ("7", 7),
    ],
)
def test_chinese_numbers(text, n):
    assert chinese_number(text) == n


def test_the_test_helper_writes_numbers_as_drafts_do():
    assert [cn(n) for n in (1, 10, 12, 20, 32, 100, 103, 115, 300)] == [
        "一",
        "十",
        "十二",
        "二十",
        "三十二",
        "一百",
        "一百零三",
        "一百一十五",
        "三百",
    ]
    assert all(chinese_number(cn(n)) == n for n in range(1, 301))


def test_chapters_sections_articles_paragraphs_items_and_subitems():
    draft = read_docx(io.BytesIO(docx_bytes(CHAPTERED)))
    assert draft.title == "安阳市城市消防条例（草案）"
    assert [a.number for a in draft.articles] == [1, 2, 3, 4, 5]
    first, second, third, fourth, fifth = draft.articles
    assert first.chapter == "第一章　总则" and first.section == ""
    assert len(second.paragraphs) == 2  # two 款
    assert second.paragraphs[1]["text"].startswith("市、县（市、区）人民政府")
    assert third.chapter == "第二章　消防安全责任" and third.section == "第一节　单位责任"
    assert third.paragraphs[0]["text"] == "单位应当履行下列消防安全职责："
    items = third.paragraphs[0]["items"]
    assert [i["label"] for i in items] == ["（一）", "（二）", "（三）"]
    assert [s["label"] for s in items[1]["subitems"]] == ["1.", "2．"]
    assert items[1]["subitems"][0]["text"] == "火灾自动报警系统；"
    # The paragraph after the items is the article's second 款, not part of item (三).
    assert third.paragraphs[1]["text"] == "单位的主要负责人是本单位的消防安全责任人。"
    assert fourth.section == "第二节　个人责任"
    assert fifth.chapter == "第三章　附则" and fifth.section == ""
    assert "（二）按照国家标准配置消防设施" in third.text and "1.火灾自动报警系统；" in third.text


def test_a_regulation_without_chapters():
    draft = split_paragraphs(plain_draft(32))
    assert len(draft.articles) == 32
    assert {a.chapter for a in draft.articles} == {""}
    assert draft.articles[11].label == "第十二条"


def test_no_article_numbering_is_refused_and_says_what_it_expected():
    with pytest.raises(DraftError) as exc:
        read_docx(
            io.BytesIO(docx_bytes(["安阳市某条例", "一、总则", "为了加强管理，制定本办法。"]))
        )
    assert "第一条" in str(exc.value)


def test_articles_out_of_order_are_refused():
    with pytest.raises(DraftError):
        split_paragraphs(["第一条　甲。", "第三条　乙。", "第二条　丙。"])


def test_a_damaged_word_file_is_refused():
    with pytest.raises(DraftError):
        read_docx(io.BytesIO(b"PK\x03\x04 not really a zip"))
