"""The changes between two versions of a draft, article by article.

Articles are renumbered when one is inserted, so they are matched by their text, not their
number: difflib aligns the two sequences of articles; within a block that differs, each old
article is paired with the most similar new one (if similar enough: changed), the rest are
removed or added. A changed article's text is compared character by character (Chinese has no
spaces between words), and the differences are returned as segments for the template to mark.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

SIMILAR = 0.5  # below this, an old and a new article are a removal and an addition


class Segment(tuple):
    """(op, text): "=" kept, "-" deleted, "+" inserted."""

    def __new__(cls, op: str, text: str):
        return super().__new__(cls, (op, text))

    @property
    def op(self) -> str:
        return self[0]

    @property
    def text(self) -> str:
        return self[1]

    @property
    def is_insert(self) -> bool:
        return self[0] == "+"

    @property
    def is_delete(self) -> bool:
        return self[0] == "-"


@dataclass
class Change:
    kind: str  # "same", "changed", "added", "removed"
    old: object | None = None  # the old Article (or anything with .label and .text)
    new: object | None = None
    segments: list[Segment] = field(default_factory=list)

    @property
    def is_same(self) -> bool:
        return self.kind == "same"

    @property
    def is_changed(self) -> bool:
        return self.kind == "changed"

    @property
    def is_added(self) -> bool:
        return self.kind == "added"

    @property
    def is_removed(self) -> bool:
        return self.kind == "removed"


def text_segments(old: str, new: str) -> list[Segment]:
    """The runs of kept, deleted and inserted characters."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    out: list[Segment] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Segment("=", old[a1:a2]))
            continue
        if a2 > a1:
            out.append(Segment("-", old[a1:a2]))
        if b2 > b1:
            out.append(Segment("+", new[b1:b2]))
    return out


def _ratio(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    # quick_ratio is an upper bound: skip the full comparison when it cannot reach SIMILAR.
    if matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()


def _pair_block(old: list, new: list) -> list[Change]:
    """Pair the articles of a differing block in order: each old one with the first new one
    (not yet taken, after the last paired) that is similar enough."""
    changes: list[Change] = []
    j = 0
    for article in old:
        best, best_ratio = None, SIMILAR
        for k in range(j, len(new)):
            r = _ratio(article.text, new[k].text)
            if r >= best_ratio:
                best, best_ratio = k, r
                if r > 0.9:
                    break
        if best is None:
            changes.append(Change("removed", old=article))
            continue
        changes += [Change("added", new=n) for n in new[j:best]]
        changes.append(
            Change(
                "changed",
                old=article,
                new=new[best],
                segments=text_segments(article.text, new[best].text),
            )
        )
        j = best + 1
    changes += [Change("added", new=n) for n in new[j:]]
    return changes


def compare(old: list, new: list) -> list[Change]:
    """Every article of both versions once, in the new version's order (removed ones where
    they stood): same, changed (with segments), added or removed."""
    matcher = difflib.SequenceMatcher(
        None, [a.text for a in old], [a.text for a in new], autojunk=False
    )
    changes: list[Change] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            changes += [
                Change("same", old=o, new=n) for o, n in zip(old[a1:a2], new[b1:b2], strict=True)
            ]
        else:
            changes += _pair_block(old[a1:a2], new[b1:b2])
    return changes


def summary(changes: list[Change]) -> dict[str, int]:
    counts = {"same": 0, "changed": 0, "added": 0, "removed": 0}
    for c in changes:
        counts[c.kind] += 1
    return counts
