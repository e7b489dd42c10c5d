"""Error answers: JSON under /api/ (a client there never gets an HTML page), the portal's pages
elsewhere (templates/404.html, 403.html, …)."""

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def api_error(status: int, detail: str, code: str) -> JsonResponse:
    response = JsonResponse({"detail": detail, "code": code}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def body_too_large() -> JsonResponse:
    return api_error(413, _("请求内容过大。"), "too_large")


def bad_request(request, exception=None):
    too_big = isinstance(exception, RequestDataTooBig)
    if is_api(request):
        return body_too_large() if too_big else api_error(400, _("请求有误。"), "bad_request")
    response = defaults.bad_request(request, exception)
    if too_big:
        response.status_code = 413
    return response


def permission_denied(request, exception=None):
    if is_api(request):
        return api_error(403, _("无权执行此操作。"), "permission_denied")
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if is_api(request):
        return api_error(404, _("不存在或无权访问。"), "not_found")
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return api_error(500, _("服务器内部错误，请稍后再试。"), "server_error")
    from .common import server_error as portal_server_error

    return portal_server_error(request)
