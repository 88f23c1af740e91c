"""Every write of the livelihood-project cycle: the round, the candidates, the secret ballot,
implementation and the rating. Admin pages, portal views, tasks and the demo call these.

Secrecy rules kept here: a ballot is written with nothing of its voter; the receipt code is
returned to the caller once and kept only as a hash on the ballot; `ballot_cast` never logs or
raises with the marks (`sensitive_variables` keeps them out of error reports too).

One module per section (`rounds`, `polls`, `passes`, `projects`, and `_common` for what they
share); every step keeps its public name here, `livelihood.services.<step>`.
"""

from ._common import (
    RECEIPT_ALPHABET,
    hash_token,
    is_voter,
    serving_deputies,
)
from .passes import (
    pass_resolve,
    passes_issue,
)
from .polls import (
    BALLOT_TABLES,
    ITEMS_TTL,
    POLL_LOCK_SPACE,
    SETTINGS_FIELDS,
    already_voted_message,
    ballot_cast,
    ballot_items,
    paper_tally_enter,
    paper_voter_mark,
    poll_close,
    poll_delete,
    poll_open,
    poll_publish,
    poll_save_settings,
    receipt_check,
    turnout,
)
from .projects import (
    may_mark_milestone,
    may_mark_on,
    may_report,
    milestone_delete,
    milestone_done,
    milestone_save,
    progress_report_file,
    project_save_plan,
    supervision_link,
    supervision_unlink,
)
from .rounds import (
    SUGGESTION_MAX_DESCRIPTION,
    candidate_delete,
    candidate_save,
    candidates_frozen,
    may_decide,
    round_delete,
    round_save,
    suggestion_decide,
    suggestion_delete,
    suggestion_save,
    suggestion_source_for,
    suggestion_submit,
)

__all__ = [
    "BALLOT_TABLES",
    "ITEMS_TTL",
    "POLL_LOCK_SPACE",
    "RECEIPT_ALPHABET",
    "SETTINGS_FIELDS",
    "SUGGESTION_MAX_DESCRIPTION",
    "already_voted_message",
    "ballot_cast",
    "ballot_items",
    "candidate_delete",
    "candidate_save",
    "candidates_frozen",
    "hash_token",
    "is_voter",
    "may_decide",
    "may_mark_milestone",
    "may_mark_on",
    "may_report",
    "milestone_delete",
    "milestone_done",
    "milestone_save",
    "paper_tally_enter",
    "paper_voter_mark",
    "pass_resolve",
    "passes_issue",
    "poll_close",
    "poll_delete",
    "poll_open",
    "poll_publish",
    "poll_save_settings",
    "progress_report_file",
    "project_save_plan",
    "receipt_check",
    "round_delete",
    "round_save",
    "serving_deputies",
    "suggestion_decide",
    "suggestion_delete",
    "suggestion_save",
    "suggestion_source_for",
    "suggestion_submit",
    "supervision_link",
    "supervision_unlink",
    "turnout",
]
