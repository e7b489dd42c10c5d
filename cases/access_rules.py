"""Who sees and does what with cases and the work around them; registered with liaison.access.

A case is visible to its court, its defendant agencies and their superior government,
a procuratorate that supervises it (coordination invitation, supervision record, trial
observation invitation), and the office overseeing the court's or a defendant's region.
"""

from django.db.models import Q

from liaison import access
from liaison.models import Institution, User

from .models import (
    AdministrativeCase,
    CaseSupervision,
    ClueTransfer,
    Coordination,
    Dispute,
    Enforcement,
    Observation,
    Review,
    SupervisionApplication,
)

K = Institution.Kind
Role = User.Role
Defendants = AdministrativeCase.defendants.through


def _office(user, *fields) -> Q:
    regions = access.office_region_ids(user)
    q = Q(pk__in=[])
    for f in fields if regions else ():
        q |= Q(**{f"{f}__region_id__in": regions})
    return q


def _cases(qs, user, inst):
    # The court, the defendants and their superiors, the procuratorate or government drawn in
    # (coordination, supervision, observation), and the office overseeing the court's or a
    # defendant's region. Each `IN (…)` is one index lookup (STACK.md pitfall 8).
    if access.oversees_every_region(user):
        return qs
    defendants = Defendants.objects.filter(institution_id__in=access.own_and_subordinate_ids(inst))
    branches = [
        Q(court=inst),
        Q(pk__in=defendants.order_by().values("administrativecase_id")),
        Q(pk__in=Coordination.objects.filter(Q(procuratorate=inst) | Q(government=inst)).order_by().values("case_id")),
        Q(pk__in=CaseSupervision.objects.filter(procuratorate=inst).order_by().values("case_id")),
        Q(pk__in=Observation.objects.filter(procuratorate=inst).order_by().values("case_id")),
    ]
    regions = access.office_region_ids(user)
    if regions:
        overseen = access.region_institution_ids(regions)
        branches.append(Q(court_id__in=overseen))
        branches.append(
            Q(pk__in=Defendants.objects.filter(institution_id__in=overseen).order_by().values("administrativecase_id"))
        )
    return access.any_of(qs, *branches)


def _disputes(qs, user, inst):
    q = Q(agency=inst) | Q(government=inst) | Q(court=inst) | Q(procuratorate=inst)
    return qs.filter(q | _office(user, "court", "agency"))


def _coordinations(qs, user, inst):
    q = Q(court=inst) | Q(government=inst) | Q(procuratorate=inst)
    q |= Q(
        case__in=AdministrativeCase.defendants.through.objects.filter(institution=inst).values("administrativecase_id")
    )
    return qs.filter(q | _office(user, "court"))


def _enforcements(qs, user, inst):
    q = Q(court=inst) | Q(applicant=inst) | Q(assignee=inst) | Q(assignee__parent=inst)
    q |= Q(pk__in=SupervisionApplication.objects.filter(procuratorate=inst).values("enforcement_id"))
    return qs.filter(q | _office(user, "court"))


def _supervisions(qs, user, inst):
    q = Q(procuratorate=inst) | Q(court=inst) | Q(enforcing_agency=inst)
    return qs.filter(q | _office(user, "procuratorate"))


def _clues(qs, user, inst):
    return qs.filter(Q(sender=inst) | Q(recipient=inst) | _office(user, "sender", "recipient"))


def _observations(qs, user, inst):
    q = Q(court=inst) | Q(procuratorate=inst) | Q(attendances__institution=inst)
    return qs.filter(q | _office(user, "court")).distinct()


def _reviews(qs, user, inst):
    q = Q(court=inst) | Q(pk__in=Review.participants.through.objects.filter(institution=inst).values("review_id"))
    return qs.filter(q | _office(user, "court"))


for model, rule in {
    AdministrativeCase: _cases,
    Dispute: _disputes,
    Coordination: _coordinations,
    Enforcement: _enforcements,
    SupervisionApplication: _supervisions,
    ClueTransfer: _clues,
    Observation: _observations,
    Review: _reviews,
}.items():
    access.register_visibility(model, rule)


# ----------------------------------------------------------------------------- verbs
#
# Creating a record starts from no record; every step on a record is a transition declared in
# cases/flows.py (its guard, states and condition), which access.require/allowed read.


def _kind(user, *kinds) -> bool:
    return access.is_acting(user) and user.institution.kind in kinds


for verb, rule in {
    "case.create": lambda user, obj=None: _kind(user, K.COURT),
    "case.import": lambda user, obj=None: _kind(user, K.COURT),
    "dispute.create": lambda user, obj=None: _kind(user, K.COURT, K.GOVERNMENT),
    "enforcement.create": lambda user, obj=None: _kind(user, K.COURT),
    "supervision.create": lambda user, obj=None: _kind(user, K.PROCURATORATE),
    # Opening 个案监督 widens what the procuratorate sees: its head signs it off (RULES: 检察长决定).
    "case_supervision.create": lambda user, obj=None: _kind(user, K.PROCURATORATE) and user.role == Role.HEAD,
    "clue.create": lambda user, obj=None: _kind(user, K.GOVERNMENT, K.COURT, K.PROCURATORATE),
}.items():
    access.register_action(verb, rule)
