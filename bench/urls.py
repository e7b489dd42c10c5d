from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/bare-json/", views.bare_json),
    path("bench/bare-drf/", views.BareDrfList.as_view()),
    path("", include("liaison.urls")),
]
