"""The transitions of cases and the work around them, declared once (liaison.workflow).

Services take them through `access.require(by, verb, obj)` (403 for the wrong institution or
role, 409 for the wrong state or condition) and change a state only through `liaison.services.move`;
detail pages render the available ones with `{% actions obj %}`; the API's `allowed_actions` is
`workflow.api_actions(user, obj)`. Registered on import (CasesConfig.ready).

Creating a record (a case, a dispute, an enforcement application, a supervision application, a
clue) has no record to start from: those verbs stay rules of `access` (cases/access_rules.py).
Observations and reviews are organised from a case, so they are transitions of the case.

`target=None` where the state does not change (a hearing added) or where the service chooses
among several (a conclusion with or without its effective date, a ruling, a dispute's outcome).
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from liaison import access, workflow
from liaison.models import Letter

from .models import AdministrativeCase, ClueTransfer, Coordination, Dispute, Enforcement, Observation
from .models import SupervisionApplication as Supervision

CS = AdministrativeCase.Status
CO = Coordination.Status
DS = Dispute.Status
ES = Enforcement.Status
SS = Supervision.Status
LS = ClueTransfer.Status
T = workflow.Transition


# ----------------------------------------------------------------------------- guards (403)


def court_acting(user, obj) -> bool:
    """The court of the case (or of the coordination, enforcement, observation), acting for it."""
    return access.is_acting(user) and obj.court_id == user.institution_id


def appearance_party(user, case) -> bool:
    # The court records hearings; a defendant records its own appearance (负责人出庭).
    return court_acting(user, case) or (
        access.is_acting(user) and case.defendants.filter(pk=user.institution_id).exists()
    )


def coordination_party(user, c) -> bool:
    return access.is_acting(user) and user.institution_id in (c.court_id, c.government_id, c.procuratorate_id)


def dispute_party(user, d) -> bool:
    parties = (d.court_id, d.government_id, d.agency_id, d.procuratorate_id)
    return access.is_acting(user) and user.institution_id in parties


def dispute_host(user, d) -> bool:
    """Joint mediation is hosted by the court and the government; they record its outcome."""
    return access.is_acting(user) and user.institution_id in (d.court_id, d.government_id)


def assignee_acting(user, e) -> bool:
    return access.is_acting(user) and e.assignee_id == user.institution_id


def procuratorate_acting(user, app) -> bool:
    return access.is_acting(user) and app.procuratorate_id == user.institution_id


def clue_recipient(user, clue) -> bool:
    return access.is_acting(user) and clue.recipient_id == user.institution_id


# ----------------------------------------------------------------------------- conditions (409)


def hearing_held(case) -> bool:
    """An appearance is recorded once a hearing has taken place (the hearings may be prefetched)."""
    today = timezone.localdate()
    return any(h.held_on <= today for h in case.hearings.all())


def imposes_obligation(case) -> bool:
    return case.imposes_obligation is True


def review_refusal(case) -> str:
    return _("判决生效后才能组织判后评议（%(n)s 当前为“%(s)s”）。") % {
        "n": case.number,
        "s": case.get_status_display(),
    }


def no_procuratorate_yet(c) -> bool:
    return c.procuratorate_id is None


def invited_refusal(c) -> str:
    return _("已邀请%(p)s监督。") % {"p": c.procuratorate.name}


def assignment_issued(e) -> bool:
    return e.assignment_letter_id is not None and e.assignment_letter.status == Letter.Status.ISSUED


def feedback_open(e) -> bool:
    """The court's assignment letter is issued and the assignee has not drafted its reply yet."""
    return assignment_issued(e) and not e.feedback_letter_id


def feedback_refusal(e) -> str:
    if not assignment_issued(e):
        return _("法院的组织实施函尚未签发。")
    return _("已起草执行情况反馈函，请在公文页面修改或签发。")


def observation_held(o) -> bool:
    return o.held_on <= timezone.localdate()


def _from_case(url_name):
    """An organising page named by the case in its query (`observations/new/?case=<uuid>`)."""
    return lambda case: f"{reverse(url_name)}?{urlencode({'case': case.uuid})}"


