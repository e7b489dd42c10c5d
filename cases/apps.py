from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("行政案件与协调")

    def ready(self):
        from django.db.models.signals import m2m_changed

        from liaison import plugins
        from liaison.signals import ledger_due_changed, letter_issued

        from . import access_rules, flows  # noqa: F401  registers visibility, verbs and transitions
        from .models import CaseDefendant

        letter_issued.connect(_letter_issued, dispatch_uid="cases.enforcement_letters")
        ledger_due_changed.connect(_ledger_due_changed, dispatch_uid="cases.due_dates")
        m2m_changed.connect(_defendants_changed, sender=CaseDefendant, dispatch_uid="cases.defendant_copies")
        plugins.register(
            self,
            urls="cases.urls",
            nav=[plugins.Nav(key="cases", label=_("案件"), url_name="cases:index", order=20)],
            api_routes=[
                ("cases", "cases.api.CaseViewSet", "case"),
                ("coordinations", "cases.api.CoordinationViewSet", "coordination"),
                ("disputes", "cases.api.DisputeViewSet", "dispute"),
                ("enforcements", "cases.api.EnforcementViewSet", "enforcement"),
                ("supervisions", "cases.api.SupervisionViewSet", "supervision"),
                ("clues", "cases.api.ClueViewSet", "clue"),
                ("observations", "cases.api.ObservationViewSet", "observation"),
                ("reviews", "cases.api.ReviewViewSet", "review"),
            ],
            api_paths=[
                ("cases/import/", "cases.api.CaseImportPreviewView", "case-import"),
                ("cases/import/commit/", "cases.api.CaseImportCommitView", "case-import-commit"),
                ("case-supervisions/", "cases.api.CaseSupervisionCreateView", "case-supervision-create"),
            ],
            demo="cases.demo.load",
            schedules=[
                (
                    "清理过期的案件导入预览文件",
                    "cases.tasks.purge_import_previews",
                    ("30", "3", "*", "*", "*"),
                    "每天 03:30 删除一天前上传而未确认导入的表格文件。",
                ),
            ],
        )


def _letter_issued(sender, letter, by, **kwargs):
    # An enforcement's assignment letter opens the assignee's ledger entry; its feedback letter closes it.
    from .services import on_letter_issued

    on_letter_issued(letter=letter, by=by)


def _ledger_due_changed(sender, entry, before, **kwargs):
    # The holiday calendar changed: the record's own deadline is its ledger entry's.
    from .models import Enforcement, SupervisionApplication

    model = entry.source_type.model_class() if entry.source_type_id else None
    if model is Enforcement:
        Enforcement.objects.filter(pk=entry.source_id, assignee_id=entry.owner_id, feedback_due=before).update(
            feedback_due=entry.due_date, feedback_due_explained=entry.due_explained
        )
    elif model is SupervisionApplication:
        SupervisionApplication.objects.filter(pk=entry.source_id, decision_due=before).update(
            decision_due=entry.due_date, decision_due_explained=entry.due_explained
        )


def _defendants_changed(sender, instance, action, reverse, pk_set, **kwargs):
    # A case's defendants changed (add, remove, set, clear): their rows carry the case's
    # counted fields and each defendant has a place at each of its hearings (cases.indexing).
    from . import indexing

    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            indexing.refresh([instance.pk])
    elif action == "pre_clear":  # institution.cases_defended.clear(): remember which cases
        instance._cleared_case_ids = list(instance.cases_defended.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove"):
        indexing.refresh(pk_set or ())
    elif action == "post_clear":
        indexing.refresh(getattr(instance, "_cleared_case_ids", ()))
