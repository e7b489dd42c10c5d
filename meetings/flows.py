"""The transitions of meetings, invitations, minutes and decisions, declared once.

Services take them through `access.require` (403 for the wrong person, 409 for the wrong
state) and `liaison.services.move`; pages render `workflow.available(user, obj)` as the
buttons and the API's `allowed_actions` lists them. Registered on import (MeetingsConfig.ready).
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison import access, workflow
from liaison.models import Letter, User

from .models import (
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
IS = Invitation.Status
MN = Minutes.Status
DS = Decision.Status
LR = LegalReview.Status
RI = ReviewInvitation.Status
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

# ----------------------------------------------------------------------------- 待办 candidates
# Narrow, indexed querysets of the records where a user may have a pending action; the to-do
# list asks each one's transitions (liaison.todo), so these only need to include, not decide.


def _institution(user):
    return getattr(user, "institution_id", None)


def _is_head(user) -> bool:
    return getattr(user, "role", None) == User.Role.HEAD


def _of_kind(user, *kinds) -> bool:
    inst = getattr(user, "institution", None)
    return inst is not None and inst.kind in kinds


def pending_meetings(user, states):
    # convening is the office's, signing the notice its head's: nobody else queries (dashboard cost)
    if not (access.is_office(user) or _is_head(user)):
        return Meeting.objects.none()
    return access.visible(Meeting.objects.filter(status__in=states), user).select_related(
        "convener__region", "notice_letter", "kind"
    )


def pending_invitations(user, states):
    return Invitation.objects.filter(
        institution_id=_institution(user), status=IS.PENDING, meeting__status=MS.NOTIFIED
    ).select_related("meeting", "institution")


def pending_minutes(user, states):
    if not _is_head(user):
        return Minutes.objects.none()
    return Minutes.objects.filter(status__in=states, meeting__convener_id=_institution(user)).select_related(
        "meeting__convener__region"
    )


def pending_decisions(user, states):
    from django.db.models import Q

    return (
        access.visible(Decision.objects.filter(status__in=states), user)
        .filter(Q(owner_id=_institution(user)) | Q(status=DS.REPORTED))
        .select_related("meeting__convener__region", "owner")
    )


MEETING_FLOW = workflow.Workflow(
    Meeting,
    T(
        "meeting.convene",
        [MS.PROPOSED],
        MS.CONVENED,
        office_for,
        label=_("受理并召集…"),
        page="meetings:convene",
        todo=_("待受理会议提议"),
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
        todo=_("待签发会议通知"),
        takes="letter.issue",  # issues the notice letter
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
    pending=pending_meetings,
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
        todo=_("待回复参会情况"),
    ),
    pending=pending_invitations,
    due=lambda inv: inv.meeting.starts_at and timezone.localtime(inv.meeting.starts_at).date(),
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
        todo=_("待审定会议纪要"),
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
    pending=pending_minutes,
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
        todo=_("待落实议定事项"),
    ),
    T(
        "decision.confirm",
        [DS.REPORTED],
        DS.DONE,
        decision_office,
        label=_("确认办结…"),
        page="meetings:decision_confirm",
        todo=_("待确认办结"),
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
    pending=pending_decisions,
    due=lambda d: d.due_date if d.status == DS.OPEN else None,
)


# ----------------------------------------------------------------------------- legal review (论证)


def drafter_acting(user, review: LegalReview) -> bool:
    return access.is_acting(user) and review.government_id == user.institution_id


def drafter_head(user, review: LegalReview) -> bool:
    return user.role == User.Role.HEAD and review.government_id == user.institution_id


def review_invitee(user, inv: ReviewInvitation) -> bool:
    return access.is_acting(user) and inv.institution_id == user.institution_id


def opinion_drafter(user, opinion: ReviewOpinion) -> bool:
    return drafter_acting(user, opinion.invitation.review)


def draft_attached(r: LegalReview) -> bool:
    return r.invitation_letter_id is not None and r.invitation_letter.attachments.exists()


def all_answered(r: LegalReview) -> bool:
    """Every invitee returned its opinions and every opinion has its answer."""
    invitations = list(r.invitations.all())
    return bool(invitations) and all(
        i.status == RI.RETURNED and all(o.adoption for o in i.opinions.all()) for i in invitations
    )


def review_open(inv: ReviewInvitation) -> bool:
    return inv.review.status == LR.INVITED


def has_opinions(inv: ReviewInvitation) -> bool:
    return review_open(inv) and (inv.opinions.exists() or bool(inv.general.strip()))


def opinion_returned(o: ReviewOpinion) -> bool:
    return o.invitation.status == RI.RETURNED and o.invitation.review.status == LR.INVITED


LEGAL_REVIEW_FLOW = workflow.Workflow(
    LegalReview,
    T(
        "legal_review.attach",
        [LR.DRAFT],
        None,
        drafter_acting,
        label=_("上传草案…"),
        page="meetings:review_attach",
        style="outline-primary",
    ),
    T(
        "legal_review.invite",
        [LR.DRAFT],
        LR.INVITED,
        drafter_head,
        when=draft_attached,
        label=_("签发征求意见函…"),
        page="meetings:review_invite",
        refusal=_("请先上传草案文本。"),
        todo=_("待签发征求意见函"),
    ),
    T(
        "legal_review.conclude",
        [LR.INVITED],
        LR.CONCLUDED,
        drafter_acting,
        when=all_answered,
        label=_("形成采纳情况…"),
        page="meetings:review_conclude",
        refusal=_("尚有单位未反馈意见，或尚有意见未研究采纳情况。"),
    ),
    T(
        "legal_review.issue",
        [LR.CONCLUDED],
        LR.ISSUED,
        drafter_head,
        label=_("签发采纳情况函…"),
        page="meetings:review_issue",
        todo=_("待签发采纳情况函"),
    ),
    pending=lambda user, states: LegalReview.objects.filter(government_id=_institution(user), status__in=states)
    if _is_head(user)
    else LegalReview.objects.none(),
    due=lambda r: r.due_date if r.status == LR.INVITED else None,
)

REVIEW_INVITATION_FLOW = workflow.Workflow(
    ReviewInvitation,
    T(
        "review_invitation.opine",
        [RI.PENDING],
        None,
        review_invitee,
        when=review_open,
        label=_("提出论证意见…"),
        api="opine",
        page="meetings:review_opine",
        style="outline-primary",
        refusal=_("论证不在征求意见阶段。"),
        # the invitee's duty until it returns its opinions (return needs one opinion first)
        todo=_("待反馈论证意见"),
    ),
    T(
        "review_invitation.return",
        [RI.PENDING],
        RI.RETURNED,
        review_invitee,
        when=has_opinions,
        label=_("反馈论证意见…"),
        api="return-opinions",
        page="meetings:review_return",
        refusal=_("请先提出至少一条意见（或写明总体意见）。"),
    ),
    pending=lambda user, states: ReviewInvitation.objects.filter(
        institution_id=_institution(user), status=RI.PENDING, review__status=LR.INVITED
    ).select_related("review", "ledger_entry")
    if _of_kind(user, "court", "procuratorate")
    else ReviewInvitation.objects.none(),
    due=lambda inv: inv.ledger_entry.due_date if inv.ledger_entry_id else None,
)

REVIEW_OPINION_FLOW = workflow.Workflow(
    ReviewOpinion,
    T(
        "review_opinion.decide",
        None,
        None,
        opinion_drafter,
        when=opinion_returned,
        label=_("研究采纳…"),
        api="decide",
        page="meetings:review_decide",
        style="outline-primary",
        refusal=_("该意见尚未反馈，或论证已形成采纳情况。"),
    ),
    state="adoption",
)

# ----------------------------------------------------------------------------- joint research (共同调研)

RS = Research.Status
CS = LawClass.Status


def lead_acting(user, research: Research) -> bool:
    return access.is_acting(user) and research.lead_id == user.institution_id


def lead_head(user, research: Research) -> bool:
    return user.role == User.Role.HEAD and research.lead_id == user.institution_id


def milestone_lead(user, milestone: Milestone) -> bool:
    return lead_acting(user, milestone.research)


def three_sides(r: Research) -> bool:
    """Members from the government side, the court and the procuratorate (工作方案四(八))."""
    from liaison.models import Institution

    kinds = {m.institution.kind for m in r.members.select_related("institution")}
    gov = kinds & {Institution.Kind.GOVERNMENT, Institution.Kind.AGENCY}
    return bool(gov) and Institution.Kind.COURT in kinds and Institution.Kind.PROCURATORATE in kinds


def research_active(m: Milestone) -> bool:
    return m.research.status == RS.ACTIVE


RESEARCH_FLOW = workflow.Workflow(
    Research,
    T(
        "research.member",
        [RS.PLANNING, RS.ACTIVE],
        None,
        lead_acting,
        label=_("增加调研组成员…"),
        api="member",
        page="meetings:research_member",
        style="outline-primary",
    ),
    T(
        "research.milestone",
        [RS.PLANNING, RS.ACTIVE],
        None,
        lead_acting,
        label=_("增加调研节点…"),
        api="milestone",
        page="meetings:research_milestone",
        style="outline-primary",
    ),
    T(
        "research.start",
        [RS.PLANNING],
        RS.ACTIVE,
        lead_acting,
        when=three_sides,
        label=_("开始调研…"),
        page="meetings:research_start",
        refusal=_("调研组须有政府方、法院和检察院的成员。"),
    ),
    T(
        "research.report",
        [RS.ACTIVE],
        RS.REPORTED,
        lead_acting,
        label=_("提交调研报告…"),
        page="meetings:research_report",
    ),
    T(
        "research.issue",
        [RS.REPORTED],
        RS.ISSUED,
        lead_head,
        label=_("签发调研报告…"),
        page="meetings:research_issue",
        todo=_("待签发调研报告"),
    ),
    pending=lambda user, states: Research.objects.filter(lead_id=_institution(user), status__in=states)
    if _is_head(user)
    else Research.objects.none(),
)

MILESTONE_FLOW = workflow.Workflow(
    Milestone,
    T(
        "milestone.complete",
        [Milestone.Status.OPEN],
        Milestone.Status.DONE,
        milestone_lead,
        when=research_active,
        label=_("完成…"),
        api="complete",
        page="meetings:milestone_complete",
        style="outline-success",
        refusal=_("调研不在进行中。"),
    ),
)


# ----------------------------------------------------------------------------- rule-of-law classes (法治课堂)


def organizer_acting(user, c: LawClass) -> bool:
    return access.is_acting(user) and c.organizer_id == user.institution_id


def has_lecturers(c: LawClass) -> bool:
    return c.lecturers.exists()


LAW_CLASS_FLOW = workflow.Workflow(
    LawClass,
    T(
        "law_class.lecturer",
        [CS.PLANNED],
        None,
        organizer_acting,
        label=_("增加授课人…"),
        api="lecturer",
        page="meetings:class_lecturer",
        style="outline-primary",
    ),
    T(
        "law_class.material",
        [CS.PLANNED, CS.HELD],
        None,
        organizer_acting,
        label=_("上传授课材料…"),
        api="material",
        page="meetings:class_material",
        style="outline-primary",
    ),
    T(
        "law_class.hold",
        [CS.PLANNED],
        CS.HELD,
        organizer_acting,
        when=has_lecturers,
        label=_("登记到课情况…"),
        page="meetings:class_hold",
        refusal=_("请先增加授课人。"),
    ),
    T(
        "law_class.cancel",
        [CS.PLANNED],
        CS.CANCELLED,
        organizer_acting,
        label=_("取消…"),
        page="meetings:class_cancel",
        style="outline-danger",
    ),
)

FLOWS = [
    MEETING_FLOW,
    INVITATION_FLOW,
    MINUTES_FLOW,
    DECISION_FLOW,
    LEGAL_REVIEW_FLOW,
    REVIEW_INVITATION_FLOW,
    REVIEW_OPINION_FLOW,
    RESEARCH_FLOW,
    MILESTONE_FLOW,
    LAW_CLASS_FLOW,
]
for _flow in FLOWS:
    workflow.register(_flow)
