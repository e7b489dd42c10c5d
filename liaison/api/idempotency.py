"""`Idempotency-Key` for API writes: a retried POST or PATCH makes no second record.

A client sends a key of its own (up to 100 characters, say a UUID) with a write. The key
is recorded for the user at the start of the write's transaction and the answer is stored
with it before the commit, so either both the write and its key are committed or neither:

- the same key again (the answer was lost: a timeout, a database restart) answers the
  stored status and body, with `Idempotent-Replayed: true`, and writes nothing;
- the same key while the first request is still running waits for it (the key's unique
  index), then answers what it answered;
- the same key with another method, path or body is a 400: a key names one request;
- a 5xx (say, the database went away mid-request) rolls the key back with the write, so a
  retry runs the write afresh.

Keys are per user: one user's key never answers another's request.

Keys are kept for `IDEMPOTENCY_KEY_DAYS` days (default 7): a client retries within minutes,
not weeks. `purge_expired()` (the daily task `liaison.tasks.purge_idempotency_keys`) deletes
older ones through the `created_at` index; a key sent again after that runs as a new request.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status

from ..models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
MAX_LENGTH = 100
METHODS = ("POST", "PATCH")
REUSED = _("这个幂等键已用于另一个请求（方法、地址或内容不同）。")


def purge_expired(*, now=None) -> int:
    """Delete the keys older than `IDEMPOTENCY_KEY_DAYS` days; returns how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.IDEMPOTENCY_KEY_DAYS)
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted


class Replay(Exception):
    def __init__(self, stored: IdempotentRequest):
        self.stored = stored


def _fingerprint(request) -> str:
    h = hashlib.sha256()
    h.update(request.method.encode())
    h.update(request.get_full_path().encode())
    h.update(request.body)
    return h.hexdigest()


def _replay(stored: IdempotentRequest) -> JsonResponse:
    response = JsonResponse(stored.body, status=stored.status, safe=False, json_dumps_params={"ensure_ascii": False})
    response[REPLAYED] = "true"
    return response


class IdempotentMixin:
    """For API viewsets (ApiMixin): honours the `Idempotency-Key` header on POST and PATCH."""

    def dispatch(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or request.method not in METHODS:
            return super().dispatch(request, *args, **kwargs)
        self._idempotency = {"key": key, "fingerprint": _fingerprint(request), "row": None}
        try:
            with transaction.atomic():
                response = super().dispatch(request, *args, **kwargs)
                row = self._idempotency["row"]
                if row is None:
                    return response  # refused before the key was recorded (401, 403, 400 on the key)
                if response.status_code >= 500:
                    transaction.set_rollback(True)  # nothing of a failed write stays, the key included
                    return response
                IdempotentRequest.objects.filter(pk=row.pk).update(
                    status=response.status_code, body=getattr(response, "data", None)
                )
                return response
        except IntegrityError:
            if self._idempotency["row"] is not None:
                raise
            # The same key was being written by a request that has now committed: answer what it answered.
            stored = IdempotentRequest.objects.filter(user=self.request.user, key=key).first()
            if stored is None or stored.status is None:
                raise
            if stored.fingerprint != self._idempotency["fingerprint"]:
                return JsonResponse({HEADER: [str(REUSED)]}, status=status.HTTP_400_BAD_REQUEST)
            return _replay(stored)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        state = getattr(self, "_idempotency", None)
        if state is None or not request.user.is_authenticated:
            return
        key = state["key"]
        if not key or len(key) > MAX_LENGTH:
            raise exceptions.ValidationError({HEADER: [_("幂等键应为 1 至 %(n)d 个字符。") % {"n": MAX_LENGTH}]})
        stored = IdempotentRequest.objects.filter(user=request.user, key=key).first()
        if stored is not None:
            raise Replay(stored)
        # Blocks while another request with this key is running; raises IntegrityError when it committed.
        state["row"] = IdempotentRequest.objects.create(user=request.user, key=key, fingerprint=state["fingerprint"])

    def handle_exception(self, exc):
        if isinstance(exc, Replay):
            stored = exc.stored
            if stored.fingerprint != self._idempotency["fingerprint"]:
                return super().handle_exception(exceptions.ValidationError({HEADER: [REUSED]}))
            return _replay(stored)
        return super().handle_exception(exc)
