"""Who sees suggestions and filings, and who may create them; registered with the one access module."""

from django.db.models import Q

from liaison import access
from liaison.models import Institution, User

from .models import Filing, Suggestion

Role = User.Role
S = Suggestion.Status


def _suggestions(qs, user, inst):
    # Before issue a suggestion is internal to the issuer; after, the recipient, cc's and the office see it,
    # and a linked procuratorial suggestion is visible to the court whose suggestion it follows.
    # Each `IN (…)` is one index lookup (STACK.md pitfall 8); no self-join before the LIMIT.
    sent = Q(letter__isnull=False)
    if access.oversees_every_region(user):
        return qs.filter(Q(issuer=inst) | sent)
    branches = [
        Q(issuer=inst),
        sent & Q(recipient=inst),
        sent & Q(pk__in=Suggestion.cc.through.objects.filter(institution=inst).values("suggestion_id")),
        sent & Q(linked_from_id__in=Suggestion.objects.filter(issuer=inst).order_by().values("pk")),
    ]
    regions = access.office_region_ids(user)
    if regions:
        overseen = access.region_institution_ids(regions)
        branches += [sent & Q(issuer_id__in=overseen), sent & Q(recipient_id__in=overseen)]
    return access.any_of(qs, *branches)


def _filings(qs, user, inst):
    q = Q(procuratorate=inst) | Q(office=inst)
    regions = access.office_region_ids(user)
    if regions:
        q |= Q(procuratorate__region_id__in=regions)
    return qs.filter(q)


def _can_issue_suggestions(user, obj=None):
    inst = user.institution
    return access.is_acting(user) and inst.kind in (Institution.Kind.COURT, Institution.Kind.PROCURATORATE)


def _filing_create(user, obj=None):
    return access.is_acting(user) and user.institution.kind == Institution.Kind.PROCURATORATE


access.register_visibility(Suggestion, _suggestions)
access.register_visibility(Filing, _filings)
# Creating has no record yet; every transition of a suggestion, reply or extension is declared
# in flows.py (liaison.workflow), which access.require/allowed read.
access.register_action("suggestion.create", _can_issue_suggestions)
access.register_action("filing.create", _filing_create)
