"""通知: the in-app inbox."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access, selectors, services
from ..models import Notification
from ..templatetags.portal import safe_local_url
from .common import paginate


@login_required
def notification_list(request):
    qs = selectors.notifications(request.user)
    if request.GET.get("unread") == "1":
        qs = qs.filter(read_at__isnull=True)
    page = paginate(request, qs)
    return render(
        request, "liaison/notifications.html", {"page": page, "unread_only": request.GET.get("unread") == "1"}
    )


@login_required
@require_POST
def notification_read(request, uuid):
    notification = access.get_visible_or_404(Notification, request.user, uuid=uuid)
    services.notification_mark_read(notification=notification, by=request.user)
    return redirect("notifications")


@login_required
@require_POST
def notification_open(request, uuid):
    """Mark read and follow the notification's link (only ever to a path on this site)."""
    notification = access.get_visible_or_404(Notification, request.user, uuid=uuid)
    services.notification_mark_read(notification=notification, by=request.user)
    return redirect(safe_local_url(notification.url) or "notifications")


@login_required
@require_POST
def notification_read_all(request):
    unread = list(Notification.objects.visible_to(request.user).unread())
    for notification in unread:
        services.notification_mark_read(notification=notification, by=request.user)
    messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": len(unread)})
    return redirect("notifications")
