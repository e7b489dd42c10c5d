"""The transitions of meetings, invitations, minutes and decisions, declared once.

Services take them through `access.require` (403 for the wrong person, 409 for the wrong
state) and `liaison.services.move`; pages render `workflow.available(user, obj)` as the
buttons and the API's `allowed_actions` lists them. Registered on import (MeetingsConfig.ready).
"""

from django.utils.translation import gettext_lazy as _

from liaison import access, workflow
from liaison.models import Letter, User

from .models import Decision, Invitation, Meeting, Minutes

MS = Meeting.Status
IS = Invitation.Status
MN = Minutes.Status
DS = Decision.Status
T = workflow.Transition


# ----------------------------------------------------------------------------- guards


def office_for(user, meeting: Meeting) -> bool:
    """Office staff of the convening office, or of an office overseeing its region."""
    if not access.is_office(user):
        return False
    return meeting.convener_id == user.institution_id or meeting.convener.region_id in access.office_region_ids(user)


def convener_head(user, meeting: Meeting) -> bool:
    return user.role == User.Role.HEAD and meeting.convener_id == user.institution_id


def invitee_acting(user, invitation: Invitation) -> bool:
    return access.is_acting(user) and invitation.institution_id == user.institution_id


def participant_acting(user, minutes: Minutes) -> bool:
    """The proposer and every invited institution may comment on circulated minutes."""
    if not access.is_acting(user):
        return False
    m = minutes.meeting
    return m.proposer_id == user.institution_id or any(
        i.institution_id == user.institution_id for i in m.invitations.all()
    )


def minutes_office(user, minutes: Minutes) -> bool:
    return office_for(user, minutes.meeting)


def minutes_head(user, minutes: Minutes) -> bool:
    return convener_head(user, minutes.meeting)


def owner_acting(user, decision: Decision) -> bool:
    return access.is_acting(user) and decision.owner_id == user.institution_id


def owner_or_office(user, decision: Decision) -> bool:
    return owner_acting(user, decision) or office_for(user, decision.meeting)


def decision_office(user, decision: Decision) -> bool:
    return office_for(user, decision.meeting)


# ----------------------------------------------------------------------------- conditions


def notice_awaits_sign_off(m: Meeting) -> bool:
    return m.notice_letter_id is not None and m.notice_letter.status == Letter.Status.PENDING


def minutes_not_started(m: Meeting) -> bool:
    return not Minutes.objects.filter(meeting=m).exists()


def decisions_open_for_edit(m: Meeting) -> bool:
    """Decisions may be added until the minutes go to the head."""
    minutes = Minutes.objects.filter(meeting=m).first()
    return minutes is None or minutes.status in (MN.DRAFT, MN.CIRCULATED)


def meeting_notified(inv: Invitation) -> bool:
    return inv.meeting.status == MS.NOTIFIED


# ----------------------------------------------------------------------------- declarations

MEETING_FLOW = workflow.Workflow(
    Meeting,
    T(
        "meeting.convene",
        [MS.PROPOSED],
        MS.CONVENED,
        office_for,
        label=_("受理并召集…"),
        page="meetings:convene",
    ),
    T(
        "meeting.decline",
        [MS.PROPOSED],
        MS.DECLINED,
        office_for,
        label=_("不予召集…"),
        page="meetings:decline",
        style="outline-danger",
    ),
    T(
        "meeting.agenda",
        [MS.PROPOSED, MS.CONVENED, MS.NOTIFIED],
        None,
        office_for,
        label=_("编辑议程…"),
        page="meetings:agenda",
        style="outline-primary",
    ),
    T(
        "meeting.issue_notice",
        [MS.CONVENED],
        MS.NOTIFIED,
        convener_head,
        when=notice_awaits_sign_off,
        label=_("签发会议通知…"),
        page="meetings:issue_notice",
        refusal=_("会议通知不在待签发状态。"),
    ),
    T(
        "meeting.hold",
        [MS.NOTIFIED],
        MS.HELD,
        office_for,
        label=_("会议签到…"),
        page="meetings:hold",
    ),
    T(
        "meeting.decide",
        [MS.HELD],
        None,
        office_for,
        when=decisions_open_for_edit,
        label=_("登记议定事项…"),
        page="meetings:decide",
        style="outline-primary",
        refusal=_("纪要已报送审定，不能再登记议定事项。"),
    ),
    T(
        "meeting.draft_minutes",
        [MS.HELD],
        None,
        office_for,
        when=minutes_not_started,
        label=_("起草会议纪要…"),
        page="meetings:draft_minutes",
        refusal=_("已起草会议纪要。"),
    ),
    T(
        "meeting.cancel",
        [MS.CONVENED, MS.NOTIFIED],
        MS.CANCELLED,
        office_for,
        label=_("取消会议…"),
        page="meetings:cancel",
        style="outline-danger",
    ),
)

