"""Meeting pages: list, proposal, detail, one action view for every transition, decisions
(the office's supervision list), the month calendar and the personal .ics feed.

Each action first finds its record among those the user may see (404), then asks the
transition table (403 wrong person; a wrong state is a message and a redirect), and only
then reads the form; service errors go beside the fields.
"""

import calendar as pycal
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from liaison import access, lists, pages
from liaison.errors import Conflict
from liaison.models import Letter

from . import exports, forms, ical, pagekit, selectors, services
from .listings import DECISIONS, MEETINGS
from .models import Decision, Invitation, Meeting, Minutes

GET_POST = require_http_methods(["GET", "HEAD", "POST"])
GET = require_http_methods(["GET", "HEAD"])


# ----------------------------------------------------------------------------- lists


@login_required
@GET
def index(request):
    filters = forms.MeetingFilter(lists.filter_params(request, keep=("export", "year")))
    values = filters.values()
    year = request.GET.get("year", "")
    qs = selectors.meetings(
        request.user,
        status=values.get("status", ""),
        kind=values.get("kind", ""),
        year=int(year) if year.isdigit() else None,
        q=values.get("q", ""),
    )
    if request.GET.get("export"):
        return exports.meetings_xlsx(qs, viewer=request.user, filters=filters)
    context = lists.page(request, MEETINGS, qs, filters=filters)
    context["can_propose"] = access.can(request.user, "meeting.propose")
    return render(request, "meetings/list.html", context)


@login_required
@GET_POST
def propose(request):
    access.require(request.user, "meeting.propose")
    back = reverse("meetings:index")
    return pages.action_page(
        request,
        form=forms.ProposeForm(pages.post_data(request), initial={"kind": request.GET.get("kind")}),
        service=services.meeting_propose,
        args=lambda data: {"by": request.user, **data},
        done=lambda m: _("会议提议已提交领导小组办公室。"),
        to=Meeting.get_absolute_url,
        back=back,
        template="meetings/form.html",
        context={"title": _("提议召开会议"), "back": back},
        checked=True,
    )


@login_required
@GET
def detail(request, uuid):
    m = _meeting(request, uuid)
    user = request.user
    minutes = selectors.minutes_for(m, user)
    letters = {
        letter.pk
        for letter in Letter.objects.visible_to(user).filter(
            pk__in=[x for x in (m.notice_letter_id, minutes.letter_id if minutes else None) if x]
        )
    }
    return render(
        request,
        "meetings/detail.html",
        {
            "m": m,
            "minutes": minutes,
            "own_invitation": selectors.own_invitation(m, user),
            "notice_visible": m.notice_letter_id in letters,
            "minutes_letter_visible": bool(minutes and minutes.letter_id in letters),
            "links": services.visible_links(m, user, links=[link for link in m.links.all() if not link.agenda_item_id]),
            "decisions": m.decisions.all(),
        },
    )


@login_required
@GET
def decisions(request):
    filters = forms.DecisionFilter(lists.filter_params(request, keep=("export", "q")), user=request.user)
    values = filters.values()
    qs = selectors.decisions(
        request.user,
        status=values.get("status", ""),
        owner=values.get("owner"),
        region=values.get("region"),
        overdue=bool(values.get("overdue")),
        open_only=bool(values.get("open")),
        q=request.GET.get("q", "")[:100],
    )
    if request.GET.get("export"):
        return exports.decisions_xlsx(qs, viewer=request.user, filters=filters)
    can_bulk = access.is_office(request.user)
    context = lists.page(request, DECISIONS, qs, filters=filters, hide=() if can_bulk else ("select",))
    context["can_bulk"] = can_bulk
    return render(request, "meetings/decisions.html", context)


