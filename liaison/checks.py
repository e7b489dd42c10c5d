"""System checks for production settings.

`liaison.E001`: with DEBUG off, an active account that still accepts the public demo
password (settings.DEMO_PASSWORD) makes every command that runs checks (migrate,
runserver, check --deploy) fail, so a production container refuses to start.

Hashing is slow on purpose (PBKDF2), so only the accounts the demo data creates and every
staff or superuser account are tried; an unreachable or unmigrated database is skipped.
"""

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core import checks
from django.db import DatabaseError
from django.db.models import Q
from django.utils.translation import gettext as _


def demo_password_accounts() -> list[str]:
    """Usernames of active accounts whose password is the demo password."""
    from .demo import DEMO_USERS
    from .models import User

    demo_names = [row[0] for row in DEMO_USERS] + ["admin"]
    candidates = User.objects.filter(is_active=True).filter(
        Q(username__in=demo_names) | Q(is_staff=True) | Q(is_superuser=True)
    )
    return sorted(
        user.username
        for user in candidates.only("username", "password")
        if user.has_usable_password() and check_password(settings.DEMO_PASSWORD, user.password)
    )


@checks.register(checks.Tags.security)
def demo_password_refused_in_production(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    try:
        usernames = demo_password_accounts()
    except DatabaseError:
        return []  # no database yet (before migrate) or unreachable: nothing to check
    if not usernames:
        return []
    return [
        checks.Error(
            _("生产环境（DEBUG 关闭）拒绝使用演示密码：以下账户仍使用公开的演示密码：%(u)s。")
            % {"u": "，".join(usernames)},
            hint=_("请为这些账户设置新密码（manage.py changepassword <用户名>）或停用它们。"),
            id="liaison.E001",
        )
    ]
