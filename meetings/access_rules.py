"""Who sees meetings and decisions; registered with the one access module.

A meeting is seen by its proposer, its convener (the office, and office staff overseeing
the convener's or the proposer's region) and, once the notice is issued, by every invited
institution. A decision is seen by whoever sees its meeting and, once the minutes are
issued, by its owner institution and the owner's superior (as the ledger is).
"""

from django.db.models import Q

from liaison import access
from liaison.models import Letter

from .models import AgendaItem, Decision, Invitation, Meeting, Minutes

MS = Meeting.Status


def meeting_q(user, inst) -> Q:
    q = Q(proposer=inst) | Q(convener=inst)
    q |= Q(
        notice_letter__status=Letter.Status.ISSUED,
        pk__in=Invitation.objects.filter(institution=inst).values("meeting_id"),
    )
    regions = access.office_region_ids(user)
    if regions:
        q |= Q(convener__region_id__in=regions) | Q(proposer__region_id__in=regions)
    return q


def _meetings(qs, user, inst):
    return qs.filter(meeting_q(user, inst))


def _visible_meeting_ids(user, inst):
    return Meeting.objects.filter(meeting_q(user, inst)).values("pk")


def _decisions(qs, user, inst):
    q = Q(meeting_id__in=_visible_meeting_ids(user, inst))
    q |= ~Q(status=Decision.Status.DRAFT) & (Q(owner=inst) | Q(owner__parent=inst))
    return qs.filter(q)


def _by_meeting(qs, user, inst):
    return qs.filter(meeting_id__in=_visible_meeting_ids(user, inst))


def _minutes(qs, user, inst):
    q = Q(meeting__convener=inst)
    regions = access.office_region_ids(user)
    if regions:
        q |= Q(meeting__convener__region_id__in=regions)
    q |= ~Q(status=Minutes.Status.DRAFT) & Q(meeting_id__in=_visible_meeting_ids(user, inst))
    return qs.filter(q)


access.register_visibility(Meeting, _meetings)
access.register_visibility(Decision, _decisions)
access.register_visibility(Invitation, _by_meeting)
access.register_visibility(AgendaItem, _by_meeting)
access.register_visibility(Minutes, _minutes)


def _may_propose(user, obj=None) -> bool:
    return access.is_acting(user)


def _may_supervise(user, obj=None) -> bool:
    # The office's supervision list of open decisions (督办): office staff and their auditors.
    return access.oversees_region(user)


def _may_bulk(user, obj=None) -> bool:
    # Bulk progress notes (督办) are the office staff's, not the auditors'.
    return access.is_office(user)


access.register_action("meeting.propose", _may_propose)
access.register_action("decision.bulk", _may_bulk)
access.register_action("decision.supervise", _may_supervise)