@login_required
@require_POST
def decisions_bulk(request):
    access.require(request.user, "decision.bulk")
    uuids = request.POST.getlist("decisions")
    rows = list(selectors.decision_detail_queryset(request.user).filter(uuid__in=[u for u in uuids if _is_uuid(u)]))
    try:
        if len(rows) != len(set(uuids)):
            raise ValidationError(_("部分议定事项不存在或无权访问。"))
        for d in rows:
            access.require(request.user, "decision.progress", d)
        n = services.decision_progress_bulk(decisions=rows, by=request.user, text=request.POST.get("text", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已为 %(n)d 项议定事项登记进展。") % {"n": n})
    return redirect(reverse("meetings:decisions") + "?open=1")


def _is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@login_required
@GET
def decision_detail(request, uuid):
    d = _decision(request, uuid)
    meeting_visible = access.visible(Meeting.objects.filter(pk=d.meeting_id), request.user).exists()
    return render(
        request,
        "meetings/decision_detail.html",
        {
            "d": d,
            "meeting_visible": meeting_visible,
            "today": timezone.localdate(),
        },
    )


# ----------------------------------------------------------------------------- actions


_meeting = pagekit.lookup(selectors.meeting_detail_queryset)
_invitation = pagekit.lookup(Invitation.objects.select_related("meeting__convener", "institution"))
_minutes = pagekit.lookup(Minutes.objects.select_related("meeting__convener__region", "meeting__kind"))
_decision = pagekit.lookup(selectors.decision_detail_queryset)


def _parse_attendance(m: Meeting, text: str) -> list[dict]:
    parties = {m.convener, m.proposer} | {i.institution for i in m.invitations.all()}
    by_name = {}
    for inst in parties:
        by_name[inst.short_name] = inst
        by_name[inst.name] = inst
    rows = []
    for n, line in enumerate((text or "").splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) < 2 or parts[0] not in by_name:
            raise ValidationError(
                {"attendance": [_("第%(n)d行：请写成“单位简称 姓名 职务”，单位须为参会单位。") % {"n": n}]}
            )
        rows.append({"institution": by_name[parts[0]], "name": parts[1], "post": " ".join(parts[2:]), "present": True})
    return rows


def _attendance_text(m: Meeting) -> str:
    return "\n".join(
        f"{r['institution'].short_name} {r['name']} {r['post']}".strip() for r in services.attendance_prefill(m)
    )


# name: (loader, verb, form, title, initial(obj) -> dict, run(obj, user, data), done message, back(obj))
def _m(obj):
    return obj if isinstance(obj, Meeting) else obj.meeting


ACTIONS = {
    "convene": (
        _meeting,
        "meeting.convene",
        forms.ConveneForm,
        _("受理并召集"),
        lambda m: {
            "invitees": list(m.proposed_participants.all()) + [m.proposer],
            "starts_at": dt.datetime.combine(m.proposed_date, dt.time(9, 30)) if m.proposed_date else None,
        },
        lambda m, u, d: services.meeting_convene(meeting=m, by=u, **d),
        _("已召集，会议通知已报负责人签发。"),
    ),
    "decline": (
        _meeting,
        "meeting.decline",
        forms.ReasonForm,
        _("不予召集"),
        None,
        lambda m, u, d: services.meeting_decline(meeting=m, by=u, reason=d["reason"]),
        _("已决定不予召集，并告知提议单位。"),
    ),
    "agenda": (
        _meeting,
        "meeting.agenda",
        forms.AgendaForm,
        _("增加议程"),
        None,
        lambda m, u, d: services.agenda_add(meeting=m, by=u, **d),
        _("已增加议程。"),
    ),
    "issue_notice": (
        _meeting,
        "meeting.issue_notice",
        forms.ConfirmForm,
        _("签发会议通知"),
        None,
        lambda m, u, d: services.meeting_issue_notice(meeting=m, by=u),
        _("会议通知已签发并送达各受邀单位。"),
    ),
    "hold": (
        _meeting,
        "meeting.hold",
        forms.HoldForm,
        _("会议签到"),
        lambda m: {
            "held_on": min(timezone.localdate(), timezone.localtime(m.starts_at).date()),
            "attendance": _attendance_text(m),
        },
        lambda m, u, d: services.meeting_hold(
            meeting=m, by=u, held_on=d["held_on"], attendance=_parse_attendance(m, d["attendance"])
        ),
        _("已登记签到，会议已召开。"),
    ),
    "decide": (
        _meeting,
        "meeting.decide",
        forms.DecisionForm,
        _("登记议定事项"),
        None,
        lambda m, u, d: services.decision_add(meeting=m, by=u, **d),
        _("已登记议定事项。"),
    ),
    "draft_minutes": (
        _meeting,
        "meeting.draft_minutes",
        forms.ConfirmForm,
        _("起草会议纪要"),
        None,
        lambda m, u, d: services.minutes_draft(meeting=m, by=u),
        _("已按议程、签到和议定事项预填纪要，请修改后征求意见或报审。"),
    ),
    "cancel": (
        _meeting,
        "meeting.cancel",
        forms.ReasonForm,
        _("取消会议"),
        None,
        lambda m, u, d: services.meeting_cancel(meeting=m, by=u, reason=d["reason"]),
        _("会议已取消。"),
    ),
    "respond": (
        _invitation,
        "invitation.respond",
        forms.RespondForm,
        _("回复参会情况"),
        lambda i: {
            "attending": "0" if i.status == "apology" else "1",
            "attendees": i.attendees,
            "apology_reason": i.apology_reason,
        },
        lambda i, u, d: services.invitation_respond(invitation=i, by=u, **d),
        _("已回复参会情况。"),
    ),
    "minutes_edit": (
        _minutes,
        "minutes.edit",
        forms.MinutesForm,
        _("修改纪要"),
        lambda mn: {"title": mn.title, "body": mn.body},
        lambda mn, u, d: services.minutes_update(minutes=mn, by=u, **d),
        _("纪要已保存。"),
    ),
    "minutes_circulate": (
        _minutes,
        "minutes.circulate",
        forms.ConfirmForm,
        _("征求与会单位意见"),
        None,
        lambda mn, u, d: services.minutes_circulate(minutes=mn, by=u),
        _("纪要已送与会单位征求意见。"),
    ),
    "minutes_comment": (
        _minutes,
        "minutes.comment",
        forms.TextForm,
        _("对纪要提出意见"),
        None,
        lambda mn, u, d: services.minutes_comment(minutes=mn, by=u, text=d["text"]),
        _("意见已送领导小组办公室。"),
    ),
    "minutes_submit": (
        _minutes,
        "minutes.submit",
        forms.ConfirmForm,
        _("报负责人审定"),
        None,
        lambda mn, u, d: services.minutes_submit(minutes=mn, by=u),
        _("纪要已报负责人审定。"),
    ),
    "minutes_approve": (
        _minutes,
        "minutes.approve",
        forms.ConfirmForm,
        _("审定并印发纪要"),
        None,
        lambda mn, u, d: services.minutes_approve(minutes=mn, by=u),
        _("纪要已印发，议定事项已进入责任单位台账。"),
    ),
    "minutes_return": (
        _minutes,
        "minutes.return",
        forms.ReasonForm,
        _("退回纪要修改"),
        None,
        lambda mn, u, d: services.minutes_return(minutes=mn, by=u, reason=d["reason"]),
        _("纪要已退回修改。"),
    ),
    "decision_edit": (
        _decision,
        "decision.edit",
        forms.DecisionForm,
        _("修改议定事项"),
        lambda d: {"text": d.text, "owner": d.owner, "period": d.period, "unit": d.unit},
        lambda d, u, v: services.decision_update(decision=d, by=u, **v),
        _("议定事项已修改。"),
    ),
    "decision_progress": (
        _decision,
        "decision.progress",
        forms.TextForm,
        _("报告落实进展"),
        None,
        lambda d, u, v: services.decision_progress(decision=d, by=u, text=v["text"]),
        _("进展已登记。"),
    ),
    "decision_report": (
        _decision,
        "decision.report",
        forms.ReportForm,
        _("报请办结"),
        None,
        lambda d, u, v: services.decision_report(decision=d, by=u, **v),
        _("已报请办结，待领导小组办公室确认。"),
    ),
    "decision_confirm": (
        _decision,
        "decision.confirm",
        forms.NoteForm,
        _("确认办结"),
        None,
        lambda d, u, v: services.decision_confirm(decision=d, by=u, note=v.get("note", "")),
        _("已确认办结，台账事项同时办结。"),
    ),
    "decision_return": (
        _decision,
        "decision.return",
        forms.ReasonForm,
        _("退回继续落实"),
        None,
        lambda d, u, v: services.decision_return(decision=d, by=u, reason=v["reason"]),
        _("已退回责任单位继续落实。"),
    ),
}


def _back(obj) -> str:
    return (obj if isinstance(obj, Decision) else _m(obj)).get_absolute_url()


def _shown_meeting(request, obj):
    """The meeting named on the page: a decision's owner who was not invited does not see it."""
    m = _m(obj)
    if isinstance(obj, Decision) and not access.visible(Meeting.objects.filter(pk=m.pk), request.user).exists():
        return None
    return m


def action_view(name):
    """One transition's page on the hub's page toolkit (liaison.pages.action_page): 404 for a record
    the user may not see, 403 for the wrong person, the conflict page for the wrong state."""
    loader, verb, form_class, title, initial, run, done = ACTIONS[name]

    @login_required
    @GET_POST
    def view(request, uuid):
        obj = loader(request, uuid)
        return pages.action_page(
            request,
            obj,
            verb=verb,
            form=lambda: form_class(pages.post_data(request), initial=initial(obj) if initial else None),
            service=lambda **data: run(obj, request.user, data),
            args=lambda cleaned: {k: v for k, v in cleaned.items() if v not in (None, "") or k in ("attending",)},
            done=lambda result: done,
            back=_back(obj),
            template="meetings/form.html",
            context={"title": title, "back": _back(obj), "meeting": _shown_meeting(request, obj)},
        )

    view.__name__ = f"meeting_{name}"
    return view


# ----------------------------------------------------------------------------- calendar and feed


@login_required
@GET
def calendar_month(request):
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in request.GET.get("month", f"{today.year}-{today.month}").split("-"))
        first = dt.date(year, month, 1)
    except (ValueError, TypeError):
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    items = selectors.month_meetings(request.user, year, month)
    by_day: dict[int, list] = {}
    for m in items:
        by_day.setdefault(timezone.localtime(m.starts_at).day, []).append(m)
    weeks = [
        [{"day": d, "meetings": by_day.get(d, []), "today": first.replace(day=d) == today} if d else None for d in week]
        for week in pycal.Calendar(firstweekday=0).monthdayscalendar(year, month)
    ]
    prev_month = (first - dt.timedelta(days=1)).replace(day=1)
    next_month = (first + dt.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "meetings/calendar.html",
        {
            "first": first,
            "weeks": weeks,
            "prev": f"{prev_month.year}-{prev_month.month}",
            "next": f"{next_month.year}-{next_month.month}",
            "count": len(items),
        },
    )


@login_required
@GET_POST
def feed_settings(request):
    if request.method == "POST":
        if request.POST.get("revoke"):
            ical.revoke(request.user)
            messages.success(request, _("订阅地址已停用，原地址不再可用。"))
        else:
            ical.revoke(request.user)
            ical.feed_for(request.user)
            messages.success(request, _("已生成新的订阅地址。"))
        return redirect("meetings:feed")
    from .models import CalendarFeed

    feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    url = request.build_absolute_uri(reverse("meetings:ical", kwargs={"token": feed.token})) if feed else ""
    return render(request, "meetings/feed.html", {"feed": feed, "feed_url": url})


@GET
def ical_feed(request, token):
    """The secret-URL feed (no login: calendar programs cannot log in). Revoked or unknown: 404."""
    feed = ical.live_feed(token)
    if feed is None:
        raise Http404
    body = ical.calendar_bytes(feed.user, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
