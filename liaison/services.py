"""Writes for the shared domain. Every state change is atomic and audited in the same transaction."""

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import access, i18n, uploads
from .calendar import compute_deadline
from .errors import Conflict
from .i18n import Msg, in_site_language
from .models import (
    Attachment,
    AuditEntry,
    Delivery,
    DocumentCounter,
    HolidayOverride,
    Inspection,
    Institution,
    LedgerEntry,
    Letter,
    Notification,
    User,
)
from .uploads import sanitize_filename  # noqa: F401 (hub.sanitize_filename, the apps' name for it)

# ----------------------------------------------------------------------------- audit


def audit(*, actor, action: str, target=None, before: dict | None = None, after: dict | None = None) -> AuditEntry:
    """Write one audit entry. Call inside the transaction that makes the change (after it: every
    change of a record is audited, so this is also where the notifications that waited for an
    action on it settle themselves)."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    if target is not None and getattr(target, "pk", None) is not None:
        settle_notifications(target)
    return AuditEntry.objects.create(
        actor=actor_obj,
        actor_name=(actor_obj.get_username() if actor_obj else "system"),
        institution_id=getattr(actor_obj, "institution_id", None),
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=getattr(target, "pk", None),
        # The log names its record in the site's language, whatever the actor reads (a ledger
        # entry's or notification's str() follows the reader's language).
        target_repr=_site_repr(target),
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
    )


def _site_repr(target) -> str:
    if target is None:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        return str(target)[:200]


def move(obj, *, by, action: str, target: str, update_fields=None, after: dict | None = None):
    """Save `obj` in state `target` and audit the move: the status it left, the one it entered and
    whatever else `after` names. The caller has locked the row and checked the state it expects."""
    before = obj.status
    obj.status = target
    obj.save(update_fields=update_fields)
    audit(actor=by, action=action, target=obj, before={"status": before}, after={"status": target, **(after or {})})
    return obj


def _jsonable(data: dict) -> dict:
    out = {}
    for key, value in data.items():
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        elif hasattr(value, "pk"):
            value = str(value)
        out[key] = value
    return out


# ----------------------------------------------------------------------------- notifications


def notify(
    *,
    users: Iterable[User],
    kind: str,
    title: i18n.Msg | str,
    key: str,
    body: str = "",
    url: str = "",
    about=None,
    awaits: str = "",
) -> int:
    """Create one notification per user and key (a second call with the same key adds nothing).

    A notification that asks its user to act names the record (`about`) and the transition it waits
    for (`awaits`, a verb of the record's workflow, e.g. "suggestion.approve"): it settles itself
    once that transition is no longer open to the user (`settle_notifications`).

    The title is a `Msg` (its msgid and parameters, shown in each reader's language); a plain
    string is fixed text shown as it is."""
    if awaits and about is None:
        raise ValueError("a notification that awaits an action names its record (about=)")
    # A title built from user text (a 200-character class title and its place) may be longer
    # than the column: shortened rather than fail the change that notifies (PostgreSQL refuses).
    title, message = i18n.stored_text(title, limit=Notification._meta.get_field("title").max_length)
    subject = {}
    if about is not None:
        subject = {
            "subject_type": ContentType.objects.get_for_model(about),
            "subject_id": about.pk,
            "awaits": awaits,
            "while_state": str(getattr(about, "status", "") or ""),
        }
    created = []
    for user in users:
        if Notification.objects.filter(user=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        user=user,
                        kind=kind,
                        title=title,
                        message=message,
                        body=body,
                        url=url,
                        key=key,
                        **subject,
                    )
                )
        except IntegrityError:
            continue
    ids = [n.pk for n in created if n.user.email]
    if ids:
        from .tasks import send_notification_emails

        transaction.on_commit(lambda: send_notification_emails.delay(ids))
    return len(created)


def _still_awaited(notification: Notification, obj) -> bool:
    """The record is still in the state it was in when it asked, and (for a declared transition)
    the transition is still open to the user."""
    from . import workflow

    if notification.while_state and str(getattr(obj, "status", "") or "") != notification.while_state:
        return False
    if workflow.find(notification.awaits) is None:
        return True
    return workflow.allowed(notification.user, notification.awaits, obj)


def settle_notifications(obj) -> int:
    """Settle the open notifications that wait for an action on `obj` which their user can no
    longer take (someone entitled took it, or the record moved on): marked read and 已办理, so
    the bell counts only what still asks for an action. Called by `audit` on every change."""
    waiting = list(
        Notification.objects.filter(
            subject_type=ContentType.objects.get_for_model(obj), subject_id=obj.pk, settled_at__isnull=True
        )
        .exclude(awaits="")
        .select_related("user")
    )
    done = [n.pk for n in waiting if not _still_awaited(n, obj)]
    if done:
        now = timezone.now()
        Notification.objects.filter(pk__in=done).update(settled_at=now, read_at=Coalesce("read_at", Value(now)))
    return len(done)


def notify_institution(*, institution: Institution, roles=None, **kwargs) -> int:
    return notify(users=list(access.institution_users(institution, roles)), **kwargs)


def notification_mark_read(*, notification: Notification, by) -> None:
    if notification.user_id != by.pk:
        raise access.PermissionDenied("notification.read")
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


# ----------------------------------------------------------------------------- letters


def _require_addressees(addressees: list[Institution], cc: list[Institution]) -> None:
    if not addressees:
        raise ValidationError({"addressees": [_("请至少选择一个主送机关。")]})
    overlap = {i.pk for i in addressees} & {i.pk for i in cc}
    if overlap:
        raise ValidationError({"cc": [_("同一机关不能既是主送又是抄送。")]})


def _set_deliveries(letter: Letter, addressees: list[Institution], cc: list[Institution]) -> None:
    letter.deliveries.all().delete()
    rows = [
        Delivery(letter=letter, recipient=inst, kind=Delivery.Kind.TO, position=i) for i, inst in enumerate(addressees)
    ]
    rows += [
        Delivery(letter=letter, recipient=inst, kind=Delivery.Kind.CC, position=len(addressees) + i)
        for i, inst in enumerate(cc)
    ]
    Delivery.objects.bulk_create(rows)


def clean_text(value: str, field: str, *, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: [_("此项为必填项。")]})
    if len(value) > max_length:
        raise ValidationError({field: [_("不能超过 %(n)d 字，现在是 %(m)d 字。") % {"n": max_length, "m": len(value)}]})
    return value


def _check_reply_by(reply_by: dt.date | None) -> dt.date | None:
    """A new deadline for a reply: not in the past (the letter is issued today at the latest, and its
    issue checks the date again against the 成文日期)."""
    if reply_by is not None and reply_by < timezone.localdate():
        raise ValidationError({"reply_by": [_("要求回复日期不能早于今天。")]})
    return reply_by


def reply_delivery(*, letter: Letter, by: User) -> Delivery:
    """The copy of `letter` the drafter's institution received, which its 复函 answers: a letter
    it did not receive (not issued, not addressed to it) cannot be answered (a field error)."""
    delivery = (
        Delivery.objects.select_related("letter", "recipient")
        .filter(letter=letter, recipient_id=by.institution_id, letter__status=Letter.Status.ISSUED)
        .first()
    )
    if delivery is None:
        raise ValidationError({"in_reply_to": [_("本单位没有收到该公文，不能对其复函。")]})
    return delivery


@in_site_language
def reply_title(letter: Letter) -> str:
    """关于规范执法程序的函 → 关于规范执法程序的复函: the subject once, then the kind."""
    subject = re.sub(r"^关于", "", letter.title.strip())
    subject = re.sub(r"的(督办函|函|通知|请示|报告|建议)$", "", subject)
    return f"关于{subject[:190]}的复函"


@transaction.atomic
def letter_create(
    *,
    by: User,
    title: str,
    body: str,
    addressees: list[Institution],
    cc: list[Institution] = (),
    series: str = Letter.Series.HAN,
    signatory: str = "",
    urgency: str = "",
    source=None,
    reply_by: dt.date | None = None,
    in_reply_to: Letter | None = None,
) -> Letter:
    """A draft. `in_reply_to`: the letter this one answers (a 复函): the drafter's institution must
    have received it (400 otherwise) and may answer it now (delivery.reply: 403, then 409); its
    issuer is among the addressees."""
    access.require(by, "letter.create")
    cc = list(cc)
    addressees = list(addressees)
    _require_addressees(addressees, cc)
    if series not in Letter.Series.values:
        raise ValidationError({"series": [_("无效的文种。")]})
    if in_reply_to is not None:
        access.require(by, "delivery.reply", reply_delivery(letter=in_reply_to, by=by))
        if in_reply_to.issuer_id not in {i.pk for i in addressees}:
            raise ValidationError({"addressees": [_("复函应主送来文机关（%(i)s）。") % {"i": in_reply_to.issuer.name}]})
        series = Letter.Series.FU
    letter = Letter.objects.create(
        issuer=by.institution,
        series=series,
        title=clean_text(title, "title", max_length=200),
        body=clean_text(body, "body", max_length=50000),
        signatory=clean_text(signatory, "signatory", max_length=100, required=False),
        urgency=urgency,
        created_by=by,
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=getattr(source, "pk", None),
        reply_by=_check_reply_by(reply_by),
        in_reply_to=in_reply_to,
    )
    _set_deliveries(letter, addressees, cc)
    after = {"title": letter.title, "status": letter.status}
    if in_reply_to is not None:
        after["in_reply_to"] = str(in_reply_to)
    audit(actor=by, action="letter.create", target=letter, after=after)
    return letter


@transaction.atomic
def delivery_reply(*, delivery: Delivery, by: User, title: str = "", body: str = "") -> Letter:
    """复函: a draft answering the letter of `delivery` (the recipient's own copy), addressed to its
    issuer, titled 关于…的复函 unless a title is given. Settled when the draft is issued."""
    delivery = Delivery.objects.select_related("letter__issuer").get(pk=delivery.pk)
    access.require(by, "delivery.reply", delivery)
    letter = delivery.letter
    return letter_create(
        by=by,
        title=title or reply_title(letter),
        body=body or Msg(gettext_noop("%(n)s收悉。现答复如下："), n=letter.doc_number).stored(),
        addressees=[letter.issuer],
        series=Letter.Series.FU,
        in_reply_to=letter,
    )


@transaction.atomic
def letter_update(
    *,
    letter: Letter,
    by: User,
    title=None,
    body=None,
    addressees=None,
    cc=None,
    signatory=None,
    urgency=None,
    series=None,
    reply_by=...,
) -> Letter:
    """Change a draft; `reply_by=None` clears the reply deadline (omitted: kept)."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    access.require(by, "letter.edit", letter)
    if letter.status != Letter.Status.DRAFT:
        raise Conflict(_("只有草稿可以修改。"))
    before = {"title": letter.title}
    if title is not None:
        letter.title = clean_text(title, "title", max_length=200)
    if body is not None:
        letter.body = clean_text(body, "body", max_length=50000)
    if signatory is not None:
        letter.signatory = clean_text(signatory, "signatory", max_length=100, required=False)
    if urgency is not None:
        letter.urgency = urgency
    if series is not None:
        if series not in Letter.Series.values:
            raise ValidationError({"series": [_("无效的文种。")]})
        letter.series = series
    if letter.in_reply_to_id is not None:
        letter.series = Letter.Series.FU  # a 复函 stays one
    if reply_by is not ... and reply_by != letter.reply_by:
        letter.reply_by = _check_reply_by(reply_by)
    letter.save()
    if addressees is not None or cc is not None:
        current_to = addressees if addressees is not None else letter.addressees()
        current_cc = cc if cc is not None else letter.cc()
        _require_addressees(list(current_to), list(current_cc))
        if letter.in_reply_to_id is not None and letter.in_reply_to.issuer_id not in {i.pk for i in current_to}:
            raise ValidationError(
                {"addressees": [_("复函应主送来文机关（%(i)s）。") % {"i": letter.in_reply_to.issuer.name}]}
            )
        _set_deliveries(letter, list(current_to), list(current_cc))
    audit(actor=by, action="letter.update", target=letter, before=before, after={"title": letter.title})
    return letter


def _transition(letter: Letter, *, by, verb: str, target: str) -> tuple[Letter, str]:
    """Lock the letter and check the declared transition on the locked row (403, then 409)."""
    locked = Letter.objects.select_for_update().get(pk=letter.pk)
    access.require(by, verb, locked)
    previous = locked.status
    locked.status = target
    return locked, previous


@transaction.atomic
def letter_submit(*, letter: Letter, by: User) -> Letter:
    letter, previous = _transition(letter, by=by, verb="letter.submit", target=Letter.Status.PENDING)
    letter.submitted_at = timezone.now()
    letter.save(update_fields=["status", "submitted_at"])
    audit(actor=by, action="letter.submit", target=letter, before={"status": previous}, after={"status": letter.status})
    heads = access.institution_users(letter.issuer, roles=[User.Role.HEAD])
    notify(
        users=heads,
        kind="letter.pending",
        title=Msg(gettext_noop("待签发：%(t)s"), t=letter.title),
        key=f"letter.pending:{letter.uuid}:{letter.submitted_at.timestamp():.0f}",
        url=letter.get_absolute_url(),
        about=letter,
        awaits="letter.issue",
    )
    return letter


@transaction.atomic
def letter_return(*, letter: Letter, by: User, reason: str) -> Letter:
    letter, previous = _transition(letter, by=by, verb="letter.return", target=Letter.Status.DRAFT)
    reason = clean_text(reason, "reason", max_length=500)
    letter.save(update_fields=["status"])
    audit(
        actor=by,
        action="letter.return",
        target=letter,
        before={"status": previous},
        after={"status": letter.status, "reason": reason},
    )
    notify(
        users=[letter.created_by],
        kind="letter.returned",
        title=Msg(gettext_noop("退回修改：%(t)s"), t=letter.title),
        body=reason,
        key=f"letter.returned:{letter.uuid}:{timezone.now().timestamp():.0f}",
        url=letter.get_absolute_url(),
    )
    return letter


def allocate_number(*, issuer: Institution, series: str, year: int) -> int:
    """Next number for issuer/series/year. Must run inside the issuing transaction so a rollback frees it."""
    try:
        with transaction.atomic():
            counter, _ = DocumentCounter.objects.select_for_update().get_or_create(
                issuer=issuer, series=series, year=year
            )
    except IntegrityError:
        # Another transaction created the row first; now it exists, so lock it.
        counter = DocumentCounter.objects.select_for_update().get(issuer=issuer, series=series, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def format_doc_number(issuer: Institution, series: str, year: int, number: int) -> str:
    return f"{issuer.code}{Letter.SERIES_MARK[series]}〔{year}〕{number}号"


@transaction.atomic
def letter_issue(*, letter: Letter, by: User, issued_on: dt.date | None = None) -> Letter:
    """Head sign-off: number the letter, deliver it to every addressee and cc, and render its PDF."""
    letter, previous = _transition(letter, by=by, verb="letter.issue", target=Letter.Status.ISSUED)
    today = timezone.localdate()
    issued_on = issued_on or today
    if issued_on > today:
        raise ValidationError({"issued_on": [_("成文日期不能晚于今天。")]})
    if letter.reply_by is not None and letter.reply_by < issued_on:
        raise ValidationError(
            {
                "issued_on": [
                    _("要求回复日期（%(d)s）早于成文日期，请退回修改要求回复日期。")
                    % {"d": letter.reply_by.isoformat()}
                ]
            }
        )
    letter.year = issued_on.year
    letter.number = allocate_number(issuer=letter.issuer, series=letter.series, year=letter.year)
    letter.doc_number = format_doc_number(letter.issuer, letter.series, letter.year, letter.number)
    letter.issued_on = issued_on
    letter.issued_at = timezone.now()
    letter.signed_off_by = by
    letter.save()
    now = timezone.now()
    letter.deliveries.update(delivered_at=now)
    audit(
        actor=by,
        action="letter.issue",
        target=letter,
        before={"status": previous},
        after={"status": letter.status, "doc_number": letter.doc_number},
    )
    for delivery in letter.deliveries.select_related("recipient"):
        notify_institution(
            institution=delivery.recipient,
            roles=list(access.ACTING_ROLES),
            kind="letter.received",
            title=Msg(gettext_noop("收文：%(n)s %(t)s"), n=letter.doc_number, t=letter.title),
            key=f"letter.received:{delivery.uuid}",
            url=letter.get_absolute_url(),
        )
    if letter.in_reply_to_id is not None:
        _settle_reply(letter, by=by)
    from .signals import letter_issued

    letter_issued.send(sender=Letter, letter=letter, by=by)
    from .tasks import render_letter_pdf

    transaction.on_commit(lambda: render_letter_pdf.delay(letter.pk))
    return letter


def _settle_reply(reply: Letter, *, by: User) -> None:
    """An issued 复函 settles its institution's debt on the letter it answers (the first one issued)."""
    answered = reply.in_reply_to
    settled = Delivery.objects.filter(letter_id=answered.pk, recipient_id=reply.issuer_id, reply__isnull=True).update(
        reply=reply
    )
    if not settled:
        return
    # the ledger entry the letter opened for this recipient (答复来函) is done by the same step
    ledger_close_for_source(
        source=answered,
        owner=reply.issuer,
        evidence=_("复函 %(n)s") % {"n": reply.doc_number},
        done_on=reply.issued_on,
        by=by,
    )
    audit(
        actor=by,
        action="delivery.reply",
        target=answered,
        after={"recipient": str(reply.issuer), "reply": reply.doc_number},
    )
    notify_institution(
        institution=answered.issuer,
        roles=list(access.ACTING_ROLES),
        kind="letter.replied",
        title=Msg(
            gettext_noop("%(r)s 已复函 %(n)s：%(m)s"),
            r=reply.issuer.short_name,
            n=answered.doc_number,
            m=reply.doc_number,
        ),
        key=f"letter.replied:{reply.uuid}",
        url=reply.get_absolute_url(),
    )


def store_letter_pdf(*, letter_id: int, pdf_bytes: bytes) -> bool:
    """Attach the rendered PDF once; a second render of the same letter changes nothing."""
    from django.core.files.base import ContentFile

    with transaction.atomic():
        letter = Letter.objects.select_for_update().filter(pk=letter_id, status=Letter.Status.ISSUED).first()
        if letter is None or letter.pdf_sha256:
            return False
        digest = hashlib.sha256(pdf_bytes).hexdigest()
        letter.pdf.save(f"{letter.uuid}.pdf", ContentFile(pdf_bytes), save=False)
        letter.pdf_sha256 = digest
        letter.save(update_fields=["pdf", "pdf_sha256"])
        audit(actor=None, action="letter.pdf", target=letter, after={"sha256": digest})
    return True


@transaction.atomic
def delivery_sign(*, delivery: Delivery, by: User, signed_on: dt.date | None = None) -> Delivery:
    """签收. The date may be entered for paper delivery; never in the future nor before issue."""
    delivery = Delivery.objects.select_for_update().select_related("letter").get(pk=delivery.pk)
    if delivery.signed_on and access.can(by, "delivery.sign", delivery):
        raise Conflict(_("该公文已于 %(d)s 签收。") % {"d": delivery.signed_on.isoformat()})
    access.require(by, "delivery.sign", delivery)
    today = timezone.localdate()
    signed_on = signed_on or today
    if signed_on > today:
        raise ValidationError({"signed_on": [_("签收日期不能晚于今天。")]})
    if delivery.letter.issued_on and signed_on < delivery.letter.issued_on:
        raise ValidationError({"signed_on": [_("签收日期不能早于成文日期。")]})
    delivery.signed_on = signed_on
    delivery.signed_at = timezone.now()
    delivery.signed_by = by
    delivery.save(update_fields=["signed_on", "signed_at", "signed_by"])
    audit(
        actor=by,
        action="delivery.sign",
        target=delivery.letter,
        after={"recipient": str(delivery.recipient), "signed_on": signed_on},
    )
    from .signals import delivery_signed

    delivery_signed.send(sender=Delivery, delivery=delivery, by=by)
    notify_institution(
        institution=delivery.letter.issuer,
        roles=list(access.ACTING_ROLES),
        kind="letter.signed",
        title=Msg(gettext_noop("%(r)s 已签收 %(n)s"), r=delivery.recipient.short_name, n=delivery.letter.doc_number),
        key=f"letter.signed:{delivery.uuid}",
        url=delivery.letter.get_absolute_url(),
    )
    return delivery


@transaction.atomic
def delivery_mark_read(*, delivery: Delivery, by: User) -> Delivery:
    delivery = Delivery.objects.select_for_update().select_related("letter").get(pk=delivery.pk)
    if delivery.signed_on is None and access.can(by, "delivery.read", delivery):
        raise Conflict(_("请先签收，再标为已阅。"))
    access.require(by, "delivery.read", delivery)
    updated = Delivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(read_at=timezone.now(), read_by=by)
    if updated:
        audit(actor=by, action="delivery.read", target=delivery.letter, after={"recipient": str(delivery.recipient)})
    delivery.refresh_from_db()
    return delivery


@transaction.atomic
def letter_share(*, letter: Letter, institution: Institution, by: User) -> None:
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    access.require(by, "letter.share", letter)
    if institution.pk == letter.issuer_id:
        raise ValidationError({"institution": [_("不能共享给本单位。")]})
    access.share(letter, institution)
    audit(actor=by, action="letter.share", target=letter, after={"institution": str(institution)})


@transaction.atomic
def letter_unshare(*, letter: Letter, institution: Institution, by: User) -> None:
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    access.require(by, "letter.unshare", letter)
    access.unshare(letter, institution)
    audit(actor=by, action="letter.unshare", target=letter, before={"institution": str(institution)})


# ----------------------------------------------------------------------------- uploads

# Sniffed from the content, never trusted from the name.
ALLOWED_UPLOADS = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    # .docx / .xlsx are ZIP containers
    "application/zip": (b"PK\x03\x04",),
}


def sniff_content_type(head: bytes) -> str | None:
    for ctype, magics in ALLOWED_UPLOADS.items():
        if any(head.startswith(m) for m in magics):
            return ctype
    return None


# The names of the files stored inside the current `atomic_with_files` block.
_STORED: ContextVar[list | None] = ContextVar("liaison_stored_files", default=None)


@contextmanager
def atomic_with_files():
    """`transaction.atomic` for a write that stores attachments (a record and its files in one
    submission): when it rolls back (a later file or field refused, a conflict) the files stored
    inside it are deleted too: the rows go with the transaction, files on disk would not.
    Also a decorator: `@hub.atomic_with_files()`."""
    outer = _STORED.get()
    stored = outer if outer is not None else []
    start = len(stored)
    token = _STORED.set(stored)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        storage = Attachment._meta.get_field("file").storage
        for name in stored[start:]:
            storage.delete(name)
        del stored[start:]
        raise
    finally:
        _STORED.reset(token)


def _store_attachment(*, by: User, upload, target, checked=None, **owner) -> Attachment:
    """Check an upload (unless `checked` by `uploads.check`) and store it under a random name,
    for a letter or a record (`owner`); audited on `target`."""
    name, kind = checked or uploads.check(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    att = Attachment(name=name, content_type=kind.content_type, size=upload.size, sha256=digest.hexdigest(), **owner)
    att.file.save("upload", upload, save=False)
    stored = _STORED.get()
    if stored is not None:
        stored.append(att.file.name)
    try:
        att.save()
        audit(actor=by, action="attachment.add", target=target, after={"name": att.name, "sha256": att.sha256})
    except Exception:
        att.file.delete(save=False)
        raise
    return att


@transaction.atomic
def attachment_add(*, letter: Letter, by: User, upload) -> Attachment:
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    access.require(by, "letter.edit", letter)
    if letter.status != Letter.Status.DRAFT:
        raise Conflict(_("只有草稿可以添加附件。"))
    uploads.check_count(letter.attachments.count(), 1)
    return _store_attachment(by=by, upload=upload, target=letter, letter=letter)


def attachment_add_to_record(*, record, by: User, upload, verb: str, audit_on=None) -> Attachment:
    """Attach a file to a record that will become a letter (a suggestion's draft, a pending reply):
    the same upload rules as a letter's; `verb` (the record's edit transition) decides who may and
    when (403, then 409). The caller has locked the record."""
    return attachments_add_to_record(record=record, by=by, files=[upload], verb=verb, audit_on=audit_on)[0]


@atomic_with_files()
def attachments_add_to_record(*, record, by: User, files: Iterable, verb: str, audit_on=None) -> list[Attachment]:
    """Several files for a record in one submission, all or none: the count, and each file's size
    and content, are checked before any is stored (a refusal names the file); `verb` as in
    `attachment_add_to_record`. Inside the caller's `atomic_with_files`, the files go if it rolls back."""
    access.require(by, verb, record)
    files = list(files)
    if not files:
        return []
    uploads.check_count(record_attachments(record).count(), len(files))
    checked = uploads.check_files(files)
    owner = {"record_type": ContentType.objects.get_for_model(record), "record_id": record.pk}
    target = audit_on if audit_on is not None else record
    return [
        _store_attachment(by=by, upload=upload, target=target, checked=check, **owner)
        for upload, check in zip(files, checked, strict=True)
    ]


@transaction.atomic
def attachment_remove_from_record(*, record, attachment: Attachment, by: User, verb: str, audit_on=None) -> None:
    """Take a file off a record while it may be edited (`verb`: 403, then 409); the file on disk
    goes once the removal is committed. The caller has locked the record."""
    access.require(by, verb, record)
    ct = ContentType.objects.get_for_model(record)
    if attachment.record_type_id != ct.pk or attachment.record_id != record.pk:
        raise ValueError("the attachment is not this record's")
    if attachment.letter_id is not None:  # its letter took it: the letter's now
        raise Conflict(_("附件已随公文发出，不能删除。"))
    name, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    audit(
        actor=by,
        action="attachment.remove",
        target=audit_on if audit_on is not None else record,
        after={"name": attachment.name, "sha256": attachment.sha256},
    )
    transaction.on_commit(lambda: storage.delete(name))


def record_attachments(record):
    """The files attached to a record (before its letter took them, or since)."""
    return Attachment.objects.filter(record_type=ContentType.objects.get_for_model(record), record_id=record.pk)


def attachments_to_letter(*, record, letter: Letter) -> int:
    """The record's files go with its letter (drafted, not yet issued): listed in its PDF's 附件 line."""
    return record_attachments(record).filter(letter__isnull=True).update(letter=letter)


# ----------------------------------------------------------------------------- ledger


def _source_fields(source) -> dict:
    if source is None:
        return {"source_type": None, "source_id": None}
    return {"source_type": ContentType.objects.get_for_model(source), "source_id": source.pk}


@transaction.atomic
def ledger_open(
    *,
    owner: Institution,
    title: i18n.Msg | str,
    start_date: dt.date,
    period: int,
    unit: str = LedgerEntry.Unit.DAYS,
    source=None,
    start_label: str = "起算",
    by=None,
) -> LedgerEntry:
    """Open a ledger entry, or return the one still open for this source record and owner."""
    if source is not None:
        existing = (
            LedgerEntry.objects.filter(owner=owner, **_source_fields(source))
            .exclude(status__in=[LedgerEntry.Status.WAIVED, LedgerEntry.Status.DONE])
            .first()
        )
        if existing:
            return existing
    deadline = compute_deadline(start_date, period, unit, start_label)
    if isinstance(title, i18n.Msg):
        title, message = i18n.stored_text(title, limit=LedgerEntry._meta.get_field("title").max_length)
    else:
        title, message = clean_text(title, "title", max_length=200), {}
    entry = LedgerEntry.objects.create(
        owner=owner,
        title=title,
        message=message,
        start_date=start_date,
        period=period,
        unit=unit,
        due_date=deadline.due,
        due_explained=deadline.explain(),
        **_source_fields(source),
    )
    audit(actor=by, action="ledger.open", target=entry, after={"owner": str(owner), "due_date": entry.due_date})
    return entry


def _close(entry: LedgerEntry, *, by, status: str, action: str, evidence: str, done_on: dt.date) -> LedgerEntry:
    locked = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.is_closed:
        raise Conflict(_("该事项已经是“%(s)s”状态。") % {"s": locked.get_status_display()})
    previous = locked.status
    locked.status = status
    locked.evidence = evidence
    locked.done_on = done_on
    locked.save(update_fields=["status", "evidence", "done_on"])
    audit(
        actor=by,
        action=action,
        target=locked,
        before={"status": previous},
        after={"status": status, "done_on": done_on},
    )
    return locked


@transaction.atomic
def ledger_complete(*, entry: LedgerEntry, by: User, evidence: str, done_on: dt.date | None = None) -> LedgerEntry:
    """The owner closes a manual entry with evidence (a sourced one is closed by its source: 409)."""
    entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    access.require(by, "ledger.complete", entry)
    evidence = clean_text(evidence, "evidence", max_length=5000)
    today = timezone.localdate()
    done_on = done_on or today
    if done_on > today:
        raise ValidationError({"done_on": [_("办结日期不能晚于今天。")]})
    if done_on < entry.start_date:
        raise ValidationError({"done_on": [_("办结日期不能早于起算日。")]})
    return _close(
        entry, by=by, status=LedgerEntry.Status.DONE, action="ledger.complete", evidence=evidence, done_on=done_on
    )


@transaction.atomic
def ledger_close_for_source(*, source, owner: Institution, evidence: str, done_on: dt.date, by=None) -> int:
    """Close the open entry of a source record (e.g. the reply arrived): called by the source's own
    transition, the only way a sourced entry is done. Returns how many closed."""
    closed = 0
    for entry in LedgerEntry.objects.filter(owner=owner, **_source_fields(source)).exclude(
        status__in=[LedgerEntry.Status.DONE, LedgerEntry.Status.WAIVED]
    ):
        _close(
            entry, by=by, status=LedgerEntry.Status.DONE, action="ledger.complete", evidence=evidence, done_on=done_on
        )
        closed += 1
    return closed


def _extend(
    entry: LedgerEntry, *, by, start_date: dt.date, period: int, unit: str, explained: str, action: str, reason=""
):
    """Give a locked open entry a new period from `start_date`; it is open again if the new date is not past."""
    deadline = compute_deadline(start_date, period, unit, "原届满日")
    before = {"due_date": entry.due_date, "status": entry.status}
    entry.start_date, entry.period, entry.unit = start_date, period, unit
    entry.due_date, entry.due_explained = deadline.due, explained or deadline.explain()
    if entry.due_date >= timezone.localdate():
        entry.status, entry.escalated_at, entry.reminded_at = LedgerEntry.Status.OPEN, None, None
    entry.save(
        update_fields=[
            "start_date",
            "period",
            "unit",
            "due_date",
            "due_explained",
            "status",
            "escalated_at",
            "reminded_at",
        ]
    )
    after = {"due_date": entry.due_date, "status": entry.status, **({"reason": reason} if reason else {})}
    audit(actor=by, action=action, target=entry, before=before, after=after)
    return entry


@transaction.atomic
def ledger_extend(*, entry: LedgerEntry, by: User, days: int, reason: str) -> LedgerEntry:
    """The office extends a manual entry by `days` from its due date, with a reason (a sourced entry's
    period follows its source: `ledger_extend_for_source`)."""
    locked = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    access.require(by, "ledger.extend", locked)
    reason = clean_text(reason, "reason", max_length=2000)
    if not isinstance(days, int) or not 1 <= days <= 365:
        raise ValidationError({"days": [_("延长天数应在 1 到 365 之间。")]})
    return _extend(
        locked,
        by=by,
        start_date=locked.due_date,
        period=days,
        unit=LedgerEntry.Unit.DAYS,
        explained="",
        action="ledger.extend",
        reason=reason,
    )


@transaction.atomic
def ledger_extend_for_source(
    *,
    source,
    owner: Institution,
    start_date: dt.date,
    period: int,
    unit: str = LedgerEntry.Unit.DAYS,
    explained: str = "",
    by=None,
) -> int:
    """The source's own transition moved its deadline (e.g. an extension was approved): its open
    entries follow, audited. Returns how many moved."""
    moved = 0
    for entry in LedgerEntry.objects.select_for_update().filter(
        owner=owner, status__in=[LedgerEntry.Status.OPEN, LedgerEntry.Status.OVERDUE], **_source_fields(source)
    ):
        _extend(
            entry, by=by, start_date=start_date, period=period, unit=unit, explained=explained, action="ledger.extend"
        )
        moved += 1
    return moved


@transaction.atomic
def ledger_create(
    *, by: User, owner: Institution, title: str, clause: str, due_date: dt.date, today: dt.date | None = None
) -> LedgerEntry:
    """The office registers a work-plan task by hand (工作方案六(四)): an owner in its region, the
    clause of the plan it serves and a due date. Closed by its owner with evidence (ledger.complete)."""
    from . import workplan

    access.require(by, "ledger.create")
    errors: dict[str, list] = {}

    def check(fn):
        try:
            return fn()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
            return None

    title = check(lambda: clean_text(title, "title", max_length=200))
    clause = check(lambda: workplan.clean_clause(clause))
    if owner is None or not access.can(by, "ledger.create", owner) or not owner.is_active:
        errors.setdefault("owner", []).append(_("请选择本办公室所辖区域内的责任单位。"))
    today = today or timezone.localdate()
    if not isinstance(due_date, dt.date):
        errors.setdefault("due_date", []).append(_("请填写截止日期。"))
    elif due_date <= today:
        errors.setdefault("due_date", []).append(_("截止日期应晚于今天。"))
    elif (due_date - today).days > 3 * 365:
        errors.setdefault("due_date", []).append(_("截止日期不能晚于三年以后。"))
    if errors:
        raise ValidationError(errors)
    deadline = compute_deadline(today, (due_date - today).days, LedgerEntry.Unit.DAYS, "登记")
    entry = LedgerEntry.objects.create(
        owner=owner,
        title=title,
        clause=clause,
        start_date=today,
        period=(due_date - today).days,
        unit=LedgerEntry.Unit.DAYS,
        due_date=deadline.due,
        due_explained=deadline.explain(),
        created_by=by,
    )
    audit(
        actor=by,
        action="ledger.create",
        target=entry,
        after={"owner": str(owner), "clause": clause, "due_date": entry.due_date},
    )
    notify_institution(
        institution=owner,
        roles=list(access.ACTING_ROLES),
        kind="ledger.created",
        title=Msg(
            gettext_noop("新的台账事项（工作方案%(c)s）：%(t)s，截止 %(d)s"),
            c=clause,
            t=i18n.of(entry),
            d=entry.due_date.isoformat(),
        ),
        key=f"ledger.created:{entry.uuid}",
        url=entry.get_absolute_url(),
        about=entry,
        awaits="ledger.complete",
    )
    return entry


@in_site_language
def _urge_letter_body(entry: LedgerEntry, message: str, today: dt.date) -> str:
    from .pdf import chinese_date

    if entry.due_date < today:
        state = _("已逾期 %(n)d 天") % {"n": (today - entry.due_date).days}
    else:
        state = _("尚未办结")
    return "\n\n".join(
        [
            _("你单位承办的“%(t)s”，截止日期为%(d)s，目前%(s)s。请抓紧办理，办结后及时在工作台账报送办结情况及依据。")
            % {"t": entry.title, "d": chinese_date(entry.due_date), "s": state},
            message,
        ]
    )


@transaction.atomic
def ledger_urge(*, entry: LedgerEntry, by: User, message: str, letter: bool = False) -> LedgerEntry:
    """催办 an open or overdue entry: the owner's acting users are notified; with `letter`, a 督办函
    to the owner is drafted and submitted for the office head's sign-off (numbered when issued).
    Both are recorded on the entry (LedgerUrge) and audited."""
    from .models import LedgerUrge

    entry = LedgerEntry.objects.select_for_update().select_related("owner").get(pk=entry.pk)
    access.require(by, "ledger.urge", entry)
    message = clean_text(message, "message", max_length=2000)
    urge = LedgerUrge.objects.create(entry=entry, message=message, created_by=by)
    if letter:
        today = timezone.localdate()
        draft = letter_create(
            by=by,
            title=(Msg(gettext_noop("关于督办“%(t)s”的函"), t=entry.title).stored())[:200],
            body=_urge_letter_body(entry, message, today),
            addressees=[entry.owner],
            series=Letter.Series.HAN,
            source=entry,
        )
        urge.letter = letter_submit(letter=draft, by=by)
        urge.save(update_fields=["letter"])
    audit(
        actor=by,
        action="ledger.urge",
        target=entry,
        after={"message": message, **({"letter": str(urge.letter.uuid)} if urge.letter_id else {})},
    )
    notify_institution(
        institution=entry.owner,
        roles=list(access.ACTING_ROLES),
        kind="ledger.urge",
        title=Msg(gettext_noop("催办：%(t)s（截止 %(d)s）"), t=i18n.of(entry), d=entry.due_date.isoformat()),
        body=message,
        key=f"ledger.urge:{urge.uuid}",
        url=entry.get_absolute_url(),
    )
    return entry


@transaction.atomic
def ledger_waive(*, entry: LedgerEntry, by: User, reason: str) -> LedgerEntry:
    """The office waives an open entry, sourced or not, with a reason."""
    entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    access.require(by, "ledger.waive", entry)
    reason = clean_text(reason, "reason", max_length=2000)
    return _close(
        entry,
        by=by,
        status=LedgerEntry.Status.WAIVED,
        action="ledger.waive",
        evidence=reason,
        done_on=timezone.localdate(),
    )


def ledger_sweep(*, today: dt.date | None = None) -> dict:
    """Daily: remind owners before the due date, mark overdue and escalate once each.

    Each entry is claimed with a conditional UPDATE, so two sweeps running at once (or
    the same sweep twice) remind and escalate exactly once.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    remind_until = today + dt.timedelta(days=settings.LEDGER_REMIND_DAYS)
    reminded = escalated = 0
    due_soon = LedgerEntry.objects.filter(
        status=LedgerEntry.Status.OPEN, reminded_at__isnull=True, due_date__gte=today, due_date__lte=remind_until
    ).values_list("pk", flat=True)
    for pk in list(due_soon):
        with transaction.atomic():
            if not LedgerEntry.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            entry = LedgerEntry.objects.select_related("owner").get(pk=pk)
            audit(actor=None, action="ledger.remind", target=entry, after={"due_date": entry.due_date})
            notify_institution(
                institution=entry.owner,
                roles=list(access.ACTING_ROLES),
                kind="ledger.reminder",
                title=Msg(gettext_noop("即将到期：%(t)s（%(d)s）"), t=i18n.of(entry), d=entry.due_date.isoformat()),
                body=entry.due_explained,
                key=f"ledger.reminder:{entry.uuid}",
                url=entry.get_absolute_url(),
            )
            reminded += 1
    overdue = LedgerEntry.objects.filter(
        status__in=[LedgerEntry.Status.OPEN, LedgerEntry.Status.OVERDUE], escalated_at__isnull=True, due_date__lt=today
    ).values_list("pk", flat=True)
    for pk in list(overdue):
        with transaction.atomic():
            if (
                not LedgerEntry.objects.filter(pk=pk, escalated_at__isnull=True)
                .exclude(status__in=[LedgerEntry.Status.DONE, LedgerEntry.Status.WAIVED])
                .update(escalated_at=now, status=LedgerEntry.Status.OVERDUE)
            ):
                continue
            entry = LedgerEntry.objects.select_related("owner__parent", "owner__region").get(pk=pk)
            audit(
                actor=None,
                action="ledger.overdue",
                target=entry,
                before={"status": "open"},
                after={"status": "overdue"},
            )
            days = (today - entry.due_date).days
            common = {
                "kind": "ledger.overdue",
                "title": Msg(
                    gettext_noop("已逾期 %(n)d 天：%(o)s %(t)s"), n=days, o=entry.owner.short_name, t=i18n.of(entry)
                ),
                "body": entry.due_explained,
                "key": f"ledger.overdue:{entry.uuid}",
                "url": entry.get_absolute_url(),
            }
            recipients = list(access.institution_users(entry.owner, roles=list(access.ACTING_ROLES)))
            if entry.owner.parent_id:
                recipients += list(
                    access.institution_users(
                        entry.owner.parent, roles=[User.Role.HEAD, User.Role.LEGAL, User.Role.STAFF]
                    )
                )
            recipients += list(access.office_users_for(entry.owner))
            notify(users={u.pk: u for u in recipients}.values(), **common)
            escalated += 1
    return {"reminded": reminded, "escalated": escalated}


def ledger_recompute_open(*, years: Iterable[int] | None = None, by=None) -> int:
    """Recompute due dates of open entries after the holiday calendar changed.

    The owner of every entry whose due date moved is told the old and the new date, and
    `ledger_due_changed` lets the app that owns the source record follow (a suggestion's
    回复期限, an enforcement's 反馈期限)."""
    return len(_ledger_recompute(years=years, by=by))


def _ledger_recompute(*, years: Iterable[int] | None, by) -> list[tuple[LedgerEntry, dt.date]]:
    from .signals import ledger_due_changed

    qs = LedgerEntry.objects.filter(status__in=[LedgerEntry.Status.OPEN, LedgerEntry.Status.OVERDUE])
    if years is not None:
        years = list(years)
        q = Q()
        for year in years:
            # An entry's nominal date can be rolled forward into the next year.
            q |= Q(due_date__year=year) | Q(due_date__year=year + 1)
        qs = qs.filter(q)
    moved = []
    today = timezone.localdate()
    for entry in qs.select_related("owner"):
        label = entry.due_explained.split(" ", 1)[0] if entry.due_explained else "起算"
        deadline = compute_deadline(entry.start_date, entry.period, entry.unit, label)
        if deadline.due != entry.due_date or deadline.explain() != entry.due_explained:
            with transaction.atomic():
                before = entry.due_date
                entry.due_date = deadline.due
                entry.due_explained = deadline.explain()
                fields = ["due_date", "due_explained"]
                if entry.status == LedgerEntry.Status.OVERDUE and entry.due_date >= today:
                    entry.status = LedgerEntry.Status.OPEN
                    entry.escalated_at = None
                    fields += ["status", "escalated_at"]
                entry.save(update_fields=fields)
                audit(
                    actor=by,
                    action="ledger.recompute",
                    target=entry,
                    before={"due_date": before},
                    after={"due_date": entry.due_date},
                )
                if before != entry.due_date:
                    moved.append((entry, before))
                    ledger_due_changed.send(sender=LedgerEntry, entry=entry, before=before, by=by)
                    notify_institution(
                        institution=entry.owner,
                        roles=list(access.ACTING_ROLES),
                        kind="ledger.due_changed",
                        title=Msg(
                            gettext_noop("期限调整：%(t)s 的截止日期由 %(old)s 改为 %(new)s"),
                            t=i18n.of(entry),
                            old=before.isoformat(),
                            new=entry.due_date.isoformat(),
                        ),
                        body=_("节假日安排已更新，期限重新计算：%(e)s") % {"e": entry.due_explained},
                        key=f"ledger.due_changed:{entry.uuid}:{entry.due_date.isoformat()}",
                        url=entry.get_absolute_url(),
                    )
    return moved


@transaction.atomic
def holiday_set(*, by, date: dt.date, kind: str, name: str) -> HolidayOverride:
    if kind not in HolidayOverride.Kind.values:
        raise ValidationError({"kind": [_("无效的类别。")]})
    name = clean_text(name, "name", max_length=40)
    row, created = HolidayOverride.objects.update_or_create(date=date, defaults={"kind": kind, "name": name})
    audit(actor=by, action="holiday.set", target=row, after={"date": date, "kind": kind, "name": name})
    transaction.on_commit(lambda: ledger_recompute_open(years=[date.year], by=by))
    return row


@transaction.atomic
def holiday_notice_apply(*, by, notice, dry_run: bool = False) -> dict:
    """Save the holidays and make-up working days read from a State Council notice.

    The year's administrator entries are replaced by the notice's (a notice is the whole
    year's arrangement), open deadlines are recomputed in the same transaction and their
    owners notified. With `dry_run` everything is rolled back: the preview shows which
    deadlines would move before the administrator confirms.
    """
    if not notice.ok:
        raise ValidationError({"text": notice.errors or [_("没有读出任何节假日。")]})
    new = {d.date: d for d in notice.days}
    years = sorted({notice.year} | {d.year for d in new})
    existing = {row.date: row for row in HolidayOverride.objects.filter(Q(date__year=notice.year) | Q(date__in=new))}
    removed = [row for day, row in existing.items() if day not in new]
    for row in removed:
        row.delete()
    created = updated = 0
    for day, parsed in new.items():
        row = existing.get(day)
        if row is None:
            HolidayOverride.objects.create(date=day, kind=parsed.kind, name=parsed.override_name)
            created += 1
        elif (row.kind, row.name) != (parsed.kind, parsed.override_name):
            row.kind, row.name = parsed.kind, parsed.override_name
            row.save(update_fields=["kind", "name"])
            updated += 1
    audit(
        actor=by,
        action="holiday.import",
        after={
            "year": notice.year,
            "holidays": [d.date.isoformat() for d in notice.holidays],
            "workdays": [d.date.isoformat() for d in notice.workdays],
            "created": created,
            "updated": updated,
            "removed": [row.date.isoformat() for row in removed],
        },
    )
    moved = _ledger_recompute(years=years, by=by)
    result = {
        "year": notice.year,
        "holidays": len(notice.holidays),
        "workdays": len(notice.workdays),
        "created": created,
        "updated": updated,
        "removed": len(removed),
        "moved": [
            {"entry": entry.title, "owner": entry.owner.name, "before": before, "after": entry.due_date}
            for entry, before in moved
        ],
    }
    if dry_run:
        transaction.set_rollback(True)
    return result


@transaction.atomic
def holiday_delete(*, by, holiday: HolidayOverride) -> None:
    year = holiday.date.year
    audit(actor=by, action="holiday.delete", target=holiday, before={"date": holiday.date, "name": holiday.name})
    holiday.delete()
    transaction.on_commit(lambda: ledger_recompute_open(years=[year], by=by))


# ----------------------------------------------------------------------------- inspections


@transaction.atomic
def inspection_create(*, by: User, title: str, findings: str = "", entries=None, clause: str = "") -> Inspection:
    """Freeze the ledger entries the inspector can see (or the given subset; or those serving one
    clause of the work plan, 四(二) taking 四(二)3 too) with the findings."""
    from . import workplan

    access.require(by, "inspection.create")
    clause = workplan.clean_clause(clause, required=False)
    visible = LedgerEntry.objects.visible_to(by)
    if clause:
        visible = visible.filter(clause__startswith=clause)
    if entries is not None:
        visible = visible.filter(pk__in=[e.pk for e in entries])
    snapshot = [
        {
            "uuid": str(e.uuid),
            "owner": e.owner.name,
            "title": e.title,
            "message": e.message,
            "start_date": e.start_date.isoformat(),
            "due_date": e.due_date.isoformat(),
            "due_explained": e.due_explained,
            "status": e.status,
            "status_display": str(e.get_status_display()),
            "done_on": e.done_on.isoformat() if e.done_on else None,
            "evidence": e.evidence,
            "clause": e.clause,
        }
        for e in visible.select_related("owner").order_by("due_date", "id")
    ]
    inspection = Inspection.objects.create(
        title=clean_text(title, "title", max_length=200),
        findings=clean_text(findings, "findings", max_length=20000, required=False),
        institution=by.institution,
        created_by=by,
        clause=clause,
        snapshot=snapshot,
    )
    audit(
        actor=by,
        action="inspection.create",
        target=inspection,
        after={"entries": len(snapshot), **({"clause": clause} if clause else {})},
    )
    return inspection
