"""工作台: what the user must do today."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from .. import plugins, selectors, todo, tracking
from ..calendar import years_needing_attention
from ..models import User

# The dashboard shows the most urgent rows of 跟踪, and of each step of 待办; their own pages show them all.
DASHBOARD_TRACKING = 10
DASHBOARD_TODO_PER_STEP = 5


def _is_admin(user) -> bool:
    return user.is_superuser or user.role == User.Role.ADMIN


def _todo_context(user, *, top: int | None = None) -> dict:
    """What the 待办 block shows (liaison/_todo_block.html): the counts are those of the whole list
    (liaison.todo), the rows printed `top` per step (None: all of them)."""
    found = todo.items(user)
    return {
        "todo": found,
        "todo_groups": todo.groups(found, top=top),
        "todo_overdue": sum(1 for i in found if i.overdue),
    }


@login_required
def dashboard(request):
    user = request.user
    context = selectors.dashboard(user)
    context.update(_todo_context(user, top=DASHBOARD_TODO_PER_STEP))
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
    context["tracking_groups"] = todo.groups(context["tracking"])
    return render(request, "liaison/tracking.html", context)


@login_required
def todo_list(request):
    """待办: every pending action of the user (liaison.todo), of which the dashboard prints the first few per step."""
    return render(request, "liaison/todo.html", _todo_context(request.user))
