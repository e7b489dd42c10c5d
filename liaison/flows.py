"""The hub's own transitions, declared once: letters, their deliveries, ledger entries.

Services take them through `access.require` (403 for the wrong person, 409 for the wrong
state); pages render them with `{% actions obj %}`; the API's `allowed_actions` is
`workflow.api_actions`. Registered on import (LiaisonConfig.ready).
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import access, workflow
from .models import Delivery, LedgerEntry, Letter, User

LS = Letter.Status
ES = LedgerEntry.Status
T = workflow.Transition


# ----------------------------------------------------------------------------- guards


def letter_author(user, letter: Letter) -> bool:
    """Acting staff of the issuing institution (drafts, submits, shares)."""
    return access.is_acting(user) and letter.issuer_id == user.institution_id


def issuer_head(user, letter: Letter) -> bool:
    return user.role == User.Role.HEAD and letter.issuer_id == user.institution_id


def recipient_acting(user, delivery: Delivery) -> bool:
    return access.is_acting(user) and delivery.recipient_id == user.institution_id


def ledger_owner(user, entry: LedgerEntry) -> bool:
    return access.is_acting(user) and entry.owner_id == user.institution_id


def ledger_office(user, entry: LedgerEntry) -> bool:
    """Office staff overseeing the owner's region."""
    return access.is_office(user) and entry.owner.region_id in access.office_region_ids(user)


def manual_entry(entry: LedgerEntry) -> bool:
    """Closed on the ledger itself: an entry made by hand, or one a letter asks for (answered in
    person or by other means; an issued 复函 closes it by itself, services._settle_reply). Any other source (a
    suggestion, an enforcement, a decision…) settles its entry by its own transition."""
    if entry.source_type_id is None:
        return True
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_id(entry.source_type_id).model_class() is Letter


# ----------------------------------------------------------------------------- 待办 and 跟踪


def pending_letters(user, states):
    """Letters awaiting their head's sign-off: only a head queries (the guard is the head's)."""
    if user.role != User.Role.HEAD:
        return Letter.objects.none()
    return Letter.objects.filter(issuer_id=user.institution_id, status__in=states).select_related(
        "issuer", "created_by"
    )


# A copy still owes its issuer something: its receipt (签收), or, for a main recipient of a letter
# asking for a reply, its 复函 (the reply's issue settles it: Delivery.reply).
OWING = Q(signed_on__isnull=True) | Q(kind=Delivery.Kind.TO, letter__reply_by__isnull=False, reply__isnull=True)


def pending_deliveries(user, states):
    """Copies delivered to the user's institution and not signed for, or owing a reply (the inbox's index)."""
    return (
        Delivery.objects.filter(recipient_id=user.institution_id, delivered_at__isnull=False, letter__status=LS.ISSUED)
        .filter(OWING)
        .select_related("letter__issuer", "recipient")
    )


def sent_deliveries(user):
    """跟踪: copies of the letters the user's institution issued not signed for, or owing a reply.

    No visibility filter: the issuer sees its own letters in every status (`access._letters`'
    first branch), and it cost a scan of every letter with the whole OR (40 ms for an agency)."""
    return (
        Delivery.objects.filter(
            letter__issuer_id=user.institution_id,
            letter__status=LS.ISSUED,
            delivered_at__isnull=False,
        )
        .filter(OWING)
        .select_related("letter__issuer", "recipient")
    )


def delivery_due(d: Delivery):
    """The reply deadline while a main recipient owes its 复函 (shown on its 待签收 row too)."""
    return d.reply_due if d.reply_id is None else None


def reply_refusal(d: Delivery) -> str:
    if d.reply_id is not None:
        return _("本单位已对该公文复函。")
    return _("该公文未要求本单位书面回复。")


def reply_page(d: Delivery) -> str:
    """The drafting form, pre-filled: addressed to the issuer, titled 关于…的复函, linked to the letter."""
    return f"{reverse('letter_create')}?in_reply_to={d.letter.uuid}"


def source_of(letter: Letter):
    return (letter.source_type_id, letter.source_id) if letter.source_type_id else None


