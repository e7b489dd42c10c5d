def portal(request):
    """Counts for the top bar (unread notifications) and the apps' navigation entries
    (`liaison.plugins`: what is installed, planned modules greyed)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from . import plugins
    from .models import Notification

    return {
        "unread_notifications": Notification.objects.visible_to(user).unread().count(),
        "portal_nav": plugins.nav_entries(user),
    }
