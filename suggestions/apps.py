from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = _("司法建议与检察建议")

    def ready(self):
        from liaison.signals import delivery_signed

        from . import access_rules  # noqa: F401  registers visibility and verbs with liaison.access

        delivery_signed.connect(_delivery_signed, dispatch_uid="suggestions.receive")


def _delivery_signed(sender, delivery, by, **kwargs):
    from .services import on_letter_signed

    on_letter_signed(delivery=delivery, by=by)
