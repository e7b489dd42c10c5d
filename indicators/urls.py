"""Indicator pages (namespace "indicators"), included at /indicators/ by the app's registration.
A bulletin's action pages are named as its workflow declares them (models.py)."""

from django.urls import path

from .views import bulletins, dashboard, reports

BULLETIN_ACTIONS = ["refresh", "comment", "submit", "return", "issue", "correct"]
REPORT_ACTIONS = ["edit", "refresh", "submit", "return", "issue"]

urlpatterns = [
    path("", dashboard.index, name="index"),
    path("drilldown/", dashboard.drilldown, name="drilldown"),
    path("bulletins/", bulletins.bulletin_list, name="bulletins"),
    path("bulletins/<uuid:uuid>/", bulletins.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<uuid:uuid>/tables.pdf", bulletins.bulletin_tables_pdf, name="bulletin_tables_pdf"),
    *[
        path(f"bulletins/<uuid:uuid>/{name}/", getattr(bulletins, f"bulletin_{name}"), name=f"bulletin_{name}")
        for name in BULLETIN_ACTIONS
    ],
    path("reports/", reports.report_list, name="reports"),
    path("reports/<uuid:uuid>/", reports.report_detail, name="report_detail"),
    path("reports/<uuid:uuid>/report.pdf", reports.report_pdf, name="report_pdf"),
    *[
        path(f"reports/<uuid:uuid>/{name}/", getattr(reports, f"report_{name}"), name=f"report_{name}")
        for name in REPORT_ACTIONS
    ],
]
