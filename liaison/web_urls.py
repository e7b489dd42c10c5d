"""Page routes of the hub (the other apps add theirs here with include())."""

urlpatterns = []
