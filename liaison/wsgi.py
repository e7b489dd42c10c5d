"""
WSGI config for liaison project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

application = get_wsgi_application()


def settle() -> int:
    """Build what every request reads (the URL resolver, each language's catalogue), then move all
    the objects alive so far — modules, models, settings, those — out of the garbage collector's
    sight (`gc.freeze`): they live as long as the process, and a full collection walked every one
    of them, ~210,000 objects, pausing the request that triggered it for 100-290 ms (the p95 and p99
    of `make bench`; bench/RESULTS.md, "Garbage collection pauses"). Returns the objects still tracked."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver()._populate()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("工作台")
    gc.collect()
    gc.freeze()
    return len(gc.get_objects())


settle()
