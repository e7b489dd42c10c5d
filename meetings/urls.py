"""Meeting pages (namespace "meetings"). Each transition's page takes the uuid of the record
the transition belongs to: a meeting, an invitation, minutes or a decision."""

from django.urls import path

from . import activity_views as av
from . import review_views, views

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
    path("reviews/", review_views.index, name="reviews"),
    path("reviews/new/", review_views.create, name="review_create"),
    path("reviews/<uuid:uuid>/", review_views.detail, name="review_detail"),
    path("reviews/<uuid:uuid>/adoption.pdf", review_views.adoption_pdf, name="review_table"),
    path("reviews/<uuid:uuid>/attach/", review_views.attach, name="review_attach"),
    path("reviews/<uuid:uuid>/invite/", review_views.invite, name="review_invite"),
    path("reviews/<uuid:uuid>/conclude/", review_views.conclude, name="review_conclude"),
    path("reviews/<uuid:uuid>/issue/", review_views.issue, name="review_issue"),
    path("reviews/invitations/<uuid:uuid>/opine/", review_views.opine, name="review_opine"),
    path("reviews/invitations/<uuid:uuid>/return/", review_views.return_opinions, name="review_return"),
    path("reviews/opinions/<uuid:uuid>/decide/", review_views.decide, name="review_decide"),
    path("research/", av.research_index, name="research"),
    path("research/new/", av.research_create, name="research_create"),
    path("research/<uuid:uuid>/", av.research_detail, name="research_detail"),
    *[
        path(f"research/<uuid:uuid>/{name}/", getattr(av, f"research_{name}"), name=f"research_{name}")
        for name in ("member", "milestone", "start", "report", "issue")
    ],
    path("research/milestones/<uuid:uuid>/complete/", av.milestone_complete, name="milestone_complete"),
    path("progress/", av.progress, name="progress"),
    path("progress.pdf", av.progress_pdf, name="progress_pdf"),
    path("classes/", av.class_index, name="classes"),
    path("classes/new/", av.class_create, name="class_create"),
    path("classes/<uuid:uuid>/", av.class_detail, name="class_detail"),
    *[
        path(f"classes/<uuid:uuid>/{name}/", getattr(av, f"class_{name}"), name=f"class_{name}")
        for name in ("lecturer", "material", "hold", "cancel")
    ],
    path("classes/materials/<uuid:uuid>/", av.material_download, name="class_material_download"),
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
