"""Test settings: the real settings, with a fast password hasher and in-memory e-mail."""

import os

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# One media directory per pytest-xdist worker (gw0, gw1, …), so parallel tests never share files;
# a process a test starts inherits PYTEST_XDIST_WORKER and so writes where the test reads.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
MEDIA_ROOT = BASE_DIR / "var" / (f"test-media-{_worker}" if _worker else "test-media")  # noqa: F405

# … and one Redis database each (db 15 → 15 for gw0, 14 for gw1, …): worker tests purge their
# queues. A process a test starts is handed the URL already chosen (and this marker).
if _worker and REDIS_URL and not os.environ.get("FYLINK_TEST_REDIS_PER_WORKER"):  # noqa: F405
    from urllib.parse import urlsplit

    _url = urlsplit(REDIS_URL)  # noqa: F405
    _db = (int(_url.path.strip("/") or 0) - int(_worker.removeprefix("gw") or 0)) % 16
    REDIS_URL = _url._replace(path=f"/{_db}").geturl()
    CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL
    os.environ["FYLINK_TEST_REDIS_PER_WORKER"] = "1"
