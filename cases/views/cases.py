"""Case pages: the list (filters, sorting, export), filing and editing, the detail with its hearings
and appearances, and the court's conclusion, effect and performance records.

Each view first finds the case among those the user may see (another institution's case answers
404, like a missing one), then asks `access` whether this user may act (403, before any input is
read), then checks the state (a wrong state is a message and a redirect), then calls the service.
Service ValidationErrors go beside the fields with the input kept; Conflicts become a message.
"""

import mimetypes
import os

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models.functions import Length, Substr
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from liaison import access, lists, pages, workflow
from liaison import selectors as hub_selectors
from liaison.errors import Conflict
from liaison.excel import attachment_disposition

from .. import selectors, services
from ..forms.cases import (
    AppearanceForm,
    CaseFilter,
    CaseForm,
    ConcludeForm,
    EffectiveForm,
    HearingForm,
    PerformanceForm,
    yes_no,
    yes_no_initial,
)
from ..listings import CASES
from ..models import AdministrativeCase, Appearance, Enforcement, Hearing

Case = AdministrativeCase


def case_for_page(user, uuid) -> Case:
    return access.get_visible_or_404(Case.objects.select_related("court", "cause", "outcome"), user, uuid=uuid)


def decorate(cases):
    """Status colour and the parties as the list shows them (defendants are prefetched)."""
    rows = list(cases)
    for case in rows:
        names = [p for p in case.plaintiffs.splitlines() if p.strip()]
        case.plaintiff_names = names
        case.defendant_list = list(case.defendants.all())
    return rows


# ----------------------------------------------------------------------------- list


def _filtered(request):
    filters = CaseFilter(lists.filter_params(request), user=request.user)
    values = filters.values()
    major = values.get("major", "")
    qs = selectors.case_list(
        user=request.user,
        q=values.get("q"),
        status=values.get("status"),
        cause=values.get("cause"),
        instance=values.get("instance"),
        court=values.get("court"),
        defendant=values.get("defendant"),
        major={"yes": True, "no": False}.get(major),
        filed_after=values.get("filed_from"),
        filed_before=values.get("filed_to"),
    )
    if major and major not in ("yes", "no"):
        qs = qs.filter(major_category=major)
    qs = qs.annotate(number_year=Substr("number", 2, 4), number_length=Length("number"))
    qs, sort = CASES.order(qs, request.GET.get("sort"))
    return filters, qs, sort


@login_required
def index(request):
    filters, qs, sort = _filtered(request)
    context = lists.page(request, CASES, qs, filters=filters, sort=sort, decorate=decorate)
    context["can_create"] = access.can(request.user, "case.create")
    context["can_import"] = access.can(request.user, "case.import")
    return render(request, "cases/case/list.html", context)


@login_required
def export(request):
    """Exactly the rows of the list with the same filters, every page."""
    filters, qs, _sort = _filtered(request)
    return CASES.export(decorate(qs), viewer=request.user, filters=filters)


# ----------------------------------------------------------------------------- filing and editing


@login_required
def create(request):
    user = request.user
    access.require(user, "case.create")
    form = CaseForm(pages.post_data(request), user=user)
    return pages.action_page(
        request,
        template="cases/case/form.html",
        form=form,
        service=services.case_create,
        args=lambda d: {"by": user, **form.service_fields()},
        done=lambda case: _("案件 %(n)s 已登记，已通知被告行政机关。") % {"n": case.number},
        back=reverse("cases:index"),
        to=AdministrativeCase.get_absolute_url,
        context={"case": None},
    )


@login_required
def edit(request, uuid):
    user = request.user
    case = case_for_page(user, uuid)
    if refused := pages.precheck(request, "case.edit", case, back=case.get_absolute_url()):
        return refused
    form = CaseForm(pages.post_data(request), user=user, case=case, initial=CaseForm.initial_for(case))
    return pages.action_page(
        request,
        case,
        checked=True,
        template="cases/case/form.html",
        form=form,
        service=services.case_update,
        args=lambda d: {"case": case, "by": user, **form.service_fields()},
        done=lambda _result: _("案件信息已保存。"),
        back=case.get_absolute_url(),
        context={"case": case},
    )


