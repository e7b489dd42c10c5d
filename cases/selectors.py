"""Reads for cases and the work around them, always from `visible_to(user)`.

Each list joins or prefetches what its rows show, so the number of queries does not grow
with the number of rows.
"""

import datetime as dt
import functools
import operator

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from liaison import selectors as hub_selectors
from liaison.keywords import matches
from liaison.models import Institution
from liaison.status import URGENT_ORDER

from .models import (
    AdministrativeCase,
    Appearance,
    ClueTransfer,
    Coordination,
    Dispute,
    Enforcement,
    Observation,
    Review,
    SupervisionApplication,
)

Defendant = AdministrativeCase.defendants.through


def _number_query(q: str) -> str:
    # 案号 are stored with full-width brackets; people type half-width ones.
    return q.replace(" ", "").replace("(", "（").replace(")", "）")


def _keyword(q: str) -> Q:
    """Cases whose 案号, plaintiffs or a defendant's name contain q.

    Every arm is one PostgreSQL can answer from an index and test as a hashed set, never a
    `LIKE` over every case: the (61-row) institutions are matched first and their defendant
    links added only when one matches; 案号 and plaintiffs are read from their gram indexes
    (`keywords.matches`, migration 0010), which serve keywords of any length, the two-character
    ones pg_trgm cannot (公安, 建材). `id IN (keys) OR id IN (links)` is counted over the table
    and paged along the order index; `number LIKE … OR id IN (links)` tested the `LIKE`s on every
    case (公安, a defendant in 6,065 of 200,000 cases: the office's page 8,174 → 2,826 buffers,
    a court's 12,565 → 1,218). A column that most cases match (行初 in three 案号 of four; a
    common plaintiff) is past the keys' cap and keeps its `LIKE` (a scan finds most rows
    cheapest). A keyword of three or more characters that names no institution stays the plain
    OR of the two `LIKE`s, a bitmap OR of the pg_trgm indexes (migration 0007): no key reads.
    """
    named = list(
        Institution.objects.filter(Q(name__icontains=q) | Q(short_name__icontains=q)).values_list("pk", flat=True)
    )
    if len(q) >= 3 and not named:
        return Q(number__icontains=_number_query(q)) | Q(plaintiffs__icontains=q)
    arms, keys = [], []
    for field, text in (("number", _number_query(q)), ("plaintiffs", q)):
        found = matches(AdministrativeCase, field, text)
        if isinstance(found, list):
            keys += found
        else:
            arms.append(Q(**{f"{field}__icontains": text}))
    if keys:
        arms.append(Q(pk__in=sorted(set(keys))))
    if named:
        # Alone, `id IN (links)` is pulled up into a semi-join that probes the primary key for
        # each link to count (公安's 6,065 links: 18,279 buffers) and the links for each case to
        # page (7,097); in an OR it stays one hashed subplan (644 and 41). With no text match the
        # OR's other arm is `id IS NULL`, which no case meets.
        if not arms:
            arms.append(Q(pk__isnull=True))
        arms.append(Q(pk__in=Defendant.objects.filter(institution_id__in=named).values("administrativecase_id")))
    return functools.reduce(operator.or_, arms) if arms else Q(pk__in=[])


def case_list(
    *,
    user,
    q: str | None = None,
    status: str | None = None,
    cause=None,
    instance: str | None = None,
    court=None,
    defendant=None,
    major: bool | None = None,
    filed_after: dt.date | None = None,
    filed_before: dt.date | None = None,
) -> QuerySet:
    """Cases the user sees, searched by 案号, plaintiff or defendant name, and filtered."""
    qs = (
        AdministrativeCase.objects.visible_to(user)
        .select_related("court", "cause", "outcome")
        .prefetch_related(Prefetch("defendants", queryset=Institution.objects.order_by("id")))
    )
    q = (q or "").strip()
    if q:
        qs = qs.filter(_keyword(q))
    if status:
        qs = qs.filter(status=status)
    if cause:
        qs = qs.filter(cause=cause)
    if instance:
        qs = qs.filter(instance=instance)
    if court:
        qs = qs.filter(court=court)
    if defendant:
        qs = qs.filter(pk__in=Defendant.objects.filter(institution=defendant).values("administrativecase_id"))
    if major is True:
        qs = qs.exclude(major_category="")
    elif major is False:
        qs = qs.filter(major_category="")
    if filed_after:
        qs = qs.filter(filed_on__gte=filed_after)
    if filed_before:
        qs = qs.filter(filed_on__lte=filed_before)
    return qs.order_by("-filed_on", "-id")


def case_hearings(*, case: AdministrativeCase) -> QuerySet:
    """A (visible) case's hearings with each defendant's appearance."""
    return case.hearings.prefetch_related(
        Prefetch("appearances", queryset=Appearance.objects.select_related("defendant").order_by("defendant_id"))
    ).order_by("held_on", "id")


def case_in_jurisdiction(*, procuratorate: Institution, number: str) -> AdministrativeCase | None:
    """The case a procuratorate names by 案号 to open 个案监督 on, if a court it supervises heard it.

    The procuratorate cannot see the case before it supervises it, so it is found by number
    and jurisdiction, never by id.
    """
    number = _number_query((number or "").strip())
    region_ids = [procuratorate.region_id]
    if procuratorate.level == Institution.Level.CITY:
        region_ids += list(
            Institution.objects.filter(region__parent_id=procuratorate.region_id)
            .values_list("region_id", flat=True)
            .distinct()
        )
    return (
        AdministrativeCase.objects.filter(number=number, court__region_id__in=region_ids)
        .select_related("court")
        .first()
    )


