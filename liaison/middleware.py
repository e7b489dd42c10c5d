"""Chinese first: the language is Simplified Chinese unless the user chose another.

Django's LocaleMiddleware follows the browser's Accept-Language, so an office PC with
an English browser would get English pages; here only the explicit choice (the
language cookie set by /i18n/setlang/) switches.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
