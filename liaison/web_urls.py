"""Page routes of the hub; the apps' pages are included from their registration
(`liaison.plugins.register(urls=…)`, at /<label>/ under the namespace <label>).

Public ids in URLs are UUIDs; a malformed one simply does not match (404).
"""

from django.contrib.auth.views import LogoutView
from django.urls import path

from . import plugins
from .views import auth, dashboard, ledger, letters, notifications, office

urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("", dashboard.dashboard, name="dashboard"),
    path("todo/", dashboard.todo_list, name="todo"),
    path("tracking/", dashboard.tracking_list, name="tracking"),
    # 收文/发文
    path("letters/inbox/", letters.inbox, name="letter_inbox"),
    path("letters/inbox/export/", letters.inbox_export, name="letter_inbox_export"),
    path("letters/outbox/", letters.outbox, name="letter_outbox"),
    path("letters/outbox/export/", letters.outbox_export, name="letter_outbox_export"),
    path("letters/region/", office.region_letters, name="letter_region"),
    path("letters/region/export/", office.region_letters_export, name="letter_region_export"),
    path("letters/new/", letters.letter_create, name="letter_create"),
    path("letters/<uuid:uuid>/", letters.letter_detail, name="letter_detail"),
    path("letters/<uuid:uuid>/edit/", letters.letter_edit, name="letter_edit"),
    path("letters/<uuid:uuid>/submit/", letters.letter_submit, name="letter_submit"),
    path("letters/<uuid:uuid>/return/", letters.letter_return, name="letter_return"),
    path("letters/<uuid:uuid>/issue/", letters.letter_issue, name="letter_issue"),
    path("letters/<uuid:uuid>/sign/", letters.delivery_sign, name="letter_sign"),
    path("letters/<uuid:uuid>/read/", letters.delivery_read, name="letter_read"),
    path("letters/<uuid:uuid>/share/", letters.letter_share, name="letter_share"),
    path("letters/<uuid:uuid>/unshare/", letters.letter_unshare, name="letter_unshare"),
    path("letters/<uuid:uuid>/pdf/", letters.letter_pdf, name="letter_pdf"),
    path("letters/<uuid:uuid>/attachments/", letters.attachment_add, name="letter_attachment_add"),
    path(
        "letters/<uuid:uuid>/attachments/<uuid:attachment_uuid>/",
        letters.attachment_download,
        name="letter_attachment",
    ),
    # 工作台账, 专项检查
    path("ledger/", ledger.ledger_list, name="ledger"),
    path("ledger/export/", ledger.ledger_export, name="ledger_export"),
    path("ledger/new/", ledger.ledger_create, name="ledger_create"),
    path("ledger/<uuid:uuid>/", ledger.ledger_detail, name="ledger_detail"),
    path("ledger/<uuid:uuid>/urge/", ledger.ledger_urge, name="ledger_urge"),
    path("ledger/<uuid:uuid>/complete/", ledger.ledger_complete, name="ledger_complete"),
    path("ledger/<uuid:uuid>/extend/", ledger.ledger_extend, name="ledger_extend"),
    path("ledger/<uuid:uuid>/waive/", ledger.ledger_waive, name="ledger_waive"),
    path("inspections/", ledger.inspection_list, name="inspections"),
    path("inspections/new/", ledger.inspection_create, name="inspection_create"),
    path("inspections/<uuid:uuid>/", ledger.inspection_detail, name="inspection_detail"),
    path("inspections/<uuid:uuid>/export/", ledger.inspection_export, name="inspection_export"),
    # 通知
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read-all/", notifications.notification_read_all, name="notifications_read_all"),
    path("notifications/<uuid:uuid>/read/", notifications.notification_read, name="notification_read"),
    path("notifications/<uuid:uuid>/open/", notifications.notification_open, name="notification_open"),
    *plugins.web_urlpatterns(),
]
