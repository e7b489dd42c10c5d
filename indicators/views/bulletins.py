"""Quarterly bulletin pages: list, detail (with today's differences from an issued one), the
tables-and-charts preview, and one action page per transition of models.Bulletin's workflow.

Each view finds the bulletin among those the viewer may see (404 otherwise); the action
pages are `liaison.pages.action_page`, which asks the workflow declaration first (403 for
the wrong person, the state's refusal as a message), then calls the service.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from liaison import access, pages
from liaison.models import Letter
from liaison.views.common import paginate

from .. import services
from ..forms import BulletinFilter, CommentaryForm, ReasonForm
from ..models import Bulletin
from ..pdf import BulletinTablesPdf, tables_filename

GET = require_http_methods(["GET", "HEAD"])
GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _visible(user):
    return Bulletin.objects.visible_to(user).select_related("region", "issuer", "government", "letter", "corrects")


def _get(request, uuid) -> Bulletin:
    return access.get_visible_or_404(_visible(request.user), request.user, uuid=uuid)


@login_required
@GET
def bulletin_list(request):
    form = BulletinFilter(request.GET or None, statuses=Bulletin.Status.choices)
    qs = _visible(request.user).order_by("-period", "region_id", "-id")
    if form.is_valid():
        if form.cleaned_data["period"]:
            qs = qs.filter(period=form.cleaned_data["period"].upper())
        if form.cleaned_data["status"]:
            qs = qs.filter(status=form.cleaned_data["status"])
    return render(
        request,
        "indicators/bulletin_list.html",
        {
            "page": paginate(request, qs),
            "form": form,
            "filtered": bool(request.GET.get("period") or request.GET.get("status")),
        },
    )


def _table(payload: dict | None, title: str) -> dict | None:
    if not payload:
        return None
    rows = []
    for unit in payload["units"]:
        rows.append(
            {
                "name": unit["name"],
                "cells": [
                    {
                        **unit["figures"][i["key"]],
                        "rank_text": (
                            f"{unit['figures'][i['key']]['rank']}/{unit['figures'][i['key']]['ranked_of']}"
                            if unit["figures"][i["key"]]["rank"]
                            else "—"
                        ),
                    }
                    for i in payload["indicators"]
                ],
            }
        )
    return {"title": title, "indicators": payload["indicators"], "rows": rows}


@login_required
@GET
def bulletin_detail(request, uuid):
    b = _get(request, uuid)
    s = b.snapshot or {}
    tables = [
        t
        for t in (
            _table(s.get("city"), _("全市")),
            _table(s.get("regions"), _("各县（区）") if s.get("city") else _("本县（区）")),
            _table(s.get("agencies"), _("各行政机关")),
        )
        if t
    ]
    indicators = (s.get("agencies") or {}).get("indicators", [])
    trend = [{"period": t["period"], "cells": [t["figures"][i["key"]] for i in indicators]} for t in s.get("trend", [])]
    differences = services.differences(b) if b.is_frozen else []
    letter_visible = bool(b.letter_id) and Letter.objects.visible_to(request.user).filter(pk=b.letter_id).exists()
    corrections = list(_visible(request.user).filter(corrects=b).order_by("created_at"))
    return render(
        request,
        "indicators/bulletin_detail.html",
        {
            "b": b,
            "s": s,
            "tables": tables,
            "indicators": indicators,
            "trend": trend,
            "differences": differences,
            "letter_visible": letter_visible,
            "corrections": corrections,
            "corrects_visible": bool(b.corrects_id) and _visible(request.user).filter(pk=b.corrects_id).exists(),
        },
    )


@login_required
@GET
def bulletin_tables_pdf(request, uuid):
    """The attachment as it stands (a draft's preview; an issued one's is the letter's attachment)."""
    b = _get(request, uuid)
    pdf = BulletinTablesPdf(b).render()
    response = HttpResponse(pdf, content_type="application/pdf")
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(False, tables_filename(b))
    return response


# ----------------------------------------------------------------------------- transitions


def _action(request, b, *, verb, template, service, args, done, form=None, confirm=None, to=None):
    return pages.action_page(
        request,
        b,
        verb=verb,
        form=form,
        service=service,
        args=args,
        done=done,
        back=b.get_absolute_url(),
        to=to,
        template=template,
        context={"b": b},
        confirm=confirm,
        confirm_template=template,
        preview=False,
    )


@login_required
@GET_POST
def bulletin_refresh(request, uuid):
    b = _get(request, uuid)
    return _action(
        request,
        b,
        verb="bulletin.refresh",
        template="indicators/bulletin_action.html",
        service=services.bulletin_refresh,
        args=lambda d: {"bulletin": b, "by": request.user},
        done=lambda r: _("已按最新数据重新计算。"),
    )


@login_required
@GET_POST
def bulletin_comment(request, uuid):
    b = _get(request, uuid)
    return _action(
        request,
        b,
        verb="bulletin.comment",
        template="indicators/bulletin_action.html",
        form=lambda: CommentaryForm(pages.post_data(request), initial={"commentary": b.commentary}),
        service=services.bulletin_comment,
        args=lambda d: {"bulletin": b, "by": request.user, "commentary": d["commentary"]},
        done=lambda r: _("审核意见已保存。"),
    )


@login_required
@GET_POST
def bulletin_submit(request, uuid):
    b = _get(request, uuid)
    return _action(
        request,
        b,
        verb="bulletin.submit",
        template="indicators/bulletin_action.html",
        service=services.bulletin_submit,
        args=lambda d: {"bulletin": b, "by": request.user},
        done=lambda r: _("已送法院负责人签发。"),
    )


@login_required
@GET_POST
def bulletin_return(request, uuid):
    b = _get(request, uuid)
    return _action(
        request,
        b,
        verb="bulletin.return",
        template="indicators/bulletin_action.html",
        form=lambda: ReasonForm(pages.post_data(request), label=_("退回理由")),
        service=services.bulletin_return,
        args=lambda d: {"bulletin": b, "by": request.user, "reason": d["reason"]},
        done=lambda r: _("已退回办公室。"),
    )


@login_required
@GET_POST
def bulletin_issue(request, uuid):
    b = _get(request, uuid)
    return _action(
        request,
        b,
        verb="bulletin.issue",
        template="indicators/bulletin_action.html",
        service=services.bulletin_issue,
        args=lambda d: {"bulletin": b, "by": request.user},
        done=lambda r: _("通报已签发：%(n)s。") % {"n": r.letter.doc_number},
    )


@login_required
@GET_POST
def bulletin_correct(request, uuid):
    b = _get(request, uuid)
    return _action(
        request,
        b,
        verb="bulletin.correct",
        template="indicators/bulletin_action.html",
        form=lambda: ReasonForm(
            pages.post_data(request),
            label=_("更正原因"),
            help_text=_("将按今天的数据起草一份新的通报，写明更正的是哪一份；原通报不变。"),
        ),
        service=services.bulletin_correct,
        args=lambda d: {"bulletin": b, "by": request.user, "reason": d["reason"]},
        done=lambda r: _("更正通报已起草，请审核。"),
        to=Bulletin.get_absolute_url,
    )