# ----------------------------------------------------------------------------- 待办 candidates


def pending_enforcements(user, states):
    """Applications the user's court must rule on, and assignments its institution must feed back
    on (court and assignee are indexed foreign keys), with what the guards read."""
    inst = user.institution_id
    return Enforcement.objects.filter(Q(court_id=inst) | Q(assignee_id=inst), status__in=states).select_related(
        "court", "assignee", "assignment_letter"
    )


def sent_assignments(user):
    """跟踪: the assignments the user's court made that wait for the assignee's written feedback."""
    return (
        Enforcement.objects.visible_to(user)
        .filter(court_id=user.institution_id, status=ES.ASSIGNED)
        .select_related("court", "assignee", "assignment_letter")
    )


# ----------------------------------------------------------------------------- declarations

CASE_FLOW = workflow.Workflow(
    AdministrativeCase,
    T(
        "case.hearing",
        [CS.PENDING],
        None,
        court_acting,
        label=gettext_lazy("登记开庭…"),
        api="hearings",
        page="cases:hearing_add",
    ),
    T(
        # No button of its own: each held hearing's row has one per defendant (data-verb on it).
        "case.appearance",
        None,
        None,
        appearance_party,
        when=hearing_held,
        api="appearances",
        refusal=gettext_lazy("庭审尚未举行，不能记录出庭情况。"),
    ),
    T(
        "coordination.open",
        [CS.PENDING],
        None,  # the case stays pending; a Coordination is opened
        court_acting,
        when=lambda case: case.is_major,
        label=gettext_lazy("发起协调…"),
        api="coordinations",
        page="cases:coordination_open",
        refusal=gettext_lazy("只有重大案件（集体土地征收、房屋拆迁补偿、生态环境保护等）才启动协调。"),
    ),
    T(
        "case.conclude",
        [CS.PENDING],
        None,  # concluded, or effective at once when the effective date is given
        court_acting,
        label=gettext_lazy("结案…"),
        page="cases:conclude",
        style="outline-primary",
    ),
    T(
        "case.mark_effective",
        [CS.CONCLUDED],
        CS.EFFECTIVE,
        court_acting,
        label=gettext_lazy("登记裁判生效…"),
        page="cases:effective",
    ),
    T(
        "case.record_performance",
        [CS.EFFECTIVE],
        None,
        court_acting,
        when=imposes_obligation,
        label=gettext_lazy("登记履行情况…"),
        page="cases:performance",
        refusal=gettext_lazy("该生效裁判未课以义务，无需记录履行情况。"),
    ),
    T(
        "observation.create",
        None,  # a hearing of the case may be observed whatever its state
        None,
        court_acting,
        label=gettext_lazy("组织庭审观摩…"),
        api="observations",
        page=_from_case("cases:observation_create"),
        style="outline-primary",
    ),
    T(
        "review.create",
        None,
        None,
        court_acting,
        when=lambda case: case.status == CS.EFFECTIVE,
        refusal=review_refusal,
        label=gettext_lazy("记录判后评议…"),
        api="reviews",
        page=_from_case("cases:review_create"),
        style="outline-primary",
    ),
    T(
        # Any state: 案号, instance, cause, parties and filing date only while pending (the service).
        "case.edit",
        None,
        None,
        court_acting,
        label=gettext_lazy("修改案件信息"),
        page="cases:edit",
        style="outline-secondary",
    ),
)

COORDINATION_FLOW = workflow.Workflow(
    Coordination,
    T(
        "coordination.invite",
        [CO.OPEN],
        None,
        court_acting,
        when=no_procuratorate_yet,
        label=gettext_lazy("邀请检察院监督…"),
        page="cases:coordination_invite",
        refusal=invited_refusal,
    ),
    T(
        "coordination.communicate",
        [CO.OPEN],
        None,
        coordination_party,
        label=gettext_lazy("记录沟通情况…"),
        api="communications",
        page="cases:coordination_communicate",
    ),
    T(
        "coordination.close",
        [CO.OPEN],
        CO.CLOSED,
        court_acting,
        label=gettext_lazy("结束协调…"),
        page="cases:coordination_close",
        style="outline-danger",
    ),
)

