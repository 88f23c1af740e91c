"""The names of the legislation figures of the monthly report and the year page (the report's
`anping.reports.figures` counts them; their labels live here, with the app's catalog).

Keys in /reports/year/<year>.json: legislation_<code>."""

from django.utils.translation import gettext_lazy, pgettext_lazy

AREA_LABEL = pgettext_lazy("report area", "Legislation consultation")

LABELS = {
    # Drafts with a version uploaded in the period.
    "drafts": pgettext_lazy("report figure", "Drafts worked on"),
    # Rounds whose deadline falls in the period; the rest count over those rounds.
    "rounds": pgettext_lazy("report figure", "Consultation rounds"),
    "deputies_invited": pgettext_lazy("report figure", "Deputies invited"),
    "deputies_commented": pgettext_lazy("report figure", "Deputies who commented"),
    "comments": pgettext_lazy("report figure", "Comments on drafts"),
    "comments_adopted": pgettext_lazy("report figure", "Comments adopted (wholly or partly)"),
}

# The year page's line (anping.reports.yearbook): the figures in this order.
YEAR_LINE = gettext_lazy(
    "Drafts / consultation rounds / deputies invited / deputies who commented / comments / "
    "comments adopted"
)
