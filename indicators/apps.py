from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("指标通报")

    def ready(self):
        from . import access_rules  # noqa: F401  registers the indicator verbs with liaison.access
