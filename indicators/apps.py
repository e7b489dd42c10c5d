from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("指标通报")

    def ready(self):
        from liaison import plugins

        from . import access_rules  # noqa: F401  registers the indicator verbs with liaison.access

        plugins.register(
            self,
            urls="indicators.urls",
            nav=[plugins.Nav(key="indicators", label=_("指标通报"), url_name="indicators:index", order=40)],
            api_urls="indicators.api_urls",
            demo="indicators.demo.load",
            api_routes=[
                ("bulletins", "indicators.bulletin_api.BulletinViewSet", "bulletin"),
                ("annual-reports", "indicators.report_api.ReportViewSet", "annual-report"),
            ],
            schedules=[
                (
                    "季度指标通报（起草）",
                    "indicators.tasks.draft_bulletins",
                    ("30", "7", "*", "5", "1,4,7,10"),
                    "每季度第 5 日 07:30 为全市和各县（区）起草上一季度五项指标通报，交办公室审核（可重复执行）。",
                ),
                (
                    "年度行政诉讼司法审查报告（起草）",
                    "indicators.tasks.draft_annual_reports",
                    ("0", "8", "*", "10", "1"),
                    "每年 1 月 10 日 08:00 为全市和各县（区）起草上一年度行政诉讼司法审查报告，交法院修改完善（可重复执行）。",
                ),
            ],
        )
