from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("行政案件与协调")

    def ready(self):
        from liaison.signals import letter_issued

        from . import access_rules  # noqa: F401  registers visibility and verbs with liaison.access

        letter_issued.connect(_letter_issued, dispatch_uid="cases.enforcement_letters")


def _letter_issued(sender, letter, by, **kwargs):
    # An enforcement's assignment letter opens the assignee's ledger entry; its feedback letter closes it.
    from .services import on_letter_issued

    on_letter_issued(letter=letter, by=by)
