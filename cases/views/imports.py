"""Importing a court's case list from Excel: upload, preview of every row, commit (docs/case-import.md).

The upload is kept behind a random per-user token between the preview and the commit; the
preview page is the confirmation step. Only acting court users may import (403 otherwise).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from liaison import access
from liaison.errors import Conflict
from liaison.excel import XLSX_CONTENT_TYPE, attachment_disposition
from liaison.forms import apply_service_errors

from .. import importer
from ..forms.cases import ImportUploadForm
from ..models import AdministrativeCase

ACTION_LABELS = {
    "create": gettext_lazy("新建"),
    "update": gettext_lazy("更新"),
    "unchanged": gettext_lazy("无变化"),
    "": gettext_lazy("有错误"),
}
# Amber is kept for deadlines (the portal's colour convention); the words tell create from update.
ACTION_COLOURS = {"create": "blue", "update": "blue", "unchanged": "grey", "": "red"}
# The cells the preview shows for each row (the rest is in the file the user has in hand).
SHOWN = ("审级", "案由", "原告", "被告", "立案日期", "结案方式", "生效日期")
NOWRAP = {"审级", "立案日期", "生效日期"}


def _upload_url():
    return reverse("cases:import")


@login_required
def upload(request):
    user = request.user
    access.require(user, "case.import")
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            p = importer.preview(user=user, file=upload, keep=True, filename=upload.name)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("cases:import_preview", token=p.token)
    return render(request, "cases/case/import.html", {"form": form, "columns": importer.COLUMNS})


@login_required
@require_GET
def template(request):
    access.require(request.user, "case.import")
    response = HttpResponse(importer.build_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_disposition(_("行政案件清单导入模板.xlsx"))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _rows(p, only_errors: bool):
    rows = []
    for row in p.rows:
        if only_errors and row.is_valid:
            continue
        row.number_text = row.number or row.cells.get("案号", "")
        row.action_label = ACTION_LABELS.get(row.action, ACTION_LABELS[""])
        row.action_colour = ACTION_COLOURS.get(row.action, "red")
        row.shown = [(row.cells.get(h, ""), h in NOWRAP) for h in SHOWN if h in p.headers]
        row.change_list = [(_field_label(name), before, after) for name, (before, after) in row.changes.items()]
        rows.append(row)
    return rows


def _field_label(name: str) -> str:
    try:
        return str(AdministrativeCase._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a derived key (e.g. status) shown as it is
        return {"status": _("状态")}.get(name, name)


def _render_preview(request, p, *, status=200):
    only_errors = request.GET.get("show") == "errors"
    counts = p.counts
    context = {
        "p": p,
        "counts": counts,
        "rows": _rows(p, only_errors),
        "only_errors": only_errors,
        "shown": [h for h in SHOWN if h in p.headers],
        "can_import_all": counts["rows"] > 0 and counts["invalid"] == 0,
        "can_import_valid": counts["rows"] - counts["invalid"] > 0 and counts["invalid"] > 0,
    }
    return render(request, "cases/case/import_preview.html", context, status=status)


@login_required
def preview(request, token):
    """GET: every row with what it will do and its errors. POST: import all, only the valid rows, or cancel."""
    user = request.user
    access.require(user, "case.import")
    if request.method == "POST" and request.POST.get("action") == "cancel":
        importer.discard_preview(user=user, token=token)
        messages.info(request, _("已取消导入，未保存任何数据。"))
        return redirect(_upload_url())
    p = importer.load_preview(user=user, token=token)  # another user's or an expired token: 404
    if request.method != "POST":
        return _render_preview(request, p)
    action = request.POST.get("action")
    if action not in ("all", "valid"):
        messages.error(request, _("请选择导入方式。"))
        return _render_preview(request, p)
    try:
        result = importer.commit(user=user, preview=p, only_valid=action == "valid")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _render_preview(request, p)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect(_upload_url())
    text = _("导入完成：新建 %(c)d 件，更新 %(u)d 件，无变化 %(n)d 件。") % {
        "c": result.created,
        "u": result.updated,
        "n": result.unchanged,
    }
    if result.skipped:
        text += _("跳过有错误的行 %(s)d 行。") % {"s": result.skipped}
    messages.success(request, text)
    return redirect("cases:index")
