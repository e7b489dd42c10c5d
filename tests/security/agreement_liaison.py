"""The hub's records for the agreement test (tests/security/test_agreement.py): letters in every
state, deliveries in every receipt state, ledger entries manual and sourced, open, overdue and
closed. Every attempt calls the real service, so "the service accepts it" is what it does."""

import datetime as dt

from django.utils import timezone

from liaison import services
from liaison.models import Delivery, LedgerEntry, Letter


def _letter(world, title, cc=True, reply_by=None):
    """cc=False for a delivery's subject: its letter's page and API offer the viewer's own
    delivery's actions, so another recipient's would be offered there under the same verb."""
    return services.letter_create(
        by=world["court_clerk"],
        title=title,
        body="请予协助。",
        addressees=[world["agency_staff"].institution],
        cc=[world["gov_legal"].institution] if cc else [],
        reply_by=reply_by,
    )


def _entry(owner, title, *, source=None, days=30):
    return services.ledger_open(
        owner=owner, title=title, start_date=timezone.localdate() - dt.timedelta(days=5), period=days, source=source
    )


def subjects(world):
    """(name, record) in every state the hub's transitions start from or end in."""
    clerk, head = world["court_clerk"], world["court_head"]
    draft = _letter(world, "协助函（草稿）")
    pending = services.letter_submit(letter=_letter(world, "协助函（待签发）"), by=clerk)
    issued = services.letter_issue(
        letter=services.letter_submit(letter=_letter(world, "协助函（已发出）"), by=clerk), by=head
    )
    delivered_letter = services.letter_issue(
        letter=services.letter_submit(letter=_letter(world, "协助函（待签收）", cc=False), by=clerk), by=head
    )
    delivered = delivered_letter.deliveries.get(recipient=world["agency_staff"].institution)
    signed_letter = services.letter_issue(
        letter=services.letter_submit(letter=_letter(world, "协助函（已签收）", cc=False), by=clerk), by=head
    )
    signed = services.delivery_sign(
        delivery=signed_letter.deliveries.get(recipient=world["agency_staff"].institution), by=world["agency_staff"]
    )
    read_letter = services.letter_issue(
        letter=services.letter_submit(letter=_letter(world, "协助函（已阅）", cc=False), by=clerk), by=head
    )
    read = services.delivery_mark_read(
        delivery=services.delivery_sign(
            delivery=read_letter.deliveries.get(recipient=world["agency_staff"].institution), by=world["agency_staff"]
        ),
        by=world["agency_staff"],
    )
    # a letter asking for a reply: signed for and owing its 复函, and one whose 复函 is issued
    asking, answered = (
        services.letter_issue(
            letter=services.letter_submit(
                letter=_letter(world, title, cc=False, reply_by=timezone.localdate() + dt.timedelta(days=10)), by=clerk
            ),
            by=head,
        )
        for title in ("协助函（待复函）", "协助函（已复函）")
    )
    owing = services.delivery_sign(delivery=asking.deliveries.get(), by=world["agency_staff"])
    services.delivery_sign(delivery=answered.deliveries.get(), by=world["agency_staff"])
    reply = services.delivery_reply(delivery=answered.deliveries.get(), by=world["agency_staff"])
    services.letter_issue(
        letter=services.letter_submit(letter=reply, by=world["agency_staff"]), by=world["agency_head"]
    )
    owner = world["agency_staff"].institution
    manual = _entry(owner, "手工事项")
    overdue = _entry(owner, "逾期手工事项", days=2)
    LedgerEntry.objects.filter(pk=overdue.pk).update(status=LedgerEntry.Status.OVERDUE)
    sourced = _entry(owner, "随来源办结的事项", source=world["office"].institution)
    letter_sourced = _entry(owner, "答复来函", source=issued)
    done = _entry(owner, "已办结事项")
    services.ledger_complete(entry=done, by=world["agency_staff"], evidence="已办结")
    manual_plan = services.ledger_create(
        by=world["office"],
        owner=owner,
        title="工作方案事项",
        clause="四(二)3",
        due_date=timezone.localdate() + dt.timedelta(days=20),
    )
    waived = _entry(owner, "已免除事项")
    services.ledger_waive(entry=waived, by=world["office"], reason="不再办理")
    return [
        ("letter:draft", Letter.objects.get(pk=draft.pk)),
        ("letter:pending", Letter.objects.get(pk=pending.pk)),
        ("letter:issued", Letter.objects.get(pk=issued.pk)),
        ("delivery:delivered", Delivery.objects.get(pk=delivered.pk)),
        ("delivery:signed", Delivery.objects.get(pk=signed.pk)),
        ("delivery:read", Delivery.objects.get(pk=read.pk)),
        ("delivery:owes-reply", Delivery.objects.get(pk=owing.pk)),
        ("delivery:replied", Delivery.objects.get(letter=answered)),
        ("ledger:open-manual", LedgerEntry.objects.get(pk=manual.pk)),
        ("ledger:overdue-manual", LedgerEntry.objects.get(pk=overdue.pk)),
        ("ledger:open-sourced", LedgerEntry.objects.get(pk=sourced.pk)),
        ("ledger:open-letter-sourced", LedgerEntry.objects.get(pk=letter_sourced.pk)),
        ("ledger:open-work-plan", LedgerEntry.objects.get(pk=manual_plan.pk)),
        ("ledger:done", LedgerEntry.objects.get(pk=done.pk)),
        ("ledger:waived", LedgerEntry.objects.get(pk=waived.pk)),
    ]


