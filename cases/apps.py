from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("行政案件与协调")

    def ready(self):
        from . import access_rules  # noqa: F401  registers visibility and verbs with liaison.access
