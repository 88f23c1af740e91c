"""Livelihood projects (民生实事项目票决制): a year's round per congress, its candidates, the
secret-ballot vote that chooses them, their implementation and the year-end satisfaction rating.

Secrecy lives in the storage, not only on the screen. `Participation` records *that* a deputy
voted (one row per poll and person, unique in the database); `Ballot` and `Mark` record *what*
a ballot said. The two halves share no column: random UUID keys (no sequence), no timestamps,
nothing of the voter on the ballot and nothing of the ballot (not even the receipt) on the
participation. On close the poll's ballots, marks and participations are rewritten in a random
order in one transaction, so that their physical order and transaction ids carry nothing of the
order in which people voted (see docs/architecture.md for what remains).
"""

from .polls import (
    Ballot,
    BallotPass,
    Mark,
    PaperTallyLine,
    Participation,
    Poll,
    PollTransition,
    ResultLine,
)
from .projects import (
    Milestone,
    ProgressPhoto,
    ProgressReport,
    Project,
    ProjectChange,
    Supervision,
    photo_path,
)
from .rounds import Candidate, Round, Suggestion, SuggestionTransition

__all__ = [
    "Ballot",
    "BallotPass",
    "Candidate",
    "Mark",
    "Milestone",
    "PaperTallyLine",
    "Participation",
    "Poll",
    "PollTransition",
    "ProgressPhoto",
    "ProgressReport",
    "Project",
    "ProjectChange",
    "ResultLine",
    "Round",
    "Suggestion",
    "SuggestionTransition",
    "Supervision",
    "photo_path",
]
