"""/api/v1/ routes (namespace "api").

Other apps register their viewsets on `router` (or add paths below) from here, so the
schema and the docs page cover every endpoint.
"""

from csp.constants import NONCE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from cases import api as cases_api
from suggestions.api import FilingViewSet, SuggestionStatisticsView, SuggestionViewSet

from .api import views

app_name = "api"

router = SimpleRouter()
router.register("institutions", views.InstitutionViewSet, basename="institution")
router.register("letters", views.LetterViewSet, basename="letter")
router.register("ledger", views.LedgerEntryViewSet, basename="ledger")
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("suggestions", SuggestionViewSet, basename="suggestion")
router.register("filings", FilingViewSet, basename="filing")
router.register("cases", cases_api.CaseViewSet, basename="case")
router.register("coordinations", cases_api.CoordinationViewSet, basename="coordination")
router.register("disputes", cases_api.DisputeViewSet, basename="dispute")
router.register("enforcements", cases_api.EnforcementViewSet, basename="enforcement")
router.register("supervisions", cases_api.SupervisionViewSet, basename="supervision")
router.register("clues", cases_api.ClueViewSet, basename="clue")
router.register("observations", cases_api.ObservationViewSet, basename="observation")
router.register("reviews", cases_api.ReviewViewSet, basename="review")

urlpatterns = [
    path("auth/token/", views.TokenObtainView.as_view(), name="token"),
    path("auth/logout/", views.LogoutView.as_view(), name="logout"),
    path("calendar/deadline/", views.DeadlineView.as_view(), name="calendar-deadline"),
    # Before the router, so "statistics" is not taken for a suggestion's uuid.
    path("suggestions/statistics/", SuggestionStatisticsView.as_view(), name="suggestion-statistics"),
    path("cases/import/", cases_api.CaseImportPreviewView.as_view(), name="case-import"),
    path("cases/import/commit/", cases_api.CaseImportCommitView.as_view(), name="case-import-commit"),
    path("case-supervisions/", cases_api.CaseSupervisionCreateView.as_view(), name="case-supervision-create"),
    # By dotted name: the hub does not import the indicators app.
    path("", include("indicators.api_urls")),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    # The page's one inline <style> carries the nonce; scripts are all files.
    path("docs/", csp_update({"style-src": [NONCE]})(views.DocsView.as_view(url_name="api:schema")), name="docs"),
    *router.urls,
]
