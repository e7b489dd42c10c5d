"""Included at /api/v1/ through the app's registration (liaison.plugins, see apps.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("indicators/", api.IndicatorView.as_view(), name="indicators"),
    path("indicators/drilldown/", api.IndicatorDrilldownView.as_view(), name="indicator-drilldown"),
    path("indicators/export/", api.IndicatorExportView.as_view(), name="indicator-export"),
]
