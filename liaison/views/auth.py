"""Login with the shared lockout, logout."""

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from ..demo import DEMO_USERS
from ..forms import LoginForm
from ..lockout import LockedOut, authenticate_with_lockout


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(_next_url(request))
    form = LoginForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            user = authenticate_with_lockout(request, form.cleaned_data["username"], form.cleaned_data["password"])
        except LockedOut:
            error = _("尝试次数过多，请 %(n)d 分钟后再试") % {"n": settings.LOGIN_LOCKOUT_MINUTES}
        else:
            if user is None:
                # The same words for an unknown user and a wrong password.
                error = _("用户名或密码错误")
            else:
                auth_login(request, user)  # rotates the session key
                return redirect(_next_url(request))
    context = {
        "form": form,
        "error": error,
        "next": request.POST.get("next") or request.GET.get("next") or "",
        # Only a development machine lists the demo accounts.
        "demo_users": [(u[0], u[3], u[1]) for u in DEMO_USERS] + [("admin", _("系统管理员"), "")]
        if settings.DEBUG
        else [],
        "demo_password": settings.DEMO_PASSWORD if settings.DEBUG else "",
    }
    return render(request, "registration/login.html", context)
