def portal(request):
    """Counts for the top bar: unread notifications."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .models import Notification

    return {"unread_notifications": Notification.objects.visible_to(user).unread().count()}
