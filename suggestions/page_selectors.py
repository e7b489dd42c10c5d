"""Reads the suggestion pages need beyond `selectors`: boxes, row decoration, the detail's parts.

Every query starts from `Suggestion.objects.visible_to(user)` (through `selectors.suggestion_list`
or `access.get_visible_or_404`), so nothing here widens what a user sees.
"""

import datetime as dt

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from liaison import access, links, status
from liaison import selectors as hub_selectors
from liaison.calendar import WorkCalendar
from liaison.models import Institution

from . import selectors
from .models import Extension, Filing, Reply, Suggestion

S = Suggestion.Status


BOXES = {
    "todo": gettext_lazy("待办"),
    "issued": gettext_lazy("本院发出"),
    "received": gettext_lazy("收到的建议"),
    "cc": gettext_lazy("抄送"),
    "all": gettext_lazy("全部"),
}


# ----------------------------------------------------------------------------- boxes


def boxes_for(user) -> list[str]:
    """The tabs that make sense for the user's institution, the default first."""
    inst = user.institution
    if inst is None:
        return ["all"]
    if inst.kind == Institution.Kind.OFFICE:
        return ["all"]
    if inst.kind in (Institution.Kind.COURT, Institution.Kind.PROCURATORATE):
        return ["todo", "issued", "cc", "all"]
    return ["todo", "received", "cc", "all"]


def _todo_q(user) -> Q:
    """What the user's institution must act on now: sign for, reply, approve, issue, evaluate, decide."""
    inst = user.institution_id
    # The (few) suggestions with a pending extension as one hashed list, not an EXISTS probe per
    # row: the probes' estimated cost (124,000 for the 城管局's tab counts) switched PostgreSQL's
    # JIT compilation on, 40-70 ms of the 56-87 ms query.
    pending_extension = Extension.objects.filter(status=Extension.Status.PENDING).values("suggestion_id")
    as_recipient = Q(recipient_id=inst, status__in=[S.ISSUED, *Suggestion.OPEN_STATES])
    as_issuer = Q(issuer_id=inst) & (Q(status__in=[S.SUBMITTED, S.APPROVED, S.REPLIED]) | Q(pk__in=pending_extension))
    return as_recipient | as_issuer


def box_filter(qs: QuerySet, user, box: str) -> QuerySet:
    inst = user.institution_id
    if box == "todo":
        return qs.filter(_todo_q(user))
    if box == "issued":
        return qs.filter(issuer_id=inst)
    if box == "received":
        return qs.filter(recipient_id=inst)
    if box == "cc":
        return qs.filter(pk__in=Suggestion.cc.through.objects.filter(institution_id=inst).values("suggestion_id"))
    return qs


def box_counts(user, boxes: list[str]) -> dict[str, int]:
    """Rows per tab, in one query."""
    if user.institution_id is None:
        return {box: 0 for box in boxes}
    inst = user.institution_id
    cc_ids = Suggestion.cc.through.objects.filter(institution_id=inst).values("suggestion_id")
    filters = {
        "todo": _todo_q(user),
        "issued": Q(issuer_id=inst),
        "received": Q(recipient_id=inst),
        "cc": Q(pk__in=cc_ids),
        "all": Q(pk__isnull=False),
    }
    counts = Suggestion.objects.visible_to(user).aggregate(**{box: Count("pk", filter=filters[box]) for box in boxes})
    return counts


def rows(user, *, box: str, values: dict) -> QuerySet:
    """The list's rows for a tab and the filter bar's values (already cleaned by the form)."""
    qs = selectors.suggestion_list(
        user=user,
        status=values.get("status") or None,
        kind=values.get("kind") or None,
        q=values.get("q") or None,
        overdue=values.get("overdue") == "yes",
    )
    qs = box_filter(qs, user, box)
    if values.get("institution"):
        qs = selectors.with_party(qs, values["institution"])
    if values.get("region"):
        qs = selectors.in_region(qs, values["region"])
    if values.get("overdue") == "no":
        qs = qs.exclude(status__in=Suggestion.OPEN_STATES, reply_due__lt=timezone.localdate())
    if values.get("issued_from"):
        qs = qs.filter(issued_on__gte=values["issued_from"])
    if values.get("issued_to"):
        qs = qs.filter(issued_on__lte=values["issued_to"])
    return qs


# ----------------------------------------------------------------------------- deadlines


REPLY_WORDS = (gettext_lazy("按期回复"), gettext_lazy("逾期回复"))


def due_state(s: Suggestion, *, today: dt.date, calendar: WorkCalendar | None = None) -> status.Due:
    """The reply deadline in the portal's one wording (liaison.status); before receipt it has not started."""
    if s.status == S.ISSUED:
        return status.Due("waiting", _("签收后起算"), status.GREY)
    replied = s.status in (S.REPLIED, S.EVALUATED)
    return status.due_state(
        s.reply_due,
        pending=s.status in Suggestion.OPEN_STATES,
        done_on=s.replied_on if replied else None,
        done_words=REPLY_WORDS,
        today=today,
        calendar=calendar,
    )


