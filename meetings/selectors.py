"""Reads for meetings: every list starts from `access.visible` and loads its relations in a
constant number of queries."""

import calendar as pycal
import datetime as dt

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from liaison import access, workflow
from liaison import selectors as hub_selectors

from .models import AgendaItem, Decision, DecisionUpdate, Invitation, Meeting, MeetingLink, Minutes, MinutesComment

MS, DS = Meeting.Status, Decision.Status
OPEN_DECISIONS = (DS.OPEN, DS.REPORTED)


def meetings(user, *, status: str = "", kind: str = "", year: int | None = None, q: str = "") -> QuerySet:
    qs = access.visible(Meeting.objects.all(), user).select_related(
        "kind", "proposer", "convener__region", "notice_letter"
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind__code=kind)
    if year:
        qs = qs.filter(created_at__year=year)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(reasons__icontains=q))
    return qs.order_by("-created_at", "-id")


def meeting_detail_queryset(user) -> QuerySet:
    """One meeting with everything its page and API show."""
    return (
        access.visible(Meeting.objects.all(), user)
        .select_related("kind", "proposer", "proposed_by", "convener__region", "notice_letter")
        .prefetch_related(
            "proposed_participants",
            Prefetch("invitations", queryset=Invitation.objects.select_related("institution", "meeting__convener")),
            Prefetch("agenda", queryset=AgendaItem.objects.select_related("presenter")),
            "attendance__institution",
            Prefetch("decisions", queryset=Decision.objects.select_related("owner", "ledger_entry")),
            Prefetch("links", queryset=MeetingLink.objects.select_related("target_type")),
        )
    )


def minutes_for(meeting: Meeting, user) -> Minutes | None:
    qs = access.visible(Minutes.objects.filter(meeting=meeting), user)
    return (
        qs.select_related("meeting__convener__region", "letter", "drafted_by", "approved_by")
        .prefetch_related(
            Prefetch("comments", queryset=MinutesComment.objects.select_related("institution", "by")),
            "meeting__invitations",
        )
        .first()
    )


def own_invitation(meeting: Meeting, user) -> Invitation | None:
    for inv in meeting.invitations.all():
        if inv.institution_id == getattr(user, "institution_id", None):
            return inv
    return None


def meeting_actions(user, meeting: Meeting, minutes: Minutes | None = None) -> list[tuple]:
    """(transition, record) the user may take now on the meeting, its own invitation and its minutes."""
    found = [(t, meeting) for t in workflow.available(user, meeting)]
    inv = own_invitation(meeting, user)
    if inv is not None:
        found += [(t, inv) for t in workflow.available(user, inv)]
    if minutes is not None:
        found += [(t, minutes) for t in workflow.available(user, minutes)]
    return found


def decision_owners(user) -> QuerySet:
    """The institutions owning a decision the user may see: the 督办 list's 责任单位 (and 地区) choices."""
    return hub_selectors.parties(access.visible(Decision.objects.all(), user), "owner_id")


def decisions(
    user,
    *,
    status: str = "",
    owner=None,
    region=None,
    overdue: bool = False,
    open_only: bool = False,
    q: str = "",
) -> QuerySet:
    """Decisions the user may see; overdue first, then by due date (the office's supervision order)."""
    today = timezone.localdate()
    qs = access.visible(Decision.objects.all(), user).select_related(
        "owner", "meeting__kind", "meeting__convener__region", "ledger_entry"
    )
    if status:
        qs = qs.filter(status=status)
    if open_only:
        qs = qs.filter(status__in=OPEN_DECISIONS)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if region is not None:
        qs = qs.filter(owner__region=region)
    if overdue:
        qs = qs.filter(status__in=OPEN_DECISIONS, due_date__lt=today)
    if q:
        qs = qs.filter(text__icontains=q)
    late = Case(
        When(status__in=OPEN_DECISIONS, due_date__lt=today, then=Value(0)),
        When(status__in=OPEN_DECISIONS, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    # The order by the stored rank (Decision.due_rank, indexed); `late_rank` only marks the overdue rows' badge.
    return qs.annotate(late_rank=late).order_by("due_rank", "due_date", "id")


def decision_detail_queryset(user) -> QuerySet:
    return (
        access.visible(Decision.objects.all(), user)
        .select_related("owner", "meeting__kind", "meeting__convener__region", "ledger_entry", "confirmed_by")
        .prefetch_related(
            Prefetch("updates", queryset=DecisionUpdate.objects.select_related("institution", "by")),
        )
    )


def month_meetings(user, year: int, month: int) -> list[Meeting]:
    """The meetings with a time that the user may see, in one calendar month."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, pycal.monthrange(year, month)[1])
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return list(
        access.visible(Meeting.objects.all(), user)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .exclude(status__in=[MS.DECLINED])
        .select_related("kind", "convener")
        .order_by("starts_at", "id")
    )


def feed_meetings(user) -> QuerySet:
    """What a user's .ics feed shows: visible meetings with a time, from a year back."""
    since = timezone.now() - dt.timedelta(days=366)
    return (
        access.visible(Meeting.objects.all(), user)
        .filter(starts_at__gte=since)
        .exclude(status__in=[MS.DECLINED, MS.PROPOSED])
        .select_related("kind", "convener")
        .order_by("starts_at", "id")
    )
