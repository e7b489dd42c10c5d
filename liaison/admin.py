import hashlib

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.admin import GuardedModelAdmin

from . import services
from .calendar import year_is_covered_by_package
from .holiday_notice import parse_notice
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
    change_list_template = "admin/liaison/holidayoverride/change_list.html"

    def get_urls(self):
        return [
            path(
                "import-notice/",
                self.admin_site.admin_view(self.import_notice_view),
                name="liaison_holidayoverride_import_notice",
            ),
            *super().get_urls(),
        ]

    def import_notice_view(self, request):
        """Paste the State Council's notice → preview what was read (and which deadlines move) → save."""
        if not (self.has_add_permission(request) and self.has_delete_permission(request)):
            raise PermissionDenied
        form = HolidayNoticeForm(request.POST or None)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form}
        context["title"] = _("导入国务院节假日安排通知")
        if request.method == "POST" and form.is_valid():
            notice = parse_notice(form.cleaned_data["text"], year=form.cleaned_data.get("year"))
            context["notice"] = notice
            if notice.ok:
                context["rows"] = _notice_rows(notice)
                # Save only what was previewed: a text edited after the preview is previewed again.
                digest = hashlib.sha256(form.cleaned_data["text"].encode()).hexdigest()
                context["digest"] = digest
                confirm = request.POST.get("action") == "save" and request.POST.get("previewed") == digest
                try:
                    result = services.holiday_notice_apply(by=request.user, notice=notice, dry_run=not confirm)
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    if confirm:
                        messages.success(request, _saved_message(result))
                        return redirect("admin:liaison_holidayoverride_changelist")
                    context["preview"] = result
        return TemplateResponse(request, "admin/liaison/holidayoverride/import_notice.html", context)

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


class HolidayNoticeForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("通知全文"),
        widget=forms.Textarea(attrs={"rows": 18, "cols": 100}),
        max_length=20000,
        help_text=gettext_lazy("从国务院网站复制《国务院办公厅关于20XX年部分节假日安排的通知》全文粘贴于此。"),
    )
    year = forms.IntegerField(
        label=gettext_lazy("年份"),
        required=False,
        min_value=2004,
        max_value=2100,
        help_text=gettext_lazy("通知标题中有年份时可不填。"),
    )


def _notice_rows(notice):
    """Each parsed day, with chinesecalendar's view of it where the package covers the year."""
    import chinese_calendar

    rows = []
    for day in notice.days:
        package = None
        if year_is_covered_by_package(day.date.year):
            package = chinese_calendar.is_workday(day.date) == (day.kind == "workday")
        rows.append({"day": day, "weekday": "一二三四五六日"[day.date.weekday()], "package_agrees": package})
    return rows


def _saved_message(result) -> str:
    text = _("已保存%(y)d年的 %(h)d 个放假日和 %(w)d 个调休上班日。") % {
        "y": result["year"],
        "h": result["holidays"],
        "w": result["workdays"],
    }
    moved = len(result["moved"])
    if moved:
        text += _("%(n)d 个办理中事项的截止日期已重新计算，并已通知责任单位。") % {"n": moved}
    else:
        text += _("没有办理中事项的截止日期因此改变。")
    return text


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
