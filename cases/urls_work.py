"""Routes of the case-work pages (enforcement, supervision, clues, disputes, observations, reviews)."""

urlpatterns = []
