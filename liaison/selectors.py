"""Reads for the hub's pages. Every query starts from `visible_to(user)`.

Lists return querysets with their related rows joined, so a page runs the same number
of queries whatever the number of rows.
"""

import datetime as dt
import re

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from . import access, links, status
from .calendar import WorkCalendar
from .models import (
    AuditEntry,
    Delivery,
    Inspection,
    Institution,
    LedgerEntry,
    Letter,
    Notification,
    Region,
)

DUE_SOON_DAYS = status.DUE_SOON_DAYS

# ----------------------------------------------------------------------------- deadlines


def deadline_state(entry: LedgerEntry, *, today: dt.date, calendar: WorkCalendar) -> status.Due:
    """A ledger entry's deadline in the portal's one wording (liaison.status)."""
    if entry.status == LedgerEntry.Status.DONE:
        return status.Due("done", _("已办结"), status.GREEN)
    if entry.status == LedgerEntry.Status.WAIVED:
        return status.Due("waived", _("已免除"), status.GREY)
    return status.due_state(entry.due_date, today=today, calendar=calendar)


def with_deadlines(entries, *, today: dt.date | None = None) -> list[LedgerEntry]:
    """Evaluate `entries` and set `entry.deadline` on each (one calendar for the whole list)."""
    today = today or timezone.localdate()
    calendar = WorkCalendar()
    rows = list(entries)
    for entry in rows:
        entry.deadline = deadline_state(entry, today=today, calendar=calendar)
    return rows


# ----------------------------------------------------------------------------- sorting


def apply_sort(
    qs: QuerySet, requested: str | None, allowed: dict[str, tuple[str, ...]], default: str
) -> tuple[QuerySet, str]:
    """Order by a whitelisted column key (`due_date` or `-due_date`); anything else falls back to `default`."""
    key = (requested or "").strip()
    name = key.lstrip("-")
    if name not in allowed:
        key, name = default, default.lstrip("-")
    descending = key.startswith("-")
    fields = [("-" if descending else "") + field for field in allowed[name]]
    return qs.order_by(*fields, ("-pk" if descending else "pk")), key


# ----------------------------------------------------------------------------- letters


def outbox(user, *, status="", series="", keyword="", year=None) -> QuerySet:
    """Letters my institution wrote, every status, with delivery and signature counts."""
    qs = Letter.objects.visible_to(user).filter(issuer_id=user.institution_id)
    if status:
        qs = qs.filter(status=status)
    if series:
        qs = qs.filter(series=series)
    if keyword:
        qs = qs.filter(Q(title__icontains=keyword) | Q(doc_number__icontains=keyword))
    if year:
        qs = qs.filter(Q(year=year) | Q(year__isnull=True, created_at__year=year))
    return qs.select_related("created_by").annotate(
        n_recipients=Count("deliveries", distinct=True),
        n_signed=Count("deliveries", filter=Q(deliveries__signed_on__isnull=False), distinct=True),
    )


def inbox(user, *, signed="", keyword="", issuer=None, region=None) -> QuerySet:
    """Deliveries of visible (issued) letters to my institution."""
    if user.institution_id is None:
        return Delivery.objects.none()
    qs = access.delivered_to(Delivery.objects.all(), user).select_related("letter__issuer")
    if signed == "yes":
        qs = qs.filter(signed_on__isnull=False)
    elif signed == "no":
        qs = qs.filter(signed_on__isnull=True)
    if issuer is not None:
        qs = qs.filter(letter__issuer=issuer)
    if region is not None:
        qs = qs.filter(letter__issuer__region=region)
    if keyword:
        qs = qs.filter(
            Q(letter__title__icontains=keyword)
            | Q(letter__doc_number__icontains=keyword)
            | Q(letter__issuer__name__icontains=keyword)
        )
    return qs


def letter_for_page(user, uuid) -> Letter:
    qs = Letter.objects.select_related("issuer", "created_by", "signed_off_by")
    return access.get_visible_or_404(qs, user, uuid=uuid)


def is_letter_insider(user, letter: Letter) -> bool:
    """The issuer's staff and the overseeing office see the whole record; recipients see their part."""
    return access.can(user, "letter.track", letter)


