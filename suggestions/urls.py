"""Pages of 司法建议/检察建议 (included by liaison/web_urls.py under the namespace "suggestions")."""

from django.urls import path

from .views import filings, flow, lists, statistics

urlpatterns = [
    path("", lists.index, name="index"),
    path("export/", lists.export, name="export"),
    path("new/", flow.create, name="create"),
    path("filings/", filings.filing_list, name="filings"),
    path("filings/new/", filings.filing_create, name="filing_create"),
    path("filings/export/", filings.filing_export, name="filing_export"),
    path("statistics/", statistics.statistics, name="statistics"),
    path("statistics/export/", statistics.statistics_export, name="statistics_export"),
    path("<uuid:uuid>/", flow.detail, name="detail"),
    path("<uuid:uuid>/edit/", flow.edit, name="edit"),
    path("<uuid:uuid>/attachments/", flow.attachment_add, name="attachment_add"),
    path("<uuid:uuid>/attachments/<uuid:attachment_uuid>/", flow.attachment_download, name="attachment"),
    path("<uuid:uuid>/attachments/<uuid:attachment_uuid>/delete/", flow.attachment_delete, name="attachment_delete"),
    path("<uuid:uuid>/submit/", flow.submit, name="submit"),
    path("<uuid:uuid>/approve/", flow.approve, name="approve"),
    path("<uuid:uuid>/return/", flow.return_, name="return"),
    path("<uuid:uuid>/issue/", flow.issue, name="issue"),
    path("<uuid:uuid>/withdraw/", flow.withdraw, name="withdraw"),
    path("<uuid:uuid>/receive/", flow.receive, name="receive"),
    path("<uuid:uuid>/reply/", flow.reply, name="reply"),
    path("<uuid:uuid>/replies/<uuid:reply_uuid>/approve/", flow.reply_approve, name="reply_approve"),
    path("<uuid:uuid>/replies/<uuid:reply_uuid>/return/", flow.reply_return, name="reply_return"),
    path("<uuid:uuid>/replies/<uuid:reply_uuid>/edit/", flow.reply_edit, name="reply_edit"),
    path("<uuid:uuid>/replies/<uuid:reply_uuid>/withdraw/", flow.reply_withdraw, name="reply_withdraw"),
    path(
        "<uuid:uuid>/replies/<uuid:reply_uuid>/attachments/",
        flow.reply_attachment_add,
        name="reply_attachment_add",
    ),
    path(
        "<uuid:uuid>/replies/<uuid:reply_uuid>/attachments/<uuid:attachment_uuid>/delete/",
        flow.reply_attachment_delete,
        name="reply_attachment_delete",
    ),
    path("<uuid:uuid>/extension/", flow.extension_request, name="extension_request"),
    path("<uuid:uuid>/extensions/<uuid:extension_uuid>/decide/", flow.extension_decide, name="extension_decide"),
    path("<uuid:uuid>/evaluate/", flow.evaluate, name="evaluate"),
]
