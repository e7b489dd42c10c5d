from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("liaison.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("liaison.web_urls")),
]

handler400 = "liaison.views.errors.bad_request"
handler403 = "liaison.views.errors.permission_denied"
handler404 = "liaison.views.errors.page_not_found"
handler500 = "liaison.views.errors.server_error"
