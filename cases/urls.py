"""Pages of 案件 (included by liaison/web_urls.py under the namespace "cases").

The case-work pages (enforcement, supervision, clue transfers, disputes, observations,
reviews) have their routes in urls_work.py, included at the end.
"""

from django.urls import include, path

from .views import cases, coordination, imports

urlpatterns = [
    path("", cases.index, name="index"),
    path("export/", cases.export, name="export"),
    path("new/", cases.create, name="create"),
    # Excel import
    path("import/", imports.upload, name="import"),
    path("import/template/", imports.template, name="import_template"),
    path("import/<slug:token>/", imports.preview, name="import_preview"),
    # 重大案件协调
    path("coordinations/", coordination.index, name="coordinations"),
    path("coordinations/export/", coordination.export, name="coordination_export"),
    path("coordinations/<uuid:uuid>/", coordination.detail, name="coordination_detail"),
    path("coordinations/<uuid:uuid>/communicate/", coordination.communicate, name="coordination_communicate"),
    path("coordinations/<uuid:uuid>/invite/", coordination.invite, name="coordination_invite"),
    path("coordinations/<uuid:uuid>/close/", coordination.close, name="coordination_close"),
    # one case
    path("<uuid:uuid>/", cases.detail, name="detail"),
    path("<uuid:uuid>/edit/", cases.edit, name="edit"),
    path("<uuid:uuid>/hearings/new/", cases.hearing_add, name="hearing_add"),
    path("<uuid:uuid>/hearings/<uuid:hearing_uuid>/appearance/", cases.appearance, name="appearance"),
    path(
        "<uuid:uuid>/hearings/<uuid:hearing_uuid>/appearances/<uuid:defendant_uuid>/explanation/",
        cases.explanation,
        name="appearance_explanation",
    ),
    path("<uuid:uuid>/conclude/", cases.conclude, name="conclude"),
    path("<uuid:uuid>/effective/", cases.mark_effective, name="effective"),
    path("<uuid:uuid>/performance/", cases.performance, name="performance"),
    path("<uuid:uuid>/coordinate/", coordination.open_, name="coordination_open"),
    path("", include("cases.urls_work")),
]
