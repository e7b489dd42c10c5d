from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("府院联动")

    def ready(self):
        from django.apps import apps

        from . import checks, flows, signals  # noqa: F401  (registers the system checks, transitions, receivers)
        from .status import fast_displays

        fast_displays(apps.get_models())