def letter_deliveries(user, letter: Letter, *, today: dt.date | None = None) -> list[Delivery]:
    """The copies the user may follow: all of them for the issuer and the office, else its own.
    A main recipient's copy of a letter asking for a reply carries `reply_state` (已复函 with the
    reply's link when the user may open it, 待复函 with its deadline, 已逾期 N 天)."""
    deliveries = list(letter.deliveries.select_related("recipient", "signed_by", "read_by", "reply"))
    if not is_letter_insider(user, letter):
        deliveries = [d for d in deliveries if d.recipient_id == user.institution_id]
    for d in deliveries:
        d.letter = letter
        d.reply_state = reply_state(user, d, today=today)
    return deliveries


def reply_state(user, delivery: Delivery, *, today: dt.date | None = None) -> dict | None:
    """How a copy's reply stands: None when none is asked of it."""
    due = delivery.reply_due
    if due is None:
        return None
    if delivery.reply_id is not None:
        return {
            "label": _("已复函"),
            "colour": status.GREEN,
            "reply": delivery.reply,
            "url": links.url(user, delivery.reply),
            "deadline": status.due_state(
                due,
                pending=False,
                done_on=delivery.reply.issued_on,
                done_words=(_("按期复函"), _("逾期复函")),
                today=today,
            ),
        }
    deadline = status.due_state(due, pending=True, today=today)
    overdue = deadline.kind == "overdue"
    return {
        "label": _("已逾期") if overdue else _("待复函"),
        "colour": status.RED if overdue else status.BLUE,
        "reply": None,
        "url": "",
        "deadline": deadline,
    }


def my_delivery(user, letter: Letter) -> Delivery | None:
    if user.institution_id is None:
        return None
    return letter.deliveries.select_related("recipient").filter(recipient_id=user.institution_id).first()


# What a recipient may see of the issuer's record: the issue and the PDF, not the drafting.
PUBLIC_LETTER_ACTIONS = ("letter.issue", "letter.pdf")

ACTION_LABELS = {
    "letter.create": pgettext_lazy("timeline", "起草"),
    "letter.update": pgettext_lazy("timeline", "修改"),
    "letter.submit": pgettext_lazy("timeline", "提交签发"),
    "letter.return": pgettext_lazy("timeline", "退回修改"),
    "letter.issue": pgettext_lazy("timeline", "签发"),
    "letter.pdf": pgettext_lazy("timeline", "生成 PDF"),
    "letter.share": pgettext_lazy("timeline", "共享"),
    "letter.unshare": pgettext_lazy("timeline", "取消共享"),
    "attachment.add": pgettext_lazy("timeline", "添加附件"),
    "delivery.sign": pgettext_lazy("timeline", "签收"),
    "delivery.read": pgettext_lazy("timeline", "阅读"),
    "delivery.reply": pgettext_lazy("timeline", "复函"),
    "ledger.open": pgettext_lazy("timeline", "登记"),
    "ledger.create": pgettext_lazy("timeline", "办公室登记"),
    "ledger.urge": pgettext_lazy("timeline", "催办"),
    "ledger.extend": pgettext_lazy("timeline", "延期"),
    "ledger.complete": pgettext_lazy("timeline", "办结"),
    "ledger.waive": pgettext_lazy("timeline", "免除"),
    "ledger.remind": pgettext_lazy("timeline", "到期提醒"),
    "ledger.overdue": pgettext_lazy("timeline", "逾期督办"),
    "ledger.recompute": pgettext_lazy("timeline", "重新计算期限"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def timeline(target, *, user=None, public_only_for_outsiders: bool = False) -> list[AuditEntry]:
    """Audit entries of one record, oldest first, with who and which institution."""
    qs = AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(type(target)), target_id=target.pk
    ).select_related("actor", "institution")
    if public_only_for_outsiders and user is not None:
        qs = qs.filter(
            Q(action__in=PUBLIC_LETTER_ACTIONS) | Q(institution_id=user.institution_id, institution_id__isnull=False)
        )
    rows = list(qs.order_by("at", "id"))
    for row in rows:
        row.label = action_label(row.action)
    return rows


def letter_timeline(user, letter: Letter) -> list[AuditEntry]:
    return timeline(letter, user=user, public_only_for_outsiders=not is_letter_insider(user, letter))


def letter_shares(letter: Letter) -> list[Institution]:
    """Institutions the letter is explicitly shared with."""
    return list(access.shared_institutions(letter).order_by("name"))


def addressable_institutions(user) -> QuerySet:
    """Institutions a user may address, cc or share with: the directory, less their own."""
    return (
        Institution.objects.visible_to(user)
        .filter(is_active=True)
        .exclude(pk=user.institution_id)
        .select_related("region")
        .order_by("region__level", "region_id", "kind", "id")
    )


# ----------------------------------------------------------------------------- ledger


def ledger_entries(
    user, *, status="", owner=None, region=None, due_from=None, due_to=None, keyword="", clause="", today=None
) -> QuerySet:
    today = today or timezone.localdate()
    qs = LedgerEntry.objects.visible_to(user).select_related("owner")
    open_states = [LedgerEntry.Status.OPEN, LedgerEntry.Status.OVERDUE]
    if status == "overdue":
        qs = qs.filter(status__in=open_states, due_date__lt=today)
    elif status == "soon":
        qs = qs.filter(
            status__in=open_states, due_date__gte=today, due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS)
        )
    elif status == "open":
        qs = qs.filter(status__in=open_states, due_date__gte=today)
    elif status in (LedgerEntry.Status.DONE, LedgerEntry.Status.WAIVED):
        qs = qs.filter(status=status)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if region is not None:
        qs = qs.filter(owner__region=region)
    if clause:  # 四(二) takes its items 四(二)1, 四(二)3 …
        qs = qs.filter(clause__startswith=clause)
    if due_from:
        qs = qs.filter(due_date__gte=due_from)
    if due_to:
        qs = qs.filter(due_date__lte=due_to)
    if keyword:
        qs = qs.filter(Q(title__icontains=keyword) | Q(evidence__icontains=keyword) | Q(owner__name__icontains=keyword))
    return qs


