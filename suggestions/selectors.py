"""Reads for suggestions: lists and statistics, always from `visible_to(user)`."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from liaison import selectors as hub_selectors
from liaison.keywords import matches
from liaison.models import Institution, Letter
from liaison.status import URGENT_ORDER

from .models import Suggestion

S = Suggestion.Status
GROUPS = {
    "issuer": ("issuer_id", "issuer__name"),
    "recipient": ("recipient_id", "recipient__name"),
    "region": ("recipient__region_id", "recipient__region__name"),
    "kind": ("kind", "kind"),
}


def parties(user):
    """The institutions that issued or received a suggestion the user may see: the list's 单位 choices."""
    return hub_selectors.parties(Suggestion.objects.visible_to(user), "issuer_id", "recipient_id")


def with_party(qs, institution):
    """Suggestions the institution issued or received."""
    return qs.filter(Q(issuer=institution) | Q(recipient=institution))


def in_region(qs, region):
    """Suggestions issued or received by an institution of the region."""
    return qs.filter(Q(issuer__region=region) | Q(recipient__region=region))


def suggestion_list(*, user, status=None, kind=None, q=None, box=None, overdue=None):
    qs = Suggestion.objects.visible_to(user).select_related("issuer", "recipient", "letter")
    inst = user.institution_id
    if box == "issued":
        qs = qs.filter(issuer_id=inst)
    elif box == "received":
        qs = qs.filter(recipient_id=inst)
    elif box == "cc":
        qs = qs.filter(cc__id=inst)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if overdue:
        qs = qs.filter(status__in=Suggestion.OPEN_STATES, reply_due__lt=timezone.localdate())
    if q:
        qs = qs.filter(_keyword(q))
    return qs.order_by(*URGENT_ORDER, "-created_at", "-id")


def _keyword(q: str) -> Q:
    """Suggestions whose title, 关联案号, 建议书文号, issuer's or recipient's name contain q.

    Tested on the suggestions' own columns only, so that no join with the letters and the
    institutions runs over every suggestion before the page is cut (the joins took 3,798
    buffers and 112 + 173 ms for the office's count and page of 执法): the (61-row)
    institutions are matched first, the 建议书 by their 文号 in a subquery run once (hashed).
    """
    condition = Q(title__icontains=q) | Q(case_number__icontains=q) | Q(letter__in=matches(Letter, "doc_number", q))
    named = list(Institution.objects.filter(name__icontains=q).values_list("pk", flat=True))
    if named:
        condition |= Q(issuer_id__in=named) | Q(recipient_id__in=named)
    return condition


@dataclass
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return None if self.denominator == 0 else self.numerator / self.denominator

    def __str__(self) -> str:
        # A denominator of 0 shows "—", never 0 % or 100 %.
        return "—" if self.value is None else f"{self.value * 100:.2f}%"


def statistics(
    *, user, start: dt.date, end: dt.date, group_by: str = "issuer", today: dt.date | None = None
) -> list[dict]:
    """Per group: issued, received, replied, replied on time, overdue, adopted, with the two rates.

    Reply rate (RULES.md): numerator = suggestions replied to in writing; denominator =
    suggestions whose reply deadline fell in the period plus those replied to in it. A
    suggestion is counted once: in the period of its reply, or, while unanswered at the
    period's end, in the period its deadline fell in.
    """
    today = today or timezone.localdate()
    key, label = GROUPS[group_by]
    in_period = lambda field: Q(**{f"{field}__gte": start, f"{field}__lte": end})  # noqa: E731
    replied_in = in_period("replied_on")
    due_or_replied = replied_in | (in_period("reply_due") & (Q(replied_on__isnull=True) | Q(replied_on__gt=end)))
    rows = (
        Suggestion.objects.visible_to(user)
        .filter(letter__isnull=False)
        .values(*{key, label})
        .annotate(
            issued=Count("id", filter=in_period("issued_on")),
            received=Count("id", filter=in_period("received_on")),
            due=Count("id", filter=due_or_replied),
            replied=Count("id", filter=replied_in),
            on_time=Count("id", filter=replied_in & Q(replied_on__lte=F("reply_due"))),
            overdue=Count(
                "id", filter=Q(status__in=Suggestion.OPEN_STATES, reply_due__lt=min(today, end + dt.timedelta(days=1)))
            ),
            adopted=Count("id", filter=in_period("evaluated_on") & Q(evaluation=Suggestion.Evaluation.ADOPTED)),
        )
        .order_by(label)
    )
    out = []
    for row in rows:
        row = dict(row)
        row["group_id"] = row[key]
        row["group"] = row.pop(label)
        row.pop(key, None)
        if group_by == "kind":
            row["group"] = Suggestion.Kind(row["group"]).label
        row["reply_rate"] = Rate(row["replied"], row["due"])
        row["on_time_rate"] = Rate(row["on_time"], row["due"])
        if any(row[k] for k in ("issued", "received", "due", "overdue", "adopted")):
            out.append(row)
    return out
