from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = _("司法建议与检察建议")

    def ready(self):
        from liaison import plugins
        from liaison.signals import delivery_signed, ledger_due_changed

        from . import access_rules, flows  # noqa: F401  registers visibility, verbs and transitions

        delivery_signed.connect(_delivery_signed, dispatch_uid="suggestions.receive")
        ledger_due_changed.connect(_ledger_due_changed, dispatch_uid="suggestions.reply_due")
        plugins.register(
            self,
            urls="suggestions.urls",
            nav=[plugins.Nav(key="suggestions", label=_("司法建议/检察建议"), url_name="suggestions:index", order=10)],
            api_routes=[
                ("suggestions", "suggestions.api.SuggestionViewSet", "suggestion"),
                ("filings", "suggestions.api.FilingViewSet", "filing"),
            ],
            api_paths=[
                ("suggestions/statistics/", "suggestions.api.SuggestionStatisticsView", "suggestion-statistics"),
            ],
            demo="suggestions.demo.load",
            schedules=[
                (
                    "季度司法建议、检察建议情况函告（起草）",
                    "suggestions.tasks.draft_periodic_reports",
                    ("0", "7", "*", "1", "1,4,7,10"),
                    "每季度首日 07:00 为各发文机关起草上一季度建议发出与回复情况的函告（可重复执行）。",
                ),
            ],
        )


def _delivery_signed(sender, delivery, by, **kwargs):
    from .services import on_letter_signed

    on_letter_signed(delivery=delivery, by=by)


def _ledger_due_changed(sender, entry, before, **kwargs):
    # The holiday calendar changed: the recipient's reply deadline is the ledger entry's.
    from .models import Suggestion

    if entry.source_type_id and entry.source_type.model_class() is Suggestion:
        Suggestion.objects.filter(
            pk=entry.source_id, recipient_id=entry.owner_id, reply_due=before, replied_on__isnull=True
        ).update(reply_due=entry.due_date, reply_due_explained=entry.due_explained)
