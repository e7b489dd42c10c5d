from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = _("司法建议与检察建议")

    def ready(self):
        from . import access_rules  # noqa: F401  registers visibility and verbs with liaison.access
