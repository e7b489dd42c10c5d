from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("指标通报")

    def ready(self):
        from liaison import plugins

        from . import access_rules  # noqa: F401  registers the indicator verbs with liaison.access

        # The API (no pages yet, so the nav keeps 指标通报 greyed); see liaison/plugins.py.
        plugins.register(self, api_urls="indicators.api_urls")
