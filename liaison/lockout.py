"""Login lockout shared by every login path (page and API token).

Too many recent failures for a username, or from one address, lock further attempts
for LOGIN_LOCKOUT_MINUTES. Unknown and known usernames are treated the same, so the
answer never tells whether an account exists.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils import timezone

from .models import LoginFailure


class LockedOut(Exception):
    pass


def _window_start():
    return timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def is_locked(username: str, address: str | None) -> bool:
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    limit = settings.LOGIN_MAX_FAILURES
    if recent.filter(username__iexact=username or "").count() >= limit:
        return True
    # An address may try several usernames, but not indefinitely.
    return bool(address and recent.filter(address=address).count() >= limit * 4)


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def authenticate_with_lockout(request, username: str, password: str):
    """The user, or None for bad credentials; raises LockedOut while locked."""
    address = client_address(request)
    if is_locked(username, address):
        raise LockedOut
    user = authenticate(request, username=username, password=password)
    if user is None:
        LoginFailure.objects.create(username=(username or "")[:150], address=address)
        return None
    LoginFailure.objects.filter(username__iexact=username).delete()
    return user
