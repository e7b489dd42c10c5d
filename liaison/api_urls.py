"""/api/v1/ routes (namespace "api").

The hub's own viewsets are registered here; the apps register theirs from their
AppConfig (`liaison.plugins.register(api_routes=…, api_paths=…)`), so the schema and the
docs page cover every endpoint while this file names no domain app. The apps' plain paths
come before the router's routes (so "<prefix>/statistics/" is not taken for a uuid).
"""

from csp.constants import NONCE
from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from . import plugins
from .api import todo, views

app_name = "api"

router = SimpleRouter()
router.register("institutions", views.InstitutionViewSet, basename="institution")
router.register("letters", views.LetterViewSet, basename="letter")
router.register("ledger", views.LedgerEntryViewSet, basename="ledger")
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("notifications", views.NotificationViewSet, basename="notification")
plugins.register_api_routes(router)

urlpatterns = [
    path("auth/token/", views.TokenObtainView.as_view(), name="token"),
    path("auth/logout/", views.LogoutView.as_view(), name="logout"),
    path("calendar/deadline/", views.DeadlineView.as_view(), name="calendar-deadline"),
    path("todo/", todo.TodoView.as_view(), name="todo"),
    path("tracking/", todo.TrackingView.as_view(), name="tracking"),
    *plugins.api_urlpatterns(),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    # The page's one inline <style> carries the nonce; scripts are all files.
    path("docs/", csp_update({"style-src": [NONCE]})(views.DocsView.as_view(url_name="api:schema")), name="docs"),
    *router.urls,
]
