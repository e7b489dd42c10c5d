"""工作台: what the user must do today."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from .. import plugins, selectors, todo, tracking
from ..calendar import years_needing_attention
from ..models import User

# The dashboard shows the most urgent rows of 跟踪; its own page shows them all.
DASHBOARD_TRACKING = 10


def _is_admin(user) -> bool:
    return user.is_superuser or user.role == User.Role.ADMIN


@login_required
def dashboard(request):
    user = request.user
    context = selectors.dashboard(user)
    found = todo.items(user)
    context["todo"] = found
    context["todo_groups"] = todo.grouped(found)
    context["todo_overdue"] = sum(1 for i in found if i.overdue)
    context.update(tracking.context(user, top=DASHBOARD_TRACKING))
    context["is_admin"] = _is_admin(user)
    # The apps' blocks (liaison.plugins.register(dashboard=…)), each only when it has something.
    context["plugin_blocks"] = plugins.dashboard_blocks(user)
    if context["is_admin"]:
        year = timezone.localdate().year
        context["calendar_years"] = years_needing_attention([year, year + 1])
        context["calendar_years_text"] = "、".join(str(y) for y in context["calendar_years"])
    return render(request, "liaison/dashboard.html", context)


@login_required
def tracking_list(request):
    """跟踪: what the user's institution sent and still waits for (liaison.tracking)."""
    context = tracking.context(request.user)
    context["tracking_groups"] = todo.grouped(context["tracking"])
    return render(request, "liaison/tracking.html", context)
