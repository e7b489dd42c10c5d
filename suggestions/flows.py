"""The transitions of suggestions, their replies and extension requests, declared once.

Services take them through `access.require` (403 for the wrong person, 409 for the wrong
state) and `liaison.services.move`; the detail page renders `{% actions %}` from them and the
API's `allowed_actions` is `workflow.api_actions`. Registered on import (SuggestionsConfig.ready).

Moves that are not a verb of their own are taken inside another transition: 签收 on the
letter page moves the suggestion to 已签收 (suggestion.receive's service is the same code);
sending a reply (reply.approve, or a head's suggestion.reply) moves it to 已回复; an
evaluation asking for rectification moves it on to 整改中 (suggestion.evaluate).
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison import access, workflow
from liaison.models import Institution, User

from .models import Extension, Reply, Suggestion

S = Suggestion.Status
T = workflow.Transition


# ----------------------------------------------------------------------------- guards


def issuer_acting(user, s: Suggestion) -> bool:
    return access.is_acting(user) and s.issuer_id == user.institution_id


def issuer_head(user, s: Suggestion) -> bool:
    return user.role == User.Role.HEAD and s.issuer_id == user.institution_id


def recipient_acting(user, s: Suggestion) -> bool:
    return access.is_acting(user) and s.recipient_id == user.institution_id


def recipient_head(user, s: Suggestion) -> bool:
    return user.role == User.Role.HEAD and s.recipient_id == user.institution_id


def cc_procuratorate(user, s: Suggestion) -> bool:
    """A procuratorate cc'd on a judicial suggestion may issue a linked procuratorial suggestion."""
    inst = user.institution
    return (
        access.is_acting(user)
        and inst.kind == Institution.Kind.PROCURATORATE
        and s.kind == Suggestion.Kind.JUDICIAL
        and s.cc.filter(pk=inst.pk).exists()
    )


def issuing_procuratorate(user, s: Suggestion) -> bool:
    """The procuratorate files (备案) the procuratorial suggestions it issued."""
    return access.can(user, "filing.create") and s.issuer_id == user.institution_id


# ----------------------------------------------------------------------------- conditions


def is_draft(s: Suggestion) -> bool:
    return s.status == S.DRAFT


def replied_this_round(s: Suggestion) -> bool:
    # the API's prefetched replies, or one query; a withdrawn reply leaves the round open
    return any(r.round == s.round and r.status != Reply.Status.WITHDRAWN for r in s.replies.all())


def extension_pending(s: Suggestion) -> bool:
    return any(e.status == Extension.Status.PENDING for e in s.extensions.all())


def may_ask_for_time(s: Suggestion) -> bool:
    return not replied_this_round(s) and not extension_pending(s)


def extension_refusal(s: Suggestion) -> str:
    if replied_this_round(s):
        return _("本轮已有书面回复，不能再申请延期。")
    return _("已有待审批的延期申请。")


def has_letter(s: Suggestion) -> bool:
    return s.letter_id is not None


# ----------------------------------------------------------------------------- 待办


def _inst(user):
    return user.institution_id


def pending_suggestions(user, states):
    """The suggestions in `states` that the user's institution issued or received (both indexed),
    with what the guards and conditions read (issuer, recipient, replies, extensions)."""
    return (
        Suggestion.objects.filter(Q(issuer_id=_inst(user)) | Q(recipient_id=_inst(user)), status__in=states)
        .select_related("issuer", "recipient", "letter")
        .prefetch_related("replies", "extensions")
    )


def suggestion_due(s: Suggestion):
    """A reply is due on the reply deadline; sign-off, issue, receipt and evaluation have none."""
    return s.reply_due if s.status in Suggestion.OPEN_STATES else None


def pending_replies(user, states):
    """Replies waiting for the head of the institution that received the suggestion (签发), or
    returned to their author (修改)."""
    return Reply.objects.filter(suggestion__recipient_id=_inst(user), status__in=states).select_related(
        "suggestion__recipient", "suggestion__issuer", "suggestion__letter"
    )


