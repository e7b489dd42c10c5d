"""Annual judicial-review report pages: list, detail (sections in their restricted markup),
the PDF as it stands, and one action page per transition of models.AnnualReport's workflow."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from liaison import access, pages
from liaison.models import Letter
from liaison.views.common import paginate

from .. import report_services as services
from ..forms import ReasonForm, ReportForm
from ..models import AnnualReport
from ..pdf import AnnualReportPdf

GET = require_http_methods(["GET", "HEAD"])
GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _visible(user):
    return AnnualReport.objects.visible_to(user).select_related("region", "issuer", "government", "letter")


def _get(request, uuid) -> AnnualReport:
    return access.get_visible_or_404(_visible(request.user), request.user, uuid=uuid)


@login_required
@GET
def report_list(request):
    qs = _visible(request.user).order_by("-year", "region_id", "-id")
    status = request.GET.get("status", "")
    if status in AnnualReport.Status.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "indicators/report_list.html",
        {"page": paginate(request, qs), "statuses": AnnualReport.Status.choices, "status": status},
    )


@login_required
@GET
def report_detail(request, uuid):
    r = _get(request, uuid)
    typical = list(
        r.typical_cases.visible_to(request.user).select_related("cause", "outcome", "court").order_by("number")
    )
    letter_visible = bool(r.letter_id) and Letter.objects.visible_to(request.user).filter(pk=r.letter_id).exists()
    return render(
        request,
        "indicators/report_detail.html",
        {"r": r, "d": r.data, "sections": list(r.sections.all()), "typical": typical, "letter_visible": letter_visible},
    )


@login_required
@GET
def report_pdf(request, uuid):
    r = _get(request, uuid)
    response = HttpResponse(AnnualReportPdf(r).render(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, services.report_filename(r))
    return response


def _action(request, r, *, verb, service, args, done, form=None, template="indicators/report_action.html"):
    return pages.action_page(
        request,
        r,
        verb=verb,
        form=form,
        service=service,
        args=args,
        done=done,
        back=r.get_absolute_url(),
        template=template,
        context={"r": r},
    )


@login_required
@GET_POST
def report_edit(request, uuid):
    r = _get(request, uuid)
    sections = list(r.sections.all())
    numbers = "\n".join(r.typical_cases.order_by("number").values_list("number", flat=True))

    def build():
        return ReportForm(pages.post_data(request), sections=sections, initial={"typical_cases": numbers})

    holder = {}

    def form():
        holder["form"] = build()
        return holder["form"]

    return _action(
        request,
        r,
        verb="report.edit",
        form=form,
        service=services.report_edit,
        args=lambda d: {"report": r, "by": request.user, **holder["form"].service_fields()},
        done=lambda result: _("报告已保存。"),
        template="indicators/report_edit.html",
    )


@login_required
@GET_POST
def report_refresh(request, uuid):
    r = _get(request, uuid)
    return _action(
        request,
        r,
        verb="report.refresh",
        service=services.report_refresh,
        args=lambda d: {"report": r, "by": request.user},
        done=lambda result: _("统计数据已按最新数据重新计算；各节文字未改动。"),
    )


@login_required
@GET_POST
def report_submit(request, uuid):
    r = _get(request, uuid)
    return _action(
        request,
        r,
        verb="report.submit",
        service=services.report_submit,
        args=lambda d: {"report": r, "by": request.user},
        done=lambda result: _("已送负责人签发。"),
    )


@login_required
@GET_POST
def report_return(request, uuid):
    r = _get(request, uuid)
    return _action(
        request,
        r,
        verb="report.return",
        form=lambda: ReasonForm(pages.post_data(request), label=_("退回理由")),
        service=services.report_return,
        args=lambda d: {"report": r, "by": request.user, "reason": d["reason"]},
        done=lambda result: _("已退回修改。"),
    )


@login_required
@GET_POST
def report_issue(request, uuid):
    r = _get(request, uuid)
    return _action(
        request,
        r,
        verb="report.issue",
        service=services.report_issue,
        args=lambda d: {"report": r, "by": request.user},
        done=lambda result: _("报告已签发：%(n)s。") % {"n": result.letter.doc_number},
    )
