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
        from django.shortcuts import render

        try:
            page = render(request, template, status=response.status_code)
        except Exception:  # the error page must not fail in its turn (e.g. the database is down)
            from django.template.loader import render_to_string

            page = HttpResponse(render_to_string("500_plain.html"), status=response.status_code)
        page.portal_error_page = True
        return page
