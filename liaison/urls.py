from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("liaison.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("liaison.web_urls")),
]

handler500 = "liaison.views.common.server_error"
