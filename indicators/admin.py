from django.contrib import admin

from cases.models import Outcome

from .models import CountingRules


@admin.register(CountingRules)
class CountingRulesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "case_date", "first_instance_only", "include_procuratorial", "updated_at"]

    def has_add_permission(self, request):
        return not CountingRules.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class OutcomeAdmin(admin.ModelAdmin):
    """The 败诉 mapping (结案方式 → counts as lost) the indicators are computed under."""

    list_display = ["name", "code", "kind", "counts_as_lost", "position"]
    list_editable = ["counts_as_lost"]
    readonly_fields = ["code", "kind"]

    def has_delete_permission(self, request, obj=None):
        return False


# cases/ has no admin module of its own yet; if it registers Outcome later, that one wins.
if not admin.site.is_registered(Outcome):
    admin.site.register(Outcome, OutcomeAdmin)