def parties(rows: QuerySet, *fields: str) -> QuerySet:
    """The institutions named by `fields` (issuer_id, recipient_id, letter__issuer_id …) on `rows`, a
    list the user may see: a list's 单位 filter offers these and no other (a foreign institution is
    not a valid choice, and naming one could only match rows the user sees anyway)."""
    named = Q()
    for name in fields:
        named |= Q(pk__in=rows.order_by().values(name))
    return Institution.objects.filter(named).order_by("region_id", "kind", "id")


def regions_of(institutions: QuerySet) -> QuerySet:
    """The regions of these institutions: a list's 地区 filter choices."""
    return Region.objects.filter(pk__in=institutions.order_by().values("region_id")).order_by("level", "id")


def filter_choices(institutions: QuerySet) -> tuple[list, list]:
    """A filter bar's (单位, 地区) choices from `institutions` (parties(...)) in one query: the
    institutions with their regions joined, and those regions (in their order, level then id). The
    parties' semi-join over a whole visible list is the costly part (the agency's inbox: ~2,200
    buffers); `regions_of(parties)` ran it a second time."""
    found = list(institutions.select_related("region"))
    regions = {i.region_id: i.region for i in found if i.region_id is not None}
    return found, sorted(regions.values(), key=lambda r: (r.level, r.pk))


def letter_issuer_choices(user) -> QuerySet:
    """Issuers of the letters the user can see (the letters API's 发文机关 and 地区 choices)."""
    return parties(Letter.objects.visible_to(user), "issuer_id")


def ledger_owner_choices(user) -> QuerySet:
    """Institutions owning at least one entry the user can see (for the filter bar)."""
    return parties(LedgerEntry.objects.visible_to(user), "owner_id")


def ledger_create_owners(user) -> QuerySet:
    """The institutions an office user may register a work-plan entry for: its region's."""
    if not access.is_office(user):
        return Institution.objects.none()
    return (
        Institution.objects.filter(region_id__in=access.office_region_ids(user), is_active=True)
        .exclude(kind=Institution.Kind.OFFICE)
        .order_by("region_id", "kind", "id")
    )


def ledger_urges(entry: LedgerEntry) -> list:
    return list(entry.urges.select_related("created_by", "letter").order_by("created_at", "id"))


def region_letters(user, *, issuer=None, series="", keyword="", year=None) -> QuerySet:
    """The office's read-only view: issued letters of the institutions of its region."""
    if not access.oversees_region(user):
        return Letter.objects.none()
    qs = Letter.objects.visible_to(user).filter(
        status=Letter.Status.ISSUED, issuer__region_id__in=access.office_region_ids(user)
    )
    if issuer is not None:
        qs = qs.filter(issuer=issuer)
    if series:
        qs = qs.filter(series=series)
    if keyword:
        qs = qs.filter(Q(title__icontains=keyword) | Q(doc_number__icontains=keyword))
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("issuer").annotate(
        n_recipients=Count("deliveries", distinct=True),
        n_signed=Count("deliveries", filter=Q(deliveries__signed_on__isnull=False), distinct=True),
    )


