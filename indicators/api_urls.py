"""Included by liaison.api_urls by name (the hub does not import this app)."""

from django.urls import path

from . import api

urlpatterns = [
    path("indicators/", api.IndicatorView.as_view(), name="indicators"),
    path("indicators/drilldown/", api.IndicatorDrilldownView.as_view(), name="indicator-drilldown"),
    path("indicators/export/", api.IndicatorExportView.as_view(), name="indicator-export"),
]
