from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("指标通报")

    def ready(self):
        from liaison import plugins

        from . import access_rules  # noqa: F401  registers the indicator verbs with liaison.access

        # The API (no pages yet, so the nav keeps 指标通报 greyed); see liaison/plugins.py.
        plugins.register(
            self,
            api_urls="indicators.api_urls",
            schedules=[
                (
                    "季度指标通报（起草）",
                    "indicators.tasks.draft_bulletins",
                    ("30", "7", "*", "5", "1,4,7,10"),
                    "每季度第 5 日 07:30 为全市和各县（区）起草上一季度五项指标通报，交办公室审核（可重复执行）。",
                ),
            ],
        )
