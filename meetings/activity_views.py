"""Joint research (共同调研) and rule-of-law class (法治课堂) pages: lists with Excel (meetings.listings),
new, detail, one action page per transition (meetings.pagekit on the hub's toolkit), material downloads."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from liaison import access, pages
from liaison.models import Letter

from . import forms, pagekit
from . import research as services
from .listings import CLASSES, RESEARCH
from .models import ClassMaterial, LawClass, Milestone, Research

GET_POST = require_http_methods(["GET", "HEAD", "POST"])
GET = require_http_methods(["GET", "HEAD"])


# ----------------------------------------------------------------------------- research


RESEARCH_QS = Research.objects.select_related("lead", "government", "report_letter")
_research = pagekit.lookup(RESEARCH_QS)
_milestone = pagekit.lookup(Milestone.objects.select_related("research__lead"))


@login_required
@GET
def research_index(request):
    return pagekit.list_page(
        request,
        RESEARCH,
        RESEARCH_QS,
        forms.ResearchFilter,
        exact=("status", "topic"),
        search=("title", "purpose"),
        template="meetings/research/list.html",
        create="research.create",
        filename=_("共同调研.xlsx"),
    )


@login_required
@GET_POST
def research_create(request):
    access.require(request.user, "research.create")
    back = reverse("meetings:research")
    return pages.action_page(
        request,
        form=forms.ResearchForm(pages.post_data(request)),
        service=services.research_create,
        args=lambda d: {"by": request.user, **d},
        done=lambda r: _("调研课题已登记，请增加调研组成员和调研节点。"),
        to=Research.get_absolute_url,
        back=back,
        template="meetings/form.html",
        context={"title": _("登记共同调研"), "back": back},
        checked=True,
    )


@login_required
@GET
def research_detail(request, uuid):
    r = _research(request, uuid)
    letter_visible = bool(
        r.report_letter_id and Letter.objects.visible_to(request.user).filter(pk=r.report_letter_id).exists()
    )
    return render(
        request,
        "meetings/research/detail.html",
        {
            "r": r,
            "members": r.members.select_related("institution"),
            "milestones": r.milestones.all(),
            "letter_visible": letter_visible,
        },
    )


def _research_back(obj) -> str:
    return (obj.research if isinstance(obj, Milestone) else obj).get_absolute_url()


def _research_action(loader, verb, form_class, title, run, done, **kw):
    return pagekit.action(loader, verb, form_class, title, run, done, back=_research_back, **kw)


research_member = _research_action(
    _research,
    "research.member",
    forms.MemberForm,
    _("增加调研组成员"),
    lambda r, u, d: services.research_member_add(research=r, by=u, **d),
    _("已增加调研组成员。"),
)
research_milestone = _research_action(
    _research,
    "research.milestone",
    forms.MilestoneForm,
    _("增加调研节点"),
    lambda r, u, d: services.research_milestone_add(research=r, by=u, **d),
    _("已增加调研节点。"),
)
research_start = _research_action(
    _research,
    "research.start",
    forms.ConfirmForm,
    _("开始调研"),
    lambda r, u, d: services.research_start(research=r, by=u),
    _("调研已开始，已通知调研组成员单位。"),
)
research_report = _research_action(
    _research,
    "research.report",
    forms.ResearchReportForm,
    _("提交调研报告"),
    lambda r, u, d: services.research_report(research=r, by=u, **d),
    _("调研报告已报负责人签发。"),
    initial=lambda r: {"title": _("关于%(t)s的调研报告") % {"t": r.title}},
)
research_issue = _research_action(
    _research,
    "research.issue",
    forms.ConfirmForm,
    _("签发调研报告"),
    lambda r, u, d: services.research_issue(research=r, by=u),
    _("调研报告已签发报送。"),
)
milestone_complete = _research_action(
    _milestone,
    "milestone.complete",
    forms.MilestoneDoneForm,
    _("完成调研节点"),
    lambda m, u, d: services.milestone_complete(milestone=m, by=u, **d),
    _("调研节点已完成。"),
)


# ----------------------------------------------------------------------------- classes


CLASSES_QS = LawClass.objects.select_related("organizer")
_class = pagekit.lookup(CLASSES_QS)
_material = pagekit.lookup(ClassMaterial.objects.all())


@login_required
@GET
def class_index(request):
    return pagekit.list_page(
        request,
        CLASSES,
        CLASSES_QS,
        forms.ClassFilter,
        exact=("status",),
        search=("title", "summary"),
        template="meetings/classes/list.html",
        create="law_class.create",
        filename=_("法治课堂.xlsx"),
    )


@login_required
@GET_POST
def class_create(request):
    access.require(request.user, "law_class.create")
    back = reverse("meetings:classes")
    return pages.action_page(
        request,
        form=forms.ClassForm(pages.post_data(request)),
        service=services.class_create,
        args=lambda d: {"by": request.user, **d},
        done=lambda c: _("法治课堂已安排，已通知听课单位。"),
        to=LawClass.get_absolute_url,
        back=back,
        template="meetings/form.html",
        context={"title": _("安排法治课堂"), "back": back},
        checked=True,
    )


@login_required
@GET
def class_detail(request, uuid):
    c = _class(request, uuid)
    return render(
        request,
        "meetings/classes/detail.html",
        {
            "c": c,
            "lecturers": c.lecturers.select_related("institution"),
            "audience": c.audience.all(),
            "attendance": c.attendance.select_related("institution"),
            "materials": c.materials.all(),
        },
    )


@login_required
@GET
def material_download(request, uuid):
    material = _material(request, uuid)
    response = FileResponse(material.file.open("rb"), content_type=material.content_type)
    from urllib.parse import quote

    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(material.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _class_action(verb, form_class, title, run, done, **kw):
    return pagekit.action(_class, verb, form_class, title, run, done, back=LawClass.get_absolute_url, **kw)


class_lecturer = _class_action(
    "law_class.lecturer",
    forms.LecturerForm,
    _("增加授课人"),
    lambda c, u, d: services.lecturer_add(law_class=c, by=u, **d),
    _("已增加授课人。"),
)
class_material = _class_action(
    "law_class.material",
    forms.MaterialForm,
    _("上传授课材料"),
    lambda c, u, d: services.material_add(law_class=c, by=u, upload=d["file"]),
    _("授课材料已上传。"),
    files=True,
)
class_hold = _class_action(
    "law_class.hold",
    forms.ClassHoldForm,
    _("登记到课情况"),
    lambda c, u, d: services.class_hold(law_class=c, by=u, **d),
    _("到课情况已登记。"),
    initial=lambda c: {"attendance": "\n".join(f"{i.short_name} " for i in c.audience.all())},
)
class_cancel = _class_action(
    "law_class.cancel",
    forms.ReasonForm,
    _("取消法治课堂"),
    lambda c, u, d: services.class_cancel(law_class=c, by=u, **d),
    _("法治课堂已取消，已通知听课单位。"),
)


# ----------------------------------------------------------------------------- work-plan progress


def _year(request) -> int:
    from django.http import Http404

    value = request.GET.get("year", "")
    if not value:
        return timezone.localdate().year
    if not value.isdigit() or not 2000 <= int(value) <= 2100:
        raise Http404
    return int(value)


@login_required
@GET
def progress(request):
    from . import progress as report

    year = _year(request)
    tasks = report.report(request.user, year)
    this_year = timezone.localdate().year
    return render(
        request,
        "meetings/progress.html",
        {
            "year": year,
            "tasks": tasks,
            "years": list(range(this_year, this_year - 5, -1)),
            "total": sum(t.total for t in tasks),
            "open": sum(t.open for t in tasks),
        },
    )


@login_required
@GET
def progress_pdf(request):
    from urllib.parse import quote

    from django.http import HttpResponse

    from . import progress as report

    year = _year(request)
    body = report.ProgressPdf(request.user, year, report.report(request.user, year)).render()
    response = HttpResponse(body, content_type="application/pdf")
    name = f"{year}年工作方案落实情况.pdf"
    response["Content-Disposition"] = "inline; filename*=UTF-8''" + quote(name)
    return response
