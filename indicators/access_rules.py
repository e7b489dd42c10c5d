"""Who sees which indicator figures; registered with liaison.access.

The scope of a viewer (decided here, from the viewer's institution and role only):

- city-wide: the city office (staff and its auditors), the city government, the city's
  court and procuratorate (the court computes and sends the figures, the procuratorate is
  copied), and the government's legal-affairs staff (role 法制工作人员) at city level;
- one county/district: the same institutions and roles at county level (a county
  government sees its region's agencies and its own row in the county ranking);
- own: any other agency sees only its own figures and its rank;
- nothing: users without an institution (administrators).

Drill-down lists go further through `visible_to(user)` of cases, hearings and
suggestions, so a list never shows a record the viewer could not open.
"""

from dataclasses import dataclass

from liaison import access
from liaison.models import Institution, User

K = Institution.Kind
Role = User.Role
OVERSEEING_KINDS = (K.GOVERNMENT, K.COURT, K.PROCURATORATE)


@dataclass(frozen=True)
class Scope:
    kind: str  # "city", "region", "own" or "none"
    region_id: int | None = None
    institution_id: int | None = None

    def allows_level(self, level: str) -> bool:
        if self.kind == "city":
            return True
        if self.kind == "region":
            return level in ("agency", "region")
        if self.kind == "own":
            return level == "agency"
        return False


def scope_of(user) -> Scope:
    inst = access.institution_of(user)
    if inst is None:
        return Scope("none")
    overseeing = (
        access.oversees_region(user)
        or inst.kind in OVERSEEING_KINDS
        or (user.role == Role.LEGAL and inst.kind == K.AGENCY)
    )
    if overseeing:
        if inst.level == Institution.Level.CITY:
            return Scope("city", inst.region_id, inst.pk)
        return Scope("region", inst.region_id, inst.pk)
    if inst.kind == K.AGENCY:
        return Scope("own", inst.region_id, inst.pk)
    return Scope("none")


def _view(level):
    def rule(user, obj=None) -> bool:
        return user.is_authenticated and scope_of(user).allows_level(level)

    return rule


for verb, rule in {
    "indicators.agency": _view("agency"),
    "indicators.region": _view("region"),
    "indicators.city": _view("city"),
}.items():
    access.register_action(verb, rule)


# ----------------------------------------------------------------------------- bulletins


def _bulletins(qs, user, inst):
    from django.db.models import Q

    q = Q(issuer=inst)
    q |= Q(status="issued") & (Q(government=inst) | Q(procuratorate=inst))
    regions = access.office_region_ids(user)
    if regions:
        q |= Q(region_id__in=regions)
    return qs.filter(q)


def _register_bulletins():
    from .models import AnnualReport, Bulletin, _declare, _declare_report

    access.register_visibility(Bulletin, _bulletins)
    # The annual report: the same readers as a bulletin (the court writing it, the office of its
    # region; the government and procuratorate once issued).
    access.register_visibility(AnnualReport, _bulletins)
    _declare()
    _declare_report()


_register_bulletins()
