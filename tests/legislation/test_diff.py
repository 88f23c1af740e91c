"""Changes between two versions, article by article: articles are matched by their text, so an
inserted article renumbers the rest without showing them all as changed."""

from legislation import diff
from legislation.parsing import split_paragraphs

from .drafts import cn

BASE = [
    "为了预防火灾，制定本条例。",
    "本条例适用于本市行政区域内的小型生产经营场所。",
    "经营者应当配置灭火器材。",
    "禁止在小型生产经营场所内住宿。",
    "违反本条例的，由消防救援机构责令改正。",
]


def _draft(texts):
    return split_paragraphs([f"第{cn(i)}条　{t}" for i, t in enumerate(texts, start=1)]).articles


def test_changed_added_and_removed_articles_with_marked_differences():
    new_texts = [
        BASE[0],
        "本条例适用于本市行政区域内的小型生产经营场所和出租房屋。",
        "乡镇人民政府、街道办事处应当开展消防安全检查。",  # inserted
        BASE[2],
        # BASE[3] removed
        BASE[4],
    ]
    changes = diff.compare(_draft(BASE), _draft(new_texts))
    kinds = [
        (c.kind, c.old.label if c.old else None, c.new.label if c.new else None) for c in changes
    ]
    assert kinds == [
        ("same", "第一条", "第一条"),
        ("changed", "第二条", "第二条"),
        ("added", None, "第三条"),
        ("same", "第三条", "第四条"),
        ("removed", "第四条", None),
        ("same", "第五条", "第五条"),
    ]
    changed = changes[1]
    assert [s.text for s in changed.segments if s.is_insert] == ["和出租房屋"]
    assert not [s for s in changed.segments if s.is_delete]
    assert diff.summary(changes) == {"same": 3, "changed": 1, "added": 1, "removed": 1}


def test_a_rewritten_article_is_a_removal_and_an_addition():
    changes = diff.compare(_draft(["甲乙丙丁戊己庚辛。"]), _draft(["子丑寅卯辰巳午未。"]))
    assert [c.kind for c in changes] == ["removed", "added"]


def test_deleted_words_are_marked():
    segments = diff.text_segments("经营者应当配置合格的灭火器材。", "经营者应当配置灭火器材。")
    assert [(s.op, s.text) for s in segments if not s.op == "="] == [("-", "合格的")]
