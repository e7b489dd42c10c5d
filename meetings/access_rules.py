"""Who sees meetings and decisions; registered with the one access module.

A meeting is seen by its proposer, its convener (the office, and office staff overseeing
the convener's or the proposer's region) and, once the notice is issued, by every invited
institution. A decision is seen by whoever sees its meeting and, once the minutes are
issued, by its owner institution and the owner's superior (as the ledger is).
"""

from django.db.models import Q

from liaison import access
from liaison.models import Letter

from .models import (
    AgendaItem,
    ClassMaterial,
    Decision,
    Invitation,
    LawClass,
    LegalReview,
    Meeting,
    Milestone,
    Minutes,
    Research,
    ReviewInvitation,
    ReviewOpinion,
)

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
    if access.oversees_every_region(user):
        return qs  # every convener is in one of its regions: no filter (as for cases)
    return qs.filter(meeting_q(user, inst))


def _visible_meeting_ids(user, inst):
    return Meeting.objects.filter(meeting_q(user, inst)).values("pk")


def _decisions(qs, user, inst):
    if access.oversees_every_region(user):
        return qs  # it sees every meeting, so every decision: no subquery over all meetings
    q = Q(meeting_id__in=_visible_meeting_ids(user, inst))
    q |= ~Q(status=Decision.Status.DRAFT) & (Q(owner=inst) | Q(owner__parent=inst))
    return qs.filter(q)


def _by_meeting(qs, user, inst):
    if access.oversees_every_region(user):
        return qs
    return qs.filter(meeting_id__in=_visible_meeting_ids(user, inst))


def _minutes(qs, user, inst):
    if access.oversees_every_region(user):
        return qs
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


# ----------------------------------------------------------------------------- legal review (论证)
# The drafting institution (and the office overseeing its region) sees its review from the draft;
# the invited court and procuratorate see it once the invitation letter is issued.


def review_q(user, inst) -> Q:
    q = Q(government=inst) | Q(
        ~Q(status=LegalReview.Status.DRAFT),
        pk__in=ReviewInvitation.objects.filter(institution=inst).values("review_id"),
    )
    regions = access.office_region_ids(user)
    if regions:
        q |= Q(government__region_id__in=regions)
    return q


def _reviews(qs, user, inst):
    return qs.filter(review_q(user, inst))


def _by_review(qs, user, inst):
    return qs.filter(review_id__in=LegalReview.objects.filter(review_q(user, inst)).values("pk"))


def _opinions(qs, user, inst):
    # An invitee's opinions stay its own until it returns them.
    return qs.filter(
        Q(invitation__institution=inst)
        | Q(
            invitation__status=ReviewInvitation.Status.RETURNED,
            invitation__review_id__in=LegalReview.objects.filter(review_q(user, inst)).values("pk"),
        )
    )


access.register_visibility(LegalReview, _reviews)
access.register_visibility(ReviewInvitation, _by_review)
access.register_visibility(ReviewOpinion, _opinions)


def _may_draft_review(user, obj=None) -> bool:
    # The government side drafts normative documents and major decisions (工作方案三(二)).
    from liaison.models import Institution

    return access.is_acting(user) and user.institution.kind in (Institution.Kind.GOVERNMENT, Institution.Kind.AGENCY)


def _may_see_table(user, review) -> bool:
    # The adoption table as it stands (before the answer letter): the drafter and the office.
    return user.institution_id == review.government_id or review.government.region_id in access.office_region_ids(user)


# ----------------------------------------------------------------------------- research and classes
# Joint research: the lead, every member's institution, the government its report goes to and the
# office overseeing the lead's region. A class: its organizer, audience and lecturers' institutions.


def research_q(user, inst) -> Q:
    from .models import ResearchMember

    q = (
        Q(lead=inst)
        | Q(government=inst)
        | Q(pk__in=ResearchMember.objects.filter(institution=inst).values("research_id"))
    )
    regions = access.office_region_ids(user)
    if regions:
        q |= Q(lead__region_id__in=regions)
    return q


def class_q(user, inst) -> Q:
    from .models import Lecturer

    q = (
        Q(organizer=inst)
        | Q(pk__in=LawClass.audience.through.objects.filter(institution=inst).values("lawclass_id"))
        | Q(pk__in=Lecturer.objects.filter(institution=inst).values("law_class_id"))
    )
    regions = access.office_region_ids(user)
    if regions:
        q |= Q(organizer__region_id__in=regions)
    return q


access.register_visibility(Research, lambda qs, user, inst: qs.filter(research_q(user, inst)))
access.register_visibility(
    Milestone,
    lambda qs, user, inst: qs.filter(research_id__in=Research.objects.filter(research_q(user, inst)).values("pk")),
)
access.register_visibility(LawClass, lambda qs, user, inst: qs.filter(class_q(user, inst)))
access.register_visibility(
    ClassMaterial,
    lambda qs, user, inst: qs.filter(law_class_id__in=LawClass.objects.filter(class_q(user, inst)).values("pk")),
)


def _may_lead_research(user, obj=None) -> bool:
    # The three institutions (and their departments) and the office lead joint research.
    return access.is_acting(user)


access.register_action("research.create", _may_lead_research)
access.register_action("law_class.create", _may_lead_research)
access.register_action("legal_review.create", _may_draft_review)
access.register_action("legal_review.table", _may_see_table)
access.register_action("meeting.propose", _may_propose)
access.register_action("decision.bulk", _may_bulk)
access.register_action("decision.supervise", _may_supervise)