INVITATION_FLOW = workflow.Workflow(
    Invitation,
    T(
        "invitation.respond",
        [IS.PENDING, IS.ATTENDING, IS.APOLOGY],
        None,  # the service chooses: attending or apology
        invitee_acting,
        when=meeting_notified,
        label=_("回复参会情况…"),
        page="meetings:respond",
        refusal=_("会议不在通知阶段，不能回复参会情况。"),
    ),
)

MINUTES_FLOW = workflow.Workflow(
    Minutes,
    T(
        "minutes.edit",
        [MN.DRAFT, MN.CIRCULATED],
        None,
        minutes_office,
        label=_("修改纪要…"),
        api="edit-minutes",
        page="meetings:minutes_edit",
        style="outline-primary",
    ),
    T(
        "minutes.circulate",
        [MN.DRAFT],
        MN.CIRCULATED,
        minutes_office,
        label=_("征求与会单位意见…"),
        api="circulate-minutes",
        page="meetings:minutes_circulate",
    ),
    T(
        "minutes.comment",
        [MN.CIRCULATED],
        None,
        participant_acting,
        label=_("提出意见…"),
        api="comment-minutes",
        page="meetings:minutes_comment",
        style="outline-primary",
    ),
    T(
        "minutes.submit",
        [MN.DRAFT, MN.CIRCULATED],
        MN.PENDING,
        minutes_office,
        label=_("报负责人审定…"),
        api="submit-minutes",
        page="meetings:minutes_submit",
    ),
    T(
        "minutes.approve",
        [MN.PENDING],
        MN.ISSUED,
        minutes_head,
        label=_("审定并印发…"),
        api="approve-minutes",
        page="meetings:minutes_approve",
    ),
    T(
        "minutes.return",
        [MN.PENDING],
        MN.DRAFT,
        minutes_head,
        label=_("退回修改…"),
        api="return-minutes",
        page="meetings:minutes_return",
        style="outline-danger",
    ),
)

DECISION_FLOW = workflow.Workflow(
    Decision,
    T(
        "decision.edit",
        [DS.DRAFT],
        None,
        decision_office,
        when=lambda d: decisions_open_for_edit(d.meeting),
        label=_("修改…"),
        api="edit",
        page="meetings:decision_edit",
        style="outline-primary",
        refusal=_("纪要已报送审定，不能再修改议定事项。"),
    ),
    T(
        "decision.progress",
        [DS.OPEN],
        None,
        owner_or_office,
        label=_("报告进展…"),
        page="meetings:decision_progress",
        style="outline-primary",
    ),
    T(
        "decision.report",
        [DS.OPEN],
        DS.REPORTED,
        owner_acting,
        label=_("报请办结…"),
        page="meetings:decision_report",
    ),
    T(
        "decision.confirm",
        [DS.REPORTED],
        DS.DONE,
        decision_office,
        label=_("确认办结…"),
        page="meetings:decision_confirm",
    ),
    T(
        "decision.return",
        [DS.REPORTED],
        DS.OPEN,
        decision_office,
        label=_("退回继续落实…"),
        page="meetings:decision_return",
        style="outline-danger",
    ),
)

FLOWS = [MEETING_FLOW, INVITATION_FLOW, MINUTES_FLOW, DECISION_FLOW]
for _flow in FLOWS:
    workflow.register(_flow)
