"""Meeting pages (namespace "meetings"). Each transition's page takes the uuid of the record
the transition belongs to: a meeting, an invitation, minutes or a decision."""

from django.urls import path

from . import views

MEETING_ACTIONS = ["convene", "decline", "agenda", "issue_notice", "hold", "decide", "draft_minutes", "cancel"]
MINUTES_ACTIONS = ["edit", "circulate", "comment", "submit", "approve", "return"]
DECISION_ACTIONS = ["edit", "progress", "report", "confirm", "return"]

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.propose, name="propose"),
    path("calendar/", views.calendar_month, name="calendar"),
    path("calendar/feed/", views.feed_settings, name="feed"),
    path("ical/<str:token>.ics", views.ical_feed, name="ical"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/bulk-progress/", views.decisions_bulk, name="decisions_bulk"),
    path("decisions/<uuid:uuid>/", views.decision_detail, name="decision_detail"),
    path("<uuid:uuid>/", views.detail, name="detail"),
    *[path(f"<uuid:uuid>/{name.replace('_', '-')}/", views.action_view(name), name=name) for name in MEETING_ACTIONS],
    path("invitations/<uuid:uuid>/respond/", views.action_view("respond"), name="respond"),
    *[
        path(f"minutes/<uuid:uuid>/{name}/", views.action_view(f"minutes_{name}"), name=f"minutes_{name}")
        for name in MINUTES_ACTIONS
    ],
    *[
        path(f"decisions/<uuid:uuid>/{name}/", views.action_view(f"decision_{name}"), name=f"decision_{name}")
        for name in DECISION_ACTIONS
    ],
]