def decorate(rows, *, today: dt.date | None = None) -> list[Suggestion]:
    """Evaluate `rows` and set `due` (the reply deadline) on each."""
    today = today or timezone.localdate()
    calendar = WorkCalendar()
    out = list(rows)
    for s in out:
        s.due = due_state(s, today=today, calendar=calendar)
    return out


# ----------------------------------------------------------------------------- detail


def suggestion_for_page(user, uuid) -> Suggestion:
    qs = Suggestion.objects.select_related(
        "issuer", "recipient", "letter", "created_by", "approved_by", "linked_from__letter"
    )
    return access.get_visible_or_404(qs, user, uuid=uuid)


def is_insider(user, s: Suggestion) -> bool:
    """The issuer and the office overseeing the record see the drafting and the internal steps."""
    if s.issuer_id == user.institution_id:
        return True
    regions = access.office_region_ids(user)
    return bool(regions) and (s.issuer.region_id in regions or s.recipient.region_id in regions)


def replies_for(user, s: Suggestion) -> list[Reply]:
    """Sent replies for everyone; a reply awaiting its head's sign-off only inside the recipient."""
    qs = s.replies.select_related("letter", "created_by")
    if s.recipient_id != user.institution_id:
        qs = qs.filter(status=Reply.Status.SENT)
    return list(qs.order_by("round"))


def attachments_for(s: Suggestion, replies) -> tuple[list, dict]:
    """The suggestion's files and each shown reply's (one query): ([files], {reply id: [files]})."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from liaison.models import Attachment

    cts = ContentType.objects.get_for_models(Suggestion, Reply)
    rows = Attachment.objects.filter(
        Q(record_type=cts[Suggestion], record_id=s.pk)
        | Q(record_type=cts[Reply], record_id__in=[r.pk for r in replies])
    ).order_by("id")
    own, by_reply = [], {r.pk: [] for r in replies}
    for att in rows:
        (own if att.record_type_id == cts[Suggestion].pk else by_reply[att.record_id]).append(att)
    return own, by_reply


def pending_reply(s: Suggestion) -> Reply | None:
    """The reply the recipient is still working on (awaiting sign-off, or returned for revision)."""
    return s.replies.filter(status__in=Reply.OPEN_STATES).select_related("created_by").first()


def current_round_replied(s: Suggestion) -> bool:
    return s.replies.filter(round=s.round).exclude(status=Reply.Status.WITHDRAWN).exists()


def extensions_for(s: Suggestion) -> list[Extension]:
    return list(s.extensions.select_related("requested_by", "decided_by"))


def pending_extension(s: Suggestion) -> Extension | None:
    return s.extensions.filter(status=Extension.Status.PENDING).select_related("requested_by").first()


def linked_for(user, s: Suggestion) -> dict:
    """Linked suggestions both ways, only those the user may see."""
    visible = Suggestion.objects.visible_to(user).select_related("issuer", "letter")
    linked_from = None
    if s.linked_from_id:
        linked_from = visible.filter(pk=s.linked_from_id).first()
    return {
        "linked_from": linked_from,
        "linked": list(visible.filter(linked_from=s).order_by("created_at")),
        "case_link": case_link(user, s),
    }


def case_link(user, s: Suggestion) -> links.Link | None:
    """The case named by 关联案号, as a link for a user who may open it (else the number stays text)."""
    number = (s.case_number or "").strip()
    if not number or not apps.is_installed("cases"):
        return None
    case = apps.get_model("cases", "AdministrativeCase").objects.filter(number=number).first()
    return links.ref(user, case)


ACTION_LABELS = {
    "suggestion.create": pgettext_lazy("timeline", "起草"),
    "suggestion.update": pgettext_lazy("timeline", "修改"),
    "suggestion.submit": pgettext_lazy("timeline", "提交审批"),
    "suggestion.approve": pgettext_lazy("timeline", "审批同意"),
    "suggestion.return": pgettext_lazy("timeline", "退回修改"),
    "suggestion.issue": pgettext_lazy("timeline", "签发建议书"),
    "suggestion.withdraw": pgettext_lazy("timeline", "撤回"),
    "suggestion.receive": pgettext_lazy("timeline", "签收"),
    "suggestion.reply": pgettext_lazy("timeline", "起草书面回复"),
    "suggestion.reply_sent": pgettext_lazy("timeline", "签发书面回复"),
    "reply.return": pgettext_lazy("timeline", "退回书面回复修改"),
    "reply.edit": pgettext_lazy("timeline", "修改书面回复"),
    "reply.withdraw": pgettext_lazy("timeline", "撤回书面回复"),
    "attachment.add": pgettext_lazy("timeline", "添加附件"),
    "suggestion.evaluate": pgettext_lazy("timeline", "评价办理情况"),
    "suggestion.rectify": pgettext_lazy("timeline", "要求继续整改"),
    "suggestion.request_extension": pgettext_lazy("timeline", "申请延期"),
    "suggestion.decide_extension": pgettext_lazy("timeline", "审批延期申请"),
}
# Steps every party sees; the others stay inside the institution that took them.
PUBLIC_ACTIONS = (
    "suggestion.issue",
    "suggestion.withdraw",
    "suggestion.receive",
    "suggestion.reply_sent",
    "suggestion.evaluate",
    "suggestion.rectify",
    "suggestion.request_extension",
    "suggestion.decide_extension",
)


def timeline(user, s: Suggestion) -> list:
    """Every step for the office overseeing the record; for a party, the public steps and its own."""
    entries = hub_selectors.timeline(s)
    regions = access.office_region_ids(user)
    overseen = bool(regions) and (s.issuer.region_id in regions or s.recipient.region_id in regions)
    if not overseen:
        entries = [e for e in entries if e.action in PUBLIC_ACTIONS or e.institution_id == user.institution_id]
    for entry in entries:
        if entry.action in ACTION_LABELS:
            entry.label = str(ACTION_LABELS[entry.action])
        # The shared timeline prints `after.recipient`/`after.reason`; a status move says nothing more.
        entry.after = {}
    return entries


# ----------------------------------------------------------------------------- forms' choices


def recipient_choices(user) -> QuerySet:
    """Agencies and governments (the administrative organs a suggestion is addressed to)."""
    return (
        Institution.objects.visible_to(user)
        .filter(kind__in=[Institution.Kind.AGENCY, Institution.Kind.GOVERNMENT], is_active=True)
        .select_related("region")
        .order_by("region__level", "region_id", "kind", "id")
    )


def filing_suggestion_choices(user) -> QuerySet:
    """My institution's issued suggestions, for a 备案 of kind “检察建议”."""
    return (
        Suggestion.objects.visible_to(user)
        .filter(issuer_id=user.institution_id, letter__isnull=False)
        .select_related("letter")
        .order_by("-issued_on", "-id")
    )


