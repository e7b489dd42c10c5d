"""Admin: reply-period rules are edited here; the records of the flow are read-only (they change
only through the services, which check state and actor and write the audit trail)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Extension, Filing, PeriodicReport, Reply, ReplyPeriodRule, Suggestion


class ReplyPeriodRuleForm(forms.ModelForm):
    # The model keeps plain strings; the administrator picks from the suggestion's own choices.
    kind = forms.ChoiceField(label=_("建议类别"), choices=Suggestion.Kind.choices)
    subkind = forms.ChoiceField(label=_("子类"), choices=Suggestion.Subkind.choices, required=False)

    class Meta:
        model = ReplyPeriodRule
        fields = ["kind", "subkind", "urgent", "period", "unit", "basis"]


@admin.register(ReplyPeriodRule)
class ReplyPeriodRuleAdmin(admin.ModelAdmin):
    form = ReplyPeriodRuleForm
    list_display = ["kind", "subkind", "urgent", "period", "unit", "basis"]
    list_filter = ["kind", "urgent"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReplyInline(admin.TabularInline):
    model = Reply
    fields = ["round", "status", "sent_on", "letter", "created_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ExtensionInline(admin.TabularInline):
    model = Extension
    fields = ["days", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "title", "kind", "issuer", "recipient", "status", "issued_on", "reply_due"]
    list_filter = ["kind", "status", "category"]
    search_fields = ["title", "letter__doc_number", "case_number", "recipient__name", "issuer__name"]
    list_select_related = ["issuer", "recipient", "letter"]
    inlines = [ReplyInline, ExtensionInline]


@admin.register(Reply)
class ReplyAdmin(ReadOnlyAdmin):
    list_display = ["suggestion", "round", "status", "sent_on"]
    list_filter = ["status"]
    list_select_related = ["suggestion__letter"]


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyAdmin):
    list_display = ["suggestion", "days", "status", "requested_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["suggestion__letter"]


@admin.register(Filing)
class FilingAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "procuratorate", "office", "filed_on"]
    list_filter = ["kind"]
    search_fields = ["title"]
    list_select_related = ["procuratorate", "office"]


@admin.register(PeriodicReport)
class PeriodicReportAdmin(ReadOnlyAdmin):
    list_display = ["issuer", "start", "end", "letter", "created_at"]
    list_select_related = ["issuer", "letter"]
