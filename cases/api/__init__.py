"""/api/v1/ for cases and the work around them: serializers and viewsets, one module per part
of the work plan (as in `cases.services`).

The same pattern as the suggestions API: every queryset starts from `visible_to(request.user)`
(another institution's record answers 404), every action asks `access.require` (403) before it
reads the body, and every write is a call into `cases.services`, whose field errors answer 400
and whose state conflicts answer 409. Related ids in bodies are uuids resolved among the rows
the user may see; a linked record the user may not see is shown as null.
"""

from .litigation import (
    CaseImportCommitView,
    CaseImportPreviewView,
    CaseSupervisionCreateView,
    CaseViewSet,
)
from .observation import ObservationViewSet, ReviewViewSet
from .resolution import CoordinationViewSet, DisputeViewSet
from .supervision import ClueViewSet, EnforcementViewSet, SupervisionViewSet

__all__ = [
    "CaseImportCommitView",
    "CaseImportPreviewView",
    "CaseSupervisionCreateView",
    "CaseViewSet",
    "ClueViewSet",
    "CoordinationViewSet",
    "DisputeViewSet",
    "EnforcementViewSet",
    "ObservationViewSet",
    "ReviewViewSet",
    "SupervisionViewSet",
]
