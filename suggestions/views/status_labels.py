"""The status word a suggestion shows depends on whose side the reader is on.

The issuer, the cc'd institutions and the office see the status as recorded (已发出, 已签收 …):
it says what the issuer has done. The recipient needs to read what is asked of it now:

    recorded status        the recipient reads
    已发出 (issued)         待签收           it has not signed for it yet
    已签收 (received)       待回复           the reply period runs
    已签收 / 整改中         待负责人签发     a staff member's reply awaits the head's sign-off
    整改中 (rectifying)     整改中           a new round: reply again on the rectification
    已回复, 已评价, 已撤回   unchanged        the same from both sides

Drafts never reach the recipient. Only the word changes: filters, sorting and colours keep using
the recorded status.
"""

from django.utils.translation import gettext as _

from ..models import Reply, Suggestion

S = Suggestion.Status


def is_recipient(user, s: Suggestion) -> bool:
    return user.institution_id is not None and s.recipient_id == user.institution_id


def status_label(user, s: Suggestion, *, reply_pending: bool = False) -> str:
    """The status word for `user`; `reply_pending`: a reply of the current round awaits its head."""
    if not is_recipient(user, s):
        return s.get_status_display()
    if s.status == S.ISSUED:
        return _("待签收")
    if s.status in Suggestion.OPEN_STATES and reply_pending:
        return _("待负责人签发")
    if s.status == S.RECEIVED:
        return _("待回复")
    return s.get_status_display()


def label_rows(user, rows) -> list[Suggestion]:
    """Set `status_label` on each of `rows` for `user`, with at most one query (of the recipient's
    replies awaiting sign-off: at most one per open suggestion, so the answer stays small)."""
    rows = list(rows)
    pending: set[int] = set()
    if any(is_recipient(user, s) and s.status in Suggestion.OPEN_STATES for s in rows):
        pending = set(
            Reply.objects.filter(
                status=Reply.Status.PENDING,
                suggestion__recipient_id=user.institution_id,
                suggestion__status__in=Suggestion.OPEN_STATES,
            ).values_list("suggestion_id", flat=True)
        )
    for s in rows:
        s.status_label = status_label(user, s, reply_pending=s.pk in pending)
    return rows
