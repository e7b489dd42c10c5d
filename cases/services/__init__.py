"""Writes for cases and the work around them: explicit transitions, each checked for actor and
state, atomic and audited in the same transaction (the pattern of suggestions/services.py).

Choices the work plan and RULES.md leave open, made here:
- 裁执分离: a granted ruling on a non-money obligation goes to the assignee as a numbered 函
  from the court. When the court's head records the ruling the letter is signed off at once;
  anyone else's ruling leaves it pending for the head's sign-off on the letter page. The
  assignee's ledger entry opens when that letter is issued (`on_letter_issued`), with the
  feedback period counted from the ruling date either way (settings.ENFORCEMENT_FEEDBACK_DAYS).
- The assignee's written feedback is a 复函 to the court; when the assignee's head issues it
  (here or on the letter page) the enforcement moves to FEEDBACK and the ledger entry closes.
- 执行监督: the decision period (settings.SUPERVISION_DECISION_MONTHS) runs from receipt of
  the application; the two 函告 follow the same head-sign-off rule as the assignment letter.
- A defendant records its own appearance; whether and why the head was summoned is the
  court's record, so a defendant cannot change it once a row exists.

One module per part of the work plan; import the functions from here (`from cases import services`).
"""

from .enforcement import (
    enforcement_create,
    enforcement_feedback_draft,
    enforcement_rule,
    on_letter_issued,
)
from .litigation import (
    appearance_record,
    case_conclude,
    case_create,
    case_mark_effective,
    case_record_performance,
    case_update,
    hearing_add,
)
from .observation import (
    observation_create,
    observation_record_attendance,
    review_create,
)
from .resolution import (
    communication_add,
    coordination_close,
    coordination_invite,
    coordination_open,
    dispute_conclude,
    dispute_create,
    mediation_add,
)
from .supervision import (
    case_supervision_answer,
    case_supervision_create,
    case_supervision_request,
    clue_transfer_handle,
    clue_transfer_receive,
    clue_transfer_send,
    supervision_create,
    supervision_decide,
)

__all__ = [
    "appearance_record",
    "case_conclude",
    "case_create",
    "case_mark_effective",
    "case_record_performance",
    "case_supervision_answer",
    "case_supervision_create",
    "case_supervision_request",
    "case_update",
    "clue_transfer_handle",
    "clue_transfer_receive",
    "clue_transfer_send",
    "communication_add",
    "coordination_close",
    "coordination_invite",
    "coordination_open",
    "dispute_conclude",
    "dispute_create",
    "enforcement_create",
    "enforcement_feedback_draft",
    "enforcement_rule",
    "hearing_add",
    "mediation_add",
    "observation_create",
    "observation_record_attendance",
    "on_letter_issued",
    "review_create",
    "supervision_create",
    "supervision_decide",
]
