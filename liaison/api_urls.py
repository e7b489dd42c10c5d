"""/api/v1/ routes."""

urlpatterns = []