def _share(user, letter):
    from liaison.models import Institution

    other = Institution.objects.exclude(pk=letter.issuer_id).filter(kind=Institution.Kind.PROCURATORATE).first()
    services.letter_share(letter=letter, institution=other, by=user)


def _unshare(user, letter):
    from liaison.models import Institution

    other = Institution.objects.exclude(pk=letter.issuer_id).filter(kind=Institution.Kind.PROCURATORATE).first()
    services.letter_unshare(letter=letter, institution=other, by=user)


ATTEMPT = {
    "letter.edit": lambda user, letter: services.letter_update(letter=letter, by=user, title="改后的标题"),
    "letter.submit": lambda user, letter: services.letter_submit(letter=letter, by=user),
    "letter.issue": lambda user, letter: services.letter_issue(letter=letter, by=user),
    "letter.return": lambda user, letter: services.letter_return(letter=letter, by=user, reason="请修改"),
    "letter.share": _share,
    "letter.unshare": _unshare,
    "delivery.sign": lambda user, d: services.delivery_sign(delivery=d, by=user),
    "delivery.read": lambda user, d: services.delivery_mark_read(delivery=d, by=user),
    "delivery.reply": lambda user, d: services.delivery_reply(delivery=d, by=user),
    "ledger.complete": lambda user, e: services.ledger_complete(entry=e, by=user, evidence="已办结"),
    "ledger.extend": lambda user, e: services.ledger_extend(entry=e, by=user, days=10, reason="延期"),
    "ledger.waive": lambda user, e: services.ledger_waive(entry=e, by=user, reason="免除"),
    "ledger.urge": lambda user, e: services.ledger_urge(entry=e, by=user, message="请抓紧办理"),
}


def _letter_of(obj):
    return obj.letter if isinstance(obj, Delivery) else obj


def page_url(obj):
    """The page that shows the record's buttons (a delivery's are on its letter's page)."""
    if isinstance(obj, LedgerEntry):
        return f"/ledger/{obj.uuid}/"
    return f"/letters/{_letter_of(obj).uuid}/"


def api_url(obj):
    """The API detail whose `allowed_actions` lists the record's actions."""
    if isinstance(obj, LedgerEntry):
        return f"/api/v1/ledger/{obj.uuid}/"
    return f"/api/v1/letters/{_letter_of(obj).uuid}/"