# ----------------------------------------------------------------------------- filings


def filings(user, *, kind="", keyword="", filed_from=None, filed_to=None) -> QuerySet:
    qs = Filing.objects.visible_to(user).select_related("procuratorate", "office", "suggestion__letter", "created_by")
    if kind:
        qs = qs.filter(kind=kind)
    if keyword:
        qs = qs.filter(
            Q(title__icontains=keyword)
            | Q(summary__icontains=keyword)
            | Q(suggestion__letter__doc_number__icontains=keyword)
            | Q(procuratorate__name__icontains=keyword)
        )
    if filed_from:
        qs = qs.filter(filed_on__gte=filed_from)
    if filed_to:
        qs = qs.filter(filed_on__lte=filed_to)
    return qs


# ----------------------------------------------------------------------------- statistics


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    first_month = ((day.month - 1) // 3) * 3 + 1
    start = dt.date(day.year, first_month, 1)
    next_start = dt.date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return start, next_start - dt.timedelta(days=1)


def quarter_key(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def parse_quarter(key: str) -> tuple[dt.date, dt.date] | None:
    try:
        year, q = key.upper().split("Q")
        year, q = int(year), int(q)
    except ValueError:
        return None
    if not (2000 <= year <= 2100 and 1 <= q <= 4):
        return None
    return quarter_of(dt.date(year, 3 * q - 2, 1))


def recent_quarters(today: dt.date, n: int = 12) -> list[tuple[str, str]]:
    """(key, label) for the current quarter and the n-1 before it, newest first."""
    out = []
    start, _end = quarter_of(today)
    for _i in range(n):
        out.append((quarter_key(start), _("%(y)d年第%(q)d季度") % {"y": start.year, "q": (start.month - 1) // 3 + 1}))
        start = quarter_of(start - dt.timedelta(days=1))[0]
    return out


def statistics_totals(rows: list[dict]) -> dict:
    """The 合计 row: each suggestion belongs to exactly one group, so the sums are exact."""
    keys = ("issued", "received", "due", "replied", "on_time", "overdue", "adopted")
    totals = {k: sum(r[k] for r in rows) for k in keys}
    totals["reply_rate"] = selectors.Rate(totals["replied"], totals["due"])
    totals["on_time_rate"] = selectors.Rate(totals["on_time"], totals["due"])
    return totals


def rate_text(rate: selectors.Rate) -> str:
    """“15.91%（686/4311）”, or “—” when nothing was due (never 0 % or 100 %)."""
    if rate.value is None:
        return "—"
    return f"{rate}（{rate.numerator}/{rate.denominator}）"