def returned_to(user, r: Reply) -> bool:
    """A returned reply is its author's to revise (the head's notice went to them)."""
    return r.status == Reply.Status.RETURNED and r.created_by_id == user.pk


def pending_extensions(user, states):
    """Extension requests waiting for the head of the institution that issued the suggestion."""
    return Extension.objects.filter(suggestion__issuer_id=_inst(user), status__in=states).select_related(
        "suggestion__issuer", "suggestion__recipient"
    )


# The suggestions the institution sent and still follows (跟踪): not yet received, not replied
# to (or in rectification), or replied and waiting for its evaluation.
TRACKED_STATES = (S.ISSUED, *Suggestion.OPEN_STATES, S.REPLIED)


def sent_suggestions(user):
    return (
        Suggestion.objects.visible_to(user)
        .filter(issuer_id=_inst(user), status__in=TRACKED_STATES)
        .select_related("issuer", "recipient", "letter")
        .prefetch_related("replies", "extensions")
    )


def awaiting_party(s: Suggestion):
    """Who must act: the recipient (receipt, reply), or the issuer itself (evaluation)."""
    return s.issuer if s.status == S.REPLIED else s.recipient


# ----------------------------------------------------------------------------- declarations

SUGGESTION_FLOW = workflow.Workflow(
    Suggestion,
    T(
        "suggestion.edit",
        None,
        None,
        issuer_acting,
        # the state as a condition, so a refused edit says what to do (not only the state)
        when=is_draft,
        refusal=_("只有草稿可以修改；已提交的建议请负责人退回后再修改。"),
        label=_("修改草稿"),
        page="suggestions:edit",
        style="outline-primary",
    ),
    T(
        "suggestion.submit",
        [S.DRAFT],
        S.SUBMITTED,
        issuer_acting,
        label=_("提交审批"),
        page="suggestions:submit",
        post=True,
    ),
    T(
        "suggestion.approve",
        [S.SUBMITTED],
        S.APPROVED,
        issuer_head,
        label=_("审批同意"),
        page="suggestions:approve",
        post=True,
        todo=_("待审批"),
    ),
    T(
        "suggestion.issue",
        [S.APPROVED],
        S.ISSUED,
        issuer_head,
        label=_("签发…"),
        page="suggestions:issue",
        todo=_("待签发"),
    ),
    T(
        "suggestion.return",
        [S.SUBMITTED, S.APPROVED],
        S.DRAFT,
        issuer_head,
        label=_("退回修改…"),
        page="suggestions:return",
        style="outline-danger",
    ),
    T(
        "suggestion.receive",
        [S.ISSUED],
        S.RECEIVED,
        recipient_acting,
        label=_("签收…"),
        page="suggestions:receive",
        todo=_("待签收"),
        takes="delivery.sign",  # signs for the 建议书 (on either page)
    ),
    T(
        "suggestion.reply",
        Suggestion.OPEN_STATES,
        None,  # a staff member's reply waits for the head (reply.approve); a head's is sent: 已回复
        recipient_acting,
        when=lambda s: not replied_this_round(s),
        refusal=_("本轮已有书面回复，不能重复回复。"),
        label=_("书面回复…"),
        page="suggestions:reply",
        todo=_("待回复"),
    ),
    T(
        "suggestion.request_extension",
        Suggestion.OPEN_STATES,
        None,
        recipient_acting,
        when=may_ask_for_time,
        refusal=extension_refusal,
        label=_("申请延期…"),
        page="suggestions:extension_request",
        style="outline-primary",
    ),
    T(
        "suggestion.evaluate",
        [S.REPLIED],
        S.EVALUATED,  # or on to 整改中 when rectification is asked for
        issuer_acting,
        label=_("评价办理情况…"),
        page="suggestions:evaluate",
        todo=_("待评价"),
    ),
    T(
        "suggestion.link",
        Suggestion.SENT_STATES,
        None,  # a new procuratorial suggestion (suggestion_create with linked_from)
        cc_procuratorate,
        label=_("签发关联检察建议…"),
        page=lambda s: f"{reverse('suggestions:create')}?linked_from={s.uuid}",
        style="outline-primary",
    ),
    T(
        "suggestion.file",
        [*Suggestion.SENT_STATES, S.WITHDRAWN],
        None,  # a new Filing (filing_create with the suggestion)
        issuing_procuratorate,
        when=has_letter,
        refusal=_("尚未发出的建议不能备案。"),
        label=_("备案…"),
        page=lambda s: f"{reverse('suggestions:filing_create')}?suggestion={s.uuid}",
        style="outline-primary",
    ),
    T(
        "suggestion.withdraw",
        [S.DRAFT, S.SUBMITTED, S.APPROVED, S.ISSUED],
        S.WITHDRAWN,
        issuer_head,
        label=_("撤回…"),
        page="suggestions:withdraw",
        style="outline-danger",
    ),
    pending=pending_suggestions,
    due=suggestion_due,
    # a reply drafted but not yet signed off by the recipient's head: still 待回复 for the issuer
    track=workflow.Track(sent=sent_suggestions, party=awaiting_party, step=lambda s: _("待回复")),
)