DISPUTE_FLOW = workflow.Workflow(
    Dispute,
    T(
        "dispute.session",
        [DS.OPEN],
        None,
        dispute_party,
        label=gettext_lazy("记录联合调解…"),
        api="sessions",
        page="cases:mediation_add",
    ),
    T(
        "dispute.conclude",
        [DS.OPEN],
        None,  # resolved, withdrawn or filed: the outcome chooses
        dispute_host,
        label=gettext_lazy("化解结束…"),
        page="cases:dispute_conclude",
        style="outline-primary",
    ),
)

ENFORCEMENT_FLOW = workflow.Workflow(
    Enforcement,
    T(
        "enforcement.rule",
        [ES.APPLIED],
        None,  # refused, enforced by the court, or assigned: the ruling chooses
        court_acting,
        label=gettext_lazy("作出裁定…"),
        page="cases:enforcement_rule",
        todo=gettext_lazy("待裁定"),
    ),
    T(
        # The move to FEEDBACK happens when the reply is issued (services.on_letter_issued).
        "enforcement.feedback",
        [ES.ASSIGNED],
        ES.FEEDBACK,
        assignee_acting,
        when=feedback_open,
        label=gettext_lazy("起草书面反馈…"),
        page="cases:enforcement_feedback",
        refusal=feedback_refusal,
        todo=pgettext_lazy("enforcement", "待反馈"),
    ),
    pending=pending_enforcements,
    due=lambda e: e.feedback_due if e.status == ES.ASSIGNED else None,
    # the assignment letter not yet issued, or the feedback drafted and not yet issued: still 待反馈
    track=workflow.Track(
        sent=sent_assignments, party=lambda e: e.assignee, step=lambda e: pgettext_lazy("enforcement", "待反馈")
    ),
)

SUPERVISION_FLOW = workflow.Workflow(
    Supervision,
    T(
        "supervision.decide",
        [SS.RECEIVED],
        SS.DECIDED,
        procuratorate_acting,
        label=gettext_lazy("作出决定…"),
        page="cases:supervision_decide",
        todo=gettext_lazy("待决定"),
    ),
    pending=lambda user, states: Supervision.objects.filter(
        procuratorate_id=user.institution_id, status__in=states
    ).select_related("procuratorate", "court"),
    due=lambda app: app.decision_due,
)

CLUE_FLOW = workflow.Workflow(
    ClueTransfer,
    T(
        "clue.receive",
        [LS.SENT],
        LS.RECEIVED,
        clue_recipient,
        label=gettext_lazy("接收…"),
        page="cases:clue_receive",
        todo=gettext_lazy("待接收"),
    ),
    T(
        "clue.handle",
        [LS.RECEIVED],
        LS.HANDLED,
        clue_recipient,
        label=gettext_lazy("办结…"),
        page="cases:clue_handle",
        todo=gettext_lazy("待办结"),
    ),
    # the handling deadline lives on the recipient's ledger entry (工作台账), not on the clue
    pending=lambda user, states: ClueTransfer.objects.filter(
        recipient_id=user.institution_id, status__in=states
    ).select_related("recipient", "sender"),
)

OBSERVATION_FLOW = workflow.Workflow(
    Observation,
    T(
        "observation.attendance",
        None,  # an observation has no state: it is held on its date
        None,
        court_acting,
        when=observation_held,
        label=gettext_lazy("登记实到人数…"),
        page="cases:observation_attendance",
        refusal=gettext_lazy("观摩尚未举行，不能登记实到人数。"),
    ),
)

FLOWS = [
    CASE_FLOW,
    COORDINATION_FLOW,
    DISPUTE_FLOW,
    ENFORCEMENT_FLOW,
    SUPERVISION_FLOW,
    CLUE_FLOW,
    OBSERVATION_FLOW,
]
for _flow in FLOWS:
    workflow.register(_flow)
