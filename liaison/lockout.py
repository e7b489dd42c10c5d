"""Login lockout shared by every login path: the login page, the API token and /admin/login/.

django-axes does the bookkeeping (its `AxesStandaloneBackend` is the first authentication
backend, so every `authenticate()` call, whoever makes it, is counted and refused while locked;
its middleware turns a lockout on a path that does not answer it itself, the admin's login,
into our lockout page). The policy:

- Failures are keyed on the username (case-folded): LOGIN_MAX_FAILURES of them within
  LOGIN_LOCKOUT_MINUTES lock that name on every path. Unknown and known names are treated
  the same, so the answer never tells whether an account exists.
- The client address is *not* a key by default: behind the reverse proxy every user shares
  its address, so an address lockout would let anyone lock the whole portal. Only when
  LOGIN_CLIENT_ADDRESS_HEADER names a header the proxy sets (and overwrites) is the address
  taken from it, and then LOGIN_ADDRESS_MAX_FAILURES failures from one client lock that client
  (not the names it tried), which slows a password spray without locking out anyone else.
"""

import datetime as dt

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


class LockedOut(Exception):
    pass


def normalise_username(username) -> str:
    return str(username or "").strip().casefold()[:150]


def username_of(request, credentials) -> str | None:
    """AXES_USERNAME_CALLABLE: the name a failure is counted against."""
    if credentials and credentials.get("username") is not None:
        return normalise_username(credentials["username"])
    data = getattr(request, "data", None) or getattr(request, "POST", {})
    name = data.get("username") if hasattr(data, "get") else None
    return normalise_username(name) if name is not None else None


def trusted_client_address(request) -> str | None:
    """The client's address from the configured proxy header, or None when none is configured.

    The proxy appends the address it saw to X-Forwarded-For (or sets X-Real-IP), so the
    last entry is the one it vouches for; anything before it came from the client."""
    header = settings.LOGIN_CLIENT_ADDRESS_HEADER
    if not header:
        return None
    raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    value = raw.split(",")[-1].strip()
    return value[:45] or None


def client_address(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the address recorded with a failure."""
    return trusted_client_address(request) or request.META.get("REMOTE_ADDR") or None


def cool_off() -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


class PortalAxesHandler(AxesDatabaseHandler):
    """Axes' database handler, plus the per-client limit when the client address can be trusted."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        address = trusted_client_address(request)
        limit = settings.LOGIN_ADDRESS_MAX_FAILURES
        if not address or not limit:
            return False
        failures = AccessAttempt.objects.filter(
            ip_address=address, attempt_time__gte=timezone.now() - cool_off()
        ).aggregate(n=Sum("failures_since_start"))["n"]
        return (failures or 0) >= limit


def locked_message() -> str:
    return _("尝试次数过多，请 %(n)d 分钟后再试") % {"n": settings.LOGIN_LOCKOUT_MINUTES}


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE. Our login page and token endpoint answer a lockout themselves (and
    the attempt that reaches the limit still reads "wrong password"); any other path that
    authenticates (the admin's login) gets this page, or JSON under /api/."""
    if getattr(request, "portal_login_answered", False) and original_response is not None:
        return original_response
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": locked_message()}, status=429)
    return render(request, "registration/locked.html", {"message": locked_message()}, status=429)


def authenticate_with_lockout(request, username: str, password: str):
    """The user, or None for bad credentials; raises LockedOut while the name (or client) is locked."""
    request.portal_login_answered = True
    if not AxesProxyHandler.is_allowed(request, {"username": username}):
        raise LockedOut
    user = authenticate(request, username=username, password=password)
    if user is None:
        return None
    # A success clears the name's earlier failures (also for the token path, which does not log in).
    axes_reset(username=normalise_username(username))
    return user
