from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from guardian.admin import GuardedModelAdmin

from . import services
from .models import AuditEntry, HolidayOverride, Inspection, Institution, LedgerEntry, Letter, Region, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "kind", "level", "region", "parent", "is_active"]
    list_filter = ["kind", "level", "region"]
    search_fields = ["name", "short_name", "code"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "institution", "role", "is_active"]
    list_filter = ["role", "institution__kind"]
    fieldsets = BaseUserAdmin.fieldsets + (("单位与角色", {"fields": ("institution", "role", "display_name", "post")}),)


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    """Edits go through the service so open deadlines are recomputed and the change is audited."""

    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]

    def save_model(self, request, obj, form, change):
        if change and "date" in form.changed_data:
            old = HolidayOverride.objects.get(pk=obj.pk)
            services.holiday_delete(by=request.user, holiday=old)
        saved = services.holiday_set(by=request.user, date=obj.date, kind=obj.kind, name=obj.name)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.holiday_delete(by=request.user, holiday=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.holiday_delete(by=request.user, holiday=obj)


@admin.register(Letter)
class LetterAdmin(GuardedModelAdmin):
    list_display = ["doc_number", "title", "issuer", "status", "issued_on"]
    list_filter = ["status", "series"]
    search_fields = ["doc_number", "title"]
    readonly_fields = [f.name for f in Letter._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "due_date", "status"]
    list_filter = ["status"]
    readonly_fields = ["due_date", "due_explained", "reminded_at", "escalated_at"]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["title", "institution", "created_at"]
    readonly_fields = ["snapshot"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "target_repr"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