def region_issuers(user) -> QuerySet:
    if not access.oversees_region(user):
        return Institution.objects.none()
    return Institution.objects.filter(region_id__in=access.office_region_ids(user)).order_by("region_id", "kind", "id")


def ledger_entry_for_page(user, uuid) -> LedgerEntry:
    return access.get_visible_or_404(LedgerEntry.objects.select_related("owner__region"), user, uuid=uuid)


def ledger_source(user, entry: LedgerEntry) -> dict | None:
    """The record an entry comes from, as this user may see it: its kind, name and page (the
    page only when the user may open it and the model has one: `get_absolute_url`)."""
    if entry.source_type_id is None:
        return None
    model = ContentType.objects.get_for_id(entry.source_type_id).model_class()
    if model is None:
        return None
    source = model._default_manager.filter(pk=entry.source_id).first()
    if source is None:
        return None
    kind = str(model._meta.verbose_name)
    try:
        visible = access.visible(model._default_manager.filter(pk=source.pk), user).exists()
    except LookupError:  # a model without a visibility rule is named but not linked
        visible = False
    url = source.get_absolute_url() if visible and hasattr(source, "get_absolute_url") else ""
    label = str(source) if visible else kind
    return {"kind": kind, "label": label, "url": url}


# A document number as issued: 机关代字 + series mark, 〔year〕, number (柳城管复〔2026〕2号).
DOC_NUMBER = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{1,30}〔\d{4}〕\d{1,6}号")


def evidence_html(user, text: str) -> str:
    """The evidence of a closed entry with the letters it names (the reply that closed it, a
    督办函) as links for a user who may open them; other numbers and all text stay plain (escaped)."""
    text = text or ""
    numbers = set(DOC_NUMBER.findall(text))
    if not numbers:
        return linebreaksbr(text, autoescape=True)
    urls = {
        letter.doc_number: letter.get_absolute_url()
        for letter in Letter.objects.visible_to(user).filter(doc_number__in=numbers).only("uuid", "doc_number")
    }
    parts, last = [], 0
    for match in DOC_NUMBER.finditer(text):
        parts.append(linebreaksbr(text[last : match.start()], autoescape=True))
        number = match.group(0)
        if number in urls:
            parts.append(format_html('<a href="{}" data-evidence-letter>{}</a>', urls[number], number))
        else:
            parts.append(escape(number))
        last = match.end()
    parts.append(linebreaksbr(text[last:], autoescape=True))
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308  every part escaped above


def inspections(user, *, clause="") -> QuerySet:
    qs = Inspection.objects.visible_to(user).select_related("institution", "created_by")
    if clause:
        qs = qs.filter(clause__startswith=clause)
    return qs


# ----------------------------------------------------------------------------- dashboard


def dashboard(user, *, today: dt.date | None = None, limit: int = 20) -> dict:
    """What the user must do today, most urgent first."""
    today = today or timezone.localdate()
    data: dict = {"today": today}
    inst_id = user.institution_id
    if inst_id is None:
        data.update(
            overdue=[],
            overdue_count=0,
            due_soon=[],
            due_soon_count=0,
            supervised_overdue=[],
        )
    else:
        # Letters to sign for and to sign off are in 待办 (liaison.todo), with every other duty.
        mine = LedgerEntry.objects.visible_to(user).filter(
            owner_id=inst_id, status__in=[LedgerEntry.Status.OPEN, LedgerEntry.Status.OVERDUE]
        )
        overdue = mine.filter(due_date__lt=today)
        due_soon = mine.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        data["overdue_count"] = overdue.count()
        data["overdue"] = with_deadlines(
            overdue.select_related("owner").order_by("due_date", "id")[:limit], today=today
        )
        data["due_soon_count"] = due_soon.count()
        data["due_soon"] = with_deadlines(
            due_soon.select_related("owner").order_by("due_date", "id")[:limit], today=today
        )
        # Office staff and superior institutions chase the overdue work of those they oversee.
        data["supervised_overdue"] = with_deadlines(
            LedgerEntry.objects.visible_to(user)
            .exclude(owner_id=inst_id)
            .filter(status__in=[LedgerEntry.Status.OPEN, LedgerEntry.Status.OVERDUE], due_date__lt=today)
            .select_related("owner")
            .order_by("due_date", "id")[:limit],
            today=today,
        )
    data["notifications"] = list(Notification.objects.visible_to(user).order_by("-created_at", "-id")[:5])
    return data


def notifications(user) -> QuerySet:
    return Notification.objects.visible_to(user).order_by("-created_at", "-id")
