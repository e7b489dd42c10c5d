"""Chinese first: the language is Simplified Chinese unless the user chose another.

Django's LocaleMiddleware follows the browser's Accept-Language, so an office PC with
an English browser would get English pages; here only the explicit choice (the
language cookie set by /i18n/setlang/) switches.
"""

from django.conf import settings
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PortalErrorPagesMiddleware:
    """The portal's own 404 and 500 pages, with DEBUG on too.

    With DEBUG on, Django answers a missing page with its technical 404 (every URL pattern
    of the site) and an error with the traceback page. A user trying the demo should see
    the same pages as in production; a developer who wants Django's pages sets
    TECHNICAL_ERROR_PAGES=1. JSON (the API) and non-HTML answers pass through unchanged.
    """

    TEMPLATES = {404: "404.html", 500: "500.html"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not settings.DEBUG or settings.TECHNICAL_ERROR_PAGES:
            return response
        template = self.TEMPLATES.get(response.status_code)
        if template is None or not response.get("Content-Type", "").startswith("text/html"):
            return response
        if getattr(response, "portal_error_page", False):
            return response
        if request.path.startswith("/api/"):
            # Under /api/ an error is JSON, with DEBUG on too (Django's technical 404 is HTML).
            from .views.errors import page_not_found, server_error

            return page_not_found(request) if response.status_code == 404 else server_error(request)
        from django.shortcuts import render

        try:
            page = render(request, template, status=response.status_code)
        except Exception:  # the error page must not fail in its turn (e.g. the database is down)
            from django.template.loader import render_to_string

            page = HttpResponse(render_to_string("500_plain.html"), status=response.status_code)
        page.portal_error_page = True
        return page


class ApiBodyLimitMiddleware:
    """An API body larger than API_MAX_BODY_BYTES (multipart uploads: UPLOAD_MAX_BYTES plus room
    for the form around the file) answers 413 JSON before anything reads it; DRF's parsers read
    the stream without Django's DATA_UPLOAD_MAX_MEMORY_SIZE check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
            limit = settings.UPLOAD_MAX_BYTES + 1024 * 1024 if multipart else settings.API_MAX_BODY_BYTES
            if length > limit:
                from .views.errors import body_too_large

                return body_too_large()
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages and exports of a logged-in user, and every API answer, are not kept by the browser
    or a proxy (`Cache-Control: no-store, private`): the next person at a shared office PC must
    not find them in the cache or the back button."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            from django.utils.cache import patch_cache_control

            patch_cache_control(response, no_store=True, private=True)
        return response
