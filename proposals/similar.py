"""The duplicate finder: earlier suggestions that look like the same problem.

Each suggestion keeps the distinct pairs of Chinese characters of its title and opening lines
(`Shingle` rows, written on submission). To find look-alikes, one query counts, per candidate,
the pairs it shares with the new text, leaving out pairs so common that they say nothing
(关于, 建议, 加强 ...: an inverse-document-frequency cut over the candidate years); the best
candidates are then ranked by Jaccard similarity (shared / union) in Python. Plain SQL, so the
same code runs on SQLite and PostgreSQL, and the cost grows with the shared pairs, not with the
number of suggestions in a year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count

from .models import Shingle, Suggestion

# Only the opening of the text: the problem is named in the title and the first lines.
BODY_CHARS = 160
# A pair found in more than this share of the candidates carries no signal.
COMMON_SHARE = 0.02
# ... and never more than this many (so a search costs the same in a big year as in a small one).
COMMON_CAP = 200
# At most this many of the rarest shared pairs are looked up: they carry the signal.
TELLING_MAX = 40
MIN_SCORE = 0.2
_KEEP = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]+")


def grams(title: str, body: str = "") -> set[str]:
    """The distinct character pairs of a title and the opening of a text."""
    out: set[str] = set()
    for run in _KEEP.findall(f"{title}。{body[:BODY_CHARS]}"):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


def index_suggestion(suggestion: Suggestion) -> None:
    """(Re)write a suggestion's pairs; called when it is submitted."""
    gs = grams(suggestion.title, suggestion.body)
    year = suggestion.year or suggestion.created_at.year
    Shingle.objects.filter(suggestion=suggestion).delete()
    Shingle.objects.bulk_create(
        [Shingle(suggestion=suggestion, gram=g, year=year) for g in gs], batch_size=500
    )
    Suggestion.objects.filter(pk=suggestion.pk).update(gram_count=len(gs))


def _document_frequency(mine: list[str], years: list[int], cap: int) -> dict[str, int]:
    """How many candidates hold each of my pairs, counted only up to cap + 1: a common pair
    (建议, 关于) would otherwise cost a count over the whole year. PostgreSQL stops each count
    early with a LIMIT per pair; elsewhere one grouped query counts them all."""
    if connection.vendor == "postgresql":
        sql = (
            "SELECT g, (SELECT COUNT(*) FROM (SELECT 1 FROM proposals_shingle s"
            " WHERE s.gram = g AND s.year = ANY(%s) LIMIT %s) t)"
            " FROM unnest(%s::varchar[]) AS g"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [years, cap + 1, mine])
            return {g: n for g, n in cursor.fetchall() if n}
    return dict(
        Shingle.objects.filter(year__in=years, gram__in=mine)
        .values_list("gram")
        .annotate(n=Count("id"))
        .values_list("gram", "n")
    )


@dataclass
class Match:
    suggestion: Suggestion
    score: float


def find_similar(
    *,
    title: str,
    body: str = "",
    years: list[int],
    exclude_pks: tuple[int, ...] = (),
    limit: int = 5,
    min_score: float = MIN_SCORE,
    user=None,
) -> list[Match]:
    """Suggestions of `years` that look like the same problem, best first; with `user`, only
    those the user may see (county staff: their region's), ranked among themselves."""
    mine = grams(title, body)
    if not mine or not years:
        return []
    in_years = Shingle.objects.filter(year__in=years)
    total = Suggestion.objects.filter(year__in=years, gram_count__gt=0).count()
    if not total:
        return []
    cap = max(2, min(int(total * COMMON_SHARE), COMMON_CAP))
    df = _document_frequency(sorted(mine), years, cap)
    common = {g for g in mine if df.get(g, 0) > cap}
    telling = sorted((g for g in mine if 0 < df.get(g, 0) <= cap), key=lambda g: df[g])
    telling = telling[:TELLING_MAX]
    if not telling:
        return []
    shared = (
        in_years.filter(gram__in=telling)
        .exclude(suggestion_id__in=exclude_pks)
        .values("suggestion_id")
        .annotate(n=Count("id"))
        .order_by("-n")[: limit * 20]
    )
    counts = {row["suggestion_id"]: row["n"] for row in shared}
    if not counts:
        return []
    # The candidates' sizes, read through the user's scope: one outside it is dropped here,
    # before ranking, so the page neither lists nor counts it.
    candidates = Suggestion.objects.visible_to(user) if user is not None else Suggestion.objects
    sizes = dict(candidates.filter(pk__in=counts).values_list("pk", "gram_count"))
    mine_size = max(len(mine) - len(common), len(telling))
    scored = []
    for pk, n in counts.items():
        if pk not in sizes:
            continue
        # Jaccard with the common pairs left out of both sides (the other text most likely holds
        # them too, being common), so that they neither raise nor dilute the score.
        other = max(sizes.get(pk, 0) - len(common), n)
        score = n / (mine_size + other - n)
        if score >= min_score:
            scored.append((score, pk))
    scored.sort(reverse=True)
    best = scored[:limit]
    found = Suggestion.objects.for_lists().in_bulk([pk for _s, pk in best])
    return [Match(found[pk], round(score, 3)) for score, pk in best if pk in found]


def similar_to(
    suggestion: Suggestion, *, earlier_years: bool, limit: int = 5, user=None
) -> list[Match]:
    """Look-alikes of a suggestion: in earlier years (the same problem raised again), or in its
    own year (duplicates that staff may merge)."""
    year = suggestion.year or suggestion.created_at.year
    years = list(range(year - 5, year)) if earlier_years else [year]
    return find_similar(
        title=suggestion.title,
        body=suggestion.body,
        years=years,
        exclude_pks=(suggestion.pk,),
        limit=limit,
        user=user,
    )