SOURCED_REFUSAL = _("该事项随来源记录办理：来源记录办结时台账自动办结，不能在台账上直接办结或延期（办公室可以免除）。")


# ----------------------------------------------------------------------------- letters

LETTER_FLOW = workflow.Workflow(
    Letter,
    T(
        "letter.edit",
        [LS.DRAFT],
        None,
        letter_author,
        label=_("修改草稿"),
        page="letter_edit",
        api="edit",
        style="outline-primary",
    ),
    T("letter.submit", [LS.DRAFT], LS.PENDING, letter_author, label=_("提交签发"), page="letter_submit", post=True),
    T(
        "letter.issue",
        [LS.PENDING],
        LS.ISSUED,
        issuer_head,
        label=_("签发…"),
        page="letter_issue",
        todo=_("待签发"),
    ),
    T(
        "letter.return",
        [LS.PENDING],
        LS.DRAFT,
        issuer_head,
        label=_("退回修改…"),
        page="letter_return",
        style="outline-danger",
    ),
    # Shared from the letter's page (a form choosing the institution), so no button of their own.
    T("letter.share", [LS.ISSUED], None, letter_author, label=_("共享")),
    T(
        "letter.unshare",
        [LS.ISSUED],
        None,
        letter_author,
        when=lambda letter: access.shared_institutions(letter).exists(),
        refusal=_("该公文尚未共享给其他单位。"),
        label=_("取消共享"),
    ),
    pending=pending_letters,
    part_of=source_of,
)

DELIVERY_FLOW = workflow.Workflow(
    Delivery,
    T(
        "delivery.sign",
        ["delivered"],
        None,
        recipient_acting,
        label=_("签收…"),
        page="letter_sign",
        page_of=lambda d: d.letter,
        todo=_("待签收"),
    ),
    T(
        "delivery.read",
        ["signed"],
        None,
        recipient_acting,
        label=_("标为已阅"),
        page="letter_read",
        page_of=lambda d: d.letter,
        post=True,
        style="outline-primary",
    ),
    # 复函: a main recipient of a letter asking for a reply drafts its answer once it signed for
    # it (services.delivery_reply, or a letter created with in_reply_to); owed until issued.
    T(
        "delivery.reply",
        ["signed", "read"],
        None,
        recipient_acting,
        when=lambda d: d.owes_reply,
        refusal=reply_refusal,
        label=_("复函…"),
        page=reply_page,
        todo=_("待复函"),
    ),
    state="state",
    due=delivery_due,
    pending=pending_deliveries,
    part_of=lambda d: source_of(d.letter),
    track=workflow.Track(sent=sent_deliveries, party=lambda d: d.recipient),
)

# ----------------------------------------------------------------------------- ledger

LEDGER_FLOW = workflow.Workflow(
    LedgerEntry,
    T(
        "ledger.complete",
        [ES.OPEN, ES.OVERDUE],
        ES.DONE,
        ledger_owner,
        when=manual_entry,
        refusal=SOURCED_REFUSAL,
        label=_("办结…"),
        page="ledger_complete",
        style="success",
    ),
    T(
        "ledger.extend",
        [ES.OPEN, ES.OVERDUE],
        None,
        ledger_office,
        when=manual_entry,
        refusal=SOURCED_REFUSAL,
        label=_("延期…"),
        page="ledger_extend",
        style="outline-primary",
    ),
    # 催办: a notification to the owner and optionally a 督办函 (services.ledger_urge); sourced or not.
    T(
        "ledger.urge",
        [ES.OPEN, ES.OVERDUE],
        None,
        ledger_office,
        label=_("催办…"),
        page="ledger_urge",
        style="outline-warning",
    ),
    T(
        "ledger.waive",
        [ES.OPEN, ES.OVERDUE],
        ES.WAIVED,
        ledger_office,
        label=_("免除…"),
        page="ledger_waive",
        style="outline-secondary",
    ),
)

for _flow in (LETTER_FLOW, DELIVERY_FLOW, LEDGER_FLOW):
    workflow.register(_flow)
