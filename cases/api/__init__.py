"""/api/v1/ for cases and the work around them: serializers and viewsets, one module per part
of the work plan (as in `cases.services`).

Every viewset is the hub's record viewset (liaison.api.records): its rows start from
`visible_to(request.user)` (another institution's record answers 404), every action is a
`record_action` on a transition declared in cases/flows.py, asked with `access.require` before
the body is read (403 for the wrong institution or role, 409 for the wrong state), and every
write is a call into `cases.services`, whose field errors answer 400. `allowed_actions` lists
the same transitions (`workflow.api_actions`). Related ids in bodies are uuids resolved among the rows
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