def dispute_list(*, user, status: str | None = None, q: str | None = None, institution=None, region=None) -> QuerySet:
    qs = Dispute.objects.visible_to(user).select_related("agency", "government", "court", "procuratorate", "case")
    qs = _with_party(qs, DISPUTE_PARTIES, institution, region)
    if status:
        qs = qs.filter(status=status)
    if q := (q or "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(applicant__icontains=q) | Q(agency__name__icontains=q))
    return qs.order_by("-received_on", "-id")


def coordination_list(*, user, status: str | None = None, case=None) -> QuerySet:
    qs = Coordination.objects.visible_to(user).select_related("case", "court", "government", "procuratorate")
    if status:
        qs = qs.filter(status=status)
    if case:
        qs = qs.filter(case=case)
    return qs.order_by("-opened_on", "-id")


# The parties of each cross-institution list: its 单位 filter matches any of them, its 地区 filter any of theirs.
ENFORCEMENT_PARTIES = ("court", "applicant", "assignee")
SUPERVISION_PARTIES = ("procuratorate", "court", "enforcing_agency")
CLUE_PARTIES = ("sender", "recipient")
DISPUTE_PARTIES = ("agency", "government", "court", "procuratorate")


def _with_party(qs, fields, institution=None, region=None):
    if institution is not None:
        qs = qs.filter(functools.reduce(operator.or_, (Q(**{f: institution}) for f in fields)))
    if region is not None:
        qs = qs.filter(functools.reduce(operator.or_, (Q(**{f"{f}__region": region}) for f in fields)))
    return qs


def enforcement_parties(user) -> QuerySet:
    """Courts, applicants and assignees of enforcements the user sees: the list's 单位 choices."""
    return hub_selectors.parties(Enforcement.objects.visible_to(user), *(f"{f}_id" for f in ENFORCEMENT_PARTIES))


def supervision_parties(user) -> QuerySet:
    """Procuratorates, courts and enforcing agencies of applications the user sees: the 单位 choices."""
    return hub_selectors.parties(
        SupervisionApplication.objects.visible_to(user), *(f"{f}_id" for f in SUPERVISION_PARTIES)
    )


def dispute_parties(user) -> QuerySet:
    """Agencies, governments, courts and procuratorates of disputes the user sees: the 单位 choices."""
    return hub_selectors.parties(Dispute.objects.visible_to(user), *(f"{f}_id" for f in DISPUTE_PARTIES))


def clue_parties(user) -> QuerySet:
    """Senders and recipients of clue transfers the user sees: the list's 单位 choices."""
    return hub_selectors.parties(ClueTransfer.objects.visible_to(user), *(f"{f}_id" for f in CLUE_PARTIES))


def enforcement_list(
    *,
    user,
    status: str | None = None,
    q: str | None = None,
    overdue: bool = False,
    institution=None,
    region=None,
) -> QuerySet:
    qs = Enforcement.objects.visible_to(user).select_related(
        "court", "applicant", "assignee", "case", "assignment_letter", "feedback_letter"
    )
    if status:
        qs = qs.filter(status=status)
    if q := (q or "").strip():
        qs = qs.filter(Q(basis_reference__icontains=q) | Q(respondent__icontains=q) | Q(applicant__name__icontains=q))
    if overdue:
        qs = qs.filter(status=Enforcement.Status.ASSIGNED, feedback_due__lt=timezone.localdate())
    qs = _with_party(qs, ENFORCEMENT_PARTIES, institution, region)
    return qs.order_by(*URGENT_ORDER, "-applied_on", "-id")


def supervision_list(*, user, status: str | None = None, institution=None, region=None) -> QuerySet:
    qs = SupervisionApplication.objects.visible_to(user).select_related(
        "procuratorate", "court", "enforcing_agency", "enforcement"
    )
    if status:
        qs = qs.filter(status=status)
    qs = _with_party(qs, SUPERVISION_PARTIES, institution, region)
    return qs.order_by(*URGENT_ORDER, "-received_on", "-id")


def clue_list(*, user, box: str | None = None, status: str | None = None, institution=None, region=None) -> QuerySet:
    """`box`: "sent" (by the user's institution), "received" (by it), or all it sees."""
    qs = ClueTransfer.objects.visible_to(user).select_related("sender", "recipient", "case")
    qs = _with_party(qs, CLUE_PARTIES, institution, region)
    if box == "sent":
        qs = qs.filter(sender_id=user.institution_id)
    elif box == "received":
        qs = qs.filter(recipient_id=user.institution_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-sent_on", "-id")


def observation_list(*, user, case=None) -> QuerySet:
    qs = (
        Observation.objects.visible_to(user)
        .select_related("case", "court", "procuratorate")
        .prefetch_related("attendances__institution")
    )
    if case:
        qs = qs.filter(case=case)
    return qs.order_by("-held_on", "-id")


def review_list(*, user, case=None) -> QuerySet:
    qs = Review.objects.visible_to(user).select_related("case", "court").prefetch_related("participants")
    if case:
        qs = qs.filter(case=case)
    return qs.order_by("-held_on", "-id")
