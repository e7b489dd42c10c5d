"""Who sees and does what with suggestions; registered with the one access module."""

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
    q = Q(recipient=inst)
    q |= Q(pk__in=Suggestion.cc.through.objects.filter(institution=inst).values("suggestion_id"))
    q |= Q(linked_from_id__in=Suggestion.objects.filter(issuer=inst).order_by().values("pk"))
    regions = access.office_region_ids(user)
    if regions:
        overseen = access.region_institution_ids(regions)
        q |= Q(issuer_id__in=overseen) | Q(recipient_id__in=overseen)
    return qs.filter(Q(issuer=inst) | (sent & q))


def _filings(qs, user, inst):
    q = Q(procuratorate=inst) | Q(office=inst)
    regions = access.office_region_ids(user)
    if regions:
        q |= Q(procuratorate__region_id__in=regions)
    return qs.filter(q)


def _issuer_acting(user, s):
    return access.is_acting(user) and s.issuer_id == user.institution_id


def _issuer_head(user, s):
    return user.role == Role.HEAD and s.issuer_id == user.institution_id


def _recipient_acting(user, s):
    return access.is_acting(user) and s.recipient_id == user.institution_id


def _recipient_head(user, s):
    return user.role == Role.HEAD and s.recipient_id == user.institution_id


def _can_issue_suggestions(user, obj=None):
    inst = user.institution
    return access.is_acting(user) and inst.kind in (Institution.Kind.COURT, Institution.Kind.PROCURATORATE)


def _link(user, s):
    # A procuratorate cc'd on a judicial suggestion may issue a linked procuratorial suggestion.
    inst = user.institution
    return (
        access.is_acting(user)
        and inst.kind == Institution.Kind.PROCURATORATE
        and s.kind == Suggestion.Kind.JUDICIAL
        and s.cc.filter(pk=inst.pk).exists()
    )


def _filing_create(user, obj=None):
    return access.is_acting(user) and user.institution.kind == Institution.Kind.PROCURATORATE


access.register_visibility(Suggestion, _suggestions)
access.register_visibility(Filing, _filings)
for verb, rule in {
    "suggestion.create": _can_issue_suggestions,
    "suggestion.edit": _issuer_acting,
    "suggestion.submit": _issuer_acting,
    "suggestion.approve": _issuer_head,
    "suggestion.issue": _issuer_head,
    "suggestion.withdraw": _issuer_head,
    "suggestion.evaluate": _issuer_acting,
    "suggestion.decide_extension": _issuer_head,
    "suggestion.receive": _recipient_acting,
    "suggestion.reply": _recipient_acting,
    "suggestion.approve_reply": _recipient_head,
    "suggestion.request_extension": _recipient_acting,
    "suggestion.link": _link,
    "filing.create": _filing_create,
}.items():
    access.register_action(verb, rule)