def _reply_page(name):
    return lambda r: reverse(f"suggestions:{name}", kwargs={"uuid": r.suggestion.uuid, "reply_uuid": r.uuid})


REPLY_FLOW = workflow.Workflow(
    Reply,
    # Staff edit a reply awaiting sign-off, or one the head returned (it goes back to the head).
    T(
        "reply.edit",
        Reply.OPEN_STATES,
        Reply.Status.PENDING,
        lambda user, r: recipient_acting(user, r.suggestion),
        label=_("修改回复…"),
        api="edit-reply",
        page=_reply_page("reply_edit"),
        style="outline-primary",
        # a duty once the head returned it, of its author (who was told why): until resubmitted or withdrawn
        todo=_("待修改回复"),
        todo_when=returned_to,
    ),
    T(
        "reply.return",
        [Reply.Status.PENDING],
        Reply.Status.RETURNED,
        lambda user, r: recipient_head(user, r.suggestion),
        label=_("退回修改…"),
        api="return-reply",
        page=_reply_page("reply_return"),
        style="outline-danger",
    ),
    # Withdrawn before it is sent: the round is open again for a new reply.
    T(
        "reply.withdraw",
        Reply.OPEN_STATES,
        Reply.Status.WITHDRAWN,
        lambda user, r: recipient_acting(user, r.suggestion),
        label=_("撤回回复…"),
        api="withdraw-reply",
        page=_reply_page("reply_withdraw"),
        style="outline-danger",
    ),
    T(
        "reply.approve",
        [Reply.Status.PENDING],
        Reply.Status.SENT,  # numbered, sent as a letter; the suggestion moves to 已回复
        lambda user, r: recipient_head(user, r.suggestion),
        label=_("签发回复…"),
        api="approve-reply",
        page=_reply_page("reply_approve"),
        todo=_("待签发回复"),
    ),
    pending=pending_replies,
    due=lambda r: r.suggestion.reply_due,
)

EXTENSION_FLOW = workflow.Workflow(
    Extension,
    T(
        "extension.decide",
        [Extension.Status.PENDING],
        None,  # approved (the deadline moves) or refused, as decided
        lambda user, e: issuer_head(user, e.suggestion),
        label=_("审批延期申请…"),
        api="decide-extension",
        page=lambda e: reverse(
            "suggestions:extension_decide", kwargs={"uuid": e.suggestion.uuid, "extension_uuid": e.uuid}
        ),
        todo=_("待审批延期"),
    ),
    pending=pending_extensions,
    due=lambda e: e.suggestion.reply_due,
)

FLOWS = [SUGGESTION_FLOW, REPLY_FLOW, EXTENSION_FLOW]
for _flow in FLOWS:
    workflow.register(_flow)


def api_actions(user, s: Suggestion) -> list[str]:
    """The suggestion's `allowed_actions`: its own transitions and those of its pending reply and
    extension request (taken through the suggestion's API: approve-reply, decide-extension)."""
    actions = workflow.api_actions(user, s)
    for sub in (*s.replies.all(), *s.extensions.all()):
        actions += workflow.api_actions(user, sub)
    return actions