# ----------------------------------------------------------------------------- detail

ACTION_LABELS = {
    "case.create": pgettext_lazy("timeline", "立案登记"),
    "case.update": pgettext_lazy("timeline", "修改案件信息"),
    "case.hearing": pgettext_lazy("timeline", "登记开庭"),
    "case.appearance": pgettext_lazy("timeline", "登记出庭应诉情况"),
    "case.conclude": pgettext_lazy("timeline", "结案"),
    "case.effective": pgettext_lazy("timeline", "裁判生效"),
    "case.performance": pgettext_lazy("timeline", "登记履行情况"),
    "case_supervision.create": pgettext_lazy("timeline", "检察院个案监督"),
}
# Steps every party of the case reads; others only the acting institution and the office.
PUBLIC_ACTIONS = {a for a in ACTION_LABELS if a.startswith("case.")}


def _field_label(name: str) -> str:
    try:
        return str(Case._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - an unknown key is shown as it is
        return name


def _step_detail(entry) -> str:
    after = entry.after or {}
    action = entry.action
    if action == "case.create":
        return _("Excel 导入") if after.get("source") == "import" else ""
    if action == "case.update":
        names = [_field_label(k) for k in after if k != "source"]
        text = "、".join(names)
        return f"{text}（{_('Excel 导入')}）" if after.get("source") == "import" else text
    if action == "case.hearing":
        return " ".join(v for v in (after.get("held_on", ""), after.get("court_room", "")) if v)
    if action == "case.appearance":
        kind = str(dict(Appearance.Kind.choices).get(after.get("kind"), ""))
        person = after.get("person_name") or ""
        return "：".join(v for v in (after.get("defendant", ""), " ".join(v for v in (kind, person) if v)) if v)
    if action == "case.conclude":
        return " ".join(v for v in (after.get("outcome", ""), after.get("concluded_on", "")) if v)
    if action == "case.effective":
        return after.get("effective_on", "")
    if action == "case.performance":
        return {True: _("已自动履行"), False: _("未自动履行")}.get(after.get("performed_voluntarily"), "")
    return ""


def case_timeline(user, case) -> list:
    entries = hub_selectors.timeline(case)
    regions = access.office_region_ids(user)
    overseen = bool(regions) and case.court.region_id in regions
    shown = []
    for entry in entries:
        if not (entry.action in PUBLIC_ACTIONS or overseen or entry.institution_id == user.institution_id):
            continue
        entry.label = str(ACTION_LABELS.get(entry.action, entry.label))
        entry.detail = _step_detail(entry)
        shown.append(entry)
    return shown


def related_records(user, case) -> dict:
    enforcements = list(
        Enforcement.objects.visible_to(user).filter(case=case).select_related("applicant").order_by("-applied_on")
    )
    observations = list(selectors.observation_list(user=user, case=case))
    reviews = list(selectors.review_list(user=user, case=case))
    return {"enforcements": enforcements, "observations": observations, "reviews": reviews}


def hearing_rows(case, hearings, defendants, *, user, may_record: bool, is_court: bool):
    """Each hearing with one line per defendant: its appearance, and whether this user may record it
    (`may_record`: the guard of case.appearance; a line's button carries its data-verb)."""
    today = timezone.localdate()
    for hearing in hearings:
        by_defendant = {a.defendant_id: a for a in hearing.appearances.all()}
        hearing.is_future = hearing.held_on > today
        hearing.lines = []
        for defendant in defendants:
            row = by_defendant.get(defendant.pk)
            may = may_record and not hearing.is_future and (is_court or defendant.pk == user.institution_id)
            hearing.lines.append({"defendant": defendant, "appearance": row, "may_record": may})
    return hearings


def case_title(case, plaintiffs, defendants) -> str:
    """张某等诉柳州市城市管理行政执法局行政处罚案."""
    first = plaintiffs[0] if plaintiffs else ""
    return _("%(p)s%(more)s诉%(d)s%(c)s案") % {
        "p": first,
        "more": _("等") if len(plaintiffs) > 1 else "",
        "d": "、".join(d.name for d in defendants),
        "c": case.cause.label,
    }


@login_required
def detail(request, uuid):
    user = request.user
    case = case_for_page(user, uuid)
    defendants = list(case.defendants.order_by("id"))
    is_court = case.court_id == user.institution_id
    hearings = hearing_rows(
        case,
        list(selectors.case_hearings(case=case)),
        defendants,
        user=user,
        may_record=access.can(user, "case.appearance", case),
        is_court=is_court,
    )
    plaintiffs = [p for p in case.plaintiffs.splitlines() if p.strip()]
    context = {
        "case": case,
        "title": case_title(case, plaintiffs, defendants),
        "defendants": defendants,
        "plaintiffs": plaintiffs,
        "hearings": hearings,
        "coordinations": list(selectors.coordination_list(user=user, case=case)),
        "timeline": case_timeline(user, case),
        # The transitions open to this user now (the section hints); the buttons are {% actions case %}.
        "available": {t.verb for t in workflow.available(user, case)},
        **related_records(user, case),
    }
    return render(request, "cases/case/detail.html", context)


# ----------------------------------------------------------------------------- hearings and appearances


@login_required
def hearing_add(request, uuid):
    case = case_for_page(request.user, uuid)
    return pages.action_page(
        request,
        case,
        verb="case.hearing",
        form=lambda: HearingForm(pages.post_data(request)),
        service=services.hearing_add,
        args=lambda d: {"case": case, "by": request.user, "held_on": d["held_on"], "court_room": d["court_room"]},
        done=lambda h: _("已登记 %(d)s 的开庭，已通知被告行政机关。") % {"d": h.held_on.isoformat()},
        back=case.get_absolute_url(),
        template="cases/case/hearing.html",
        context={"case": case, "action": _("登记开庭")},
    )


@login_required
def appearance(request, uuid, hearing_uuid):
    """Record who appeared for a defendant: the court for any defendant, a defendant for itself."""
    user = request.user
    case = case_for_page(user, uuid)
    if refused := pages.precheck(request, "case.appearance", case, back=case.get_absolute_url()):
        return refused
    try:
        hearing = case.hearings.get(uuid=hearing_uuid)
    except (Hearing.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    if hearing.held_on > timezone.localdate():
        return pages.conflict_page(request, Conflict(_("庭审尚未举行，不能记录出庭情况。")), case.get_absolute_url())
    is_court = case.court_id == user.institution_id
    defendants = case.defendants.order_by("id")
    if not is_court:
        defendants = defendants.filter(pk=user.institution_id)
    raw = request.POST.get("defendant") if request.method == "POST" else request.GET.get("defendant")
    chosen = None
    if raw:
        try:
            chosen = defendants.filter(uuid=raw).first()
        except ValidationError:
            chosen = None
    if chosen is None and not is_court:
        chosen = defendants.first()
    existing = Appearance.objects.filter(hearing=hearing, defendant=chosen).first() if chosen else None
    form = AppearanceForm(
        pages.post_data(request),
        request.FILES or None,
        defendants=defendants,
        may_summon=is_court or existing is None,
        initial=AppearanceForm.initial_for(existing, chosen),
    )
    return pages.action_page(
        request,
        case,
        checked=True,
        form=form,
        service=services.appearance_record,
        args=lambda d: {"hearing": hearing, "by": user, **form.service_fields()},
        done=lambda row: _("已登记 %(d)s 在 %(h)s 庭审的出庭情况：%(k)s。")
        % {"d": row.defendant.name, "h": hearing.held_on.isoformat(), "k": row.get_kind_display()},
        back=case.get_absolute_url(),
        template="cases/case/appearance.html",
        context={
            "case": case,
            "hearing": hearing,
            "existing": existing,
            "is_court": is_court,
            "action": _("登记出庭应诉情况"),
        },
    )


EXPLANATION_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


@login_required
def explanation(request, uuid, hearing_uuid, defendant_uuid):
    """The written explanation of a delegated appearance, for anyone who sees the case; a download."""
    case = case_for_page(request.user, uuid)
    try:
        row = Appearance.objects.select_related("hearing", "defendant").get(
            hearing__case=case, hearing__uuid=hearing_uuid, defendant__uuid=defendant_uuid
        )
    except (Appearance.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    if not row.explanation:
        raise Http404
    ext = os.path.splitext(row.explanation.name)[1].lower()
    content_type = EXPLANATION_TYPES.get(ext) or mimetypes.guess_type(row.explanation.name)[0]
    if content_type not in EXPLANATION_TYPES.values():
        raise Http404
    try:
        handle = row.explanation.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    filename = _("书面说明_%(d)s_%(h)s%(e)s") % {
        "d": row.defendant.short_name or row.defendant.name,
        "h": row.hearing.held_on.isoformat(),
        "e": ".jpg" if ext == ".jpeg" else ext,
    }
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = attachment_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ----------------------------------------------------------------------------- conclusion


@login_required
def conclude(request, uuid):
    case = case_for_page(request.user, uuid)
    return pages.action_page(
        request,
        case,
        verb="case.conclude",
        form=lambda: ConcludeForm(pages.post_data(request)),
        service=services.case_conclude,
        args=lambda d: {
            "case": case,
            "by": request.user,
            "outcome": d["outcome"],
            "concluded_on": d["concluded_on"],
            "effective_on": d["effective_on"],
            "imposes_obligation": yes_no(d["imposes_obligation"]),
        },
        done=lambda case: _("已结案（%(o)s），状态：%(s)s。")
        % {"o": case.outcome.label, "s": case.get_status_display()},
        back=case.get_absolute_url(),
        template="cases/case/conclude.html",
        context={"case": case, "action": _("结案")},
    )


@login_required
def mark_effective(request, uuid):
    case = case_for_page(request.user, uuid)
    initial = {"imposes_obligation": yes_no_initial(case.imposes_obligation)}
    return pages.action_page(
        request,
        case,
        verb="case.mark_effective",
        form=lambda: EffectiveForm(pages.post_data(request), initial=initial),
        service=services.case_mark_effective,
        args=lambda d: {
            "case": case,
            "by": request.user,
            "effective_on": d["effective_on"],
            "imposes_obligation": yes_no(d["imposes_obligation"]),
        },
        done=lambda case: _("已登记裁判生效，生效日期 %(d)s。") % {"d": case.effective_on.isoformat()},
        back=case.get_absolute_url(),
        template="cases/case/effective.html",
        context={"case": case, "action": _("登记生效")},
    )


@login_required
def performance(request, uuid):
    case = case_for_page(request.user, uuid)
    initial = {"performed_voluntarily": yes_no_initial(case.performed_voluntarily)}
    return pages.action_page(
        request,
        case,
        verb="case.record_performance",
        form=lambda: PerformanceForm(pages.post_data(request), initial=initial),
        service=services.case_record_performance,
        args=lambda d: {
            "case": case,
            "by": request.user,
            "performed_voluntarily": yes_no(d["performed_voluntarily"]),
        },
        done=lambda _result: _("已登记生效裁判的履行情况。"),
        back=case.get_absolute_url(),
        template="cases/case/performance.html",
        context={"case": case, "action": _("登记履行情况")},
    )
