"""Cross-tenant matrix rows of the hub (liaison/): letters, deliveries, the ledger,
inspections, notifications, sign-in and the API's own endpoints. See policy.py."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liaison import services
from liaison.models import LedgerEntry, Notification

from . import scenario
from .policy import ACTING, AGENCY, COUNTY_COURT, COURT, GOV, OFFICE, PROC
from .rows import API, EXPORT, LIST, Row, uuid_of
from .scenario import MINIMAL_PDF

VISIBLE = {
    # 市中院 → 市城管局, cc 市政府
    "letter_issued": COURT | AGENCY | GOV | OFFICE,
    "letter_signed": COURT | AGENCY | OFFICE,
    # 市检察院 → 市生态环境局
    "letter_proc": {"proc_staff", "proc_head", "env_staff"} | OFFICE,
    # 城中区法院 → 城中区政府
    "letter_county": {"county_clerk", "county_head", "county_gov_legal"} | OFFICE,
    # drafts and letters awaiting sign-off stay inside the issuer
    "letter_draft": COURT,
    "letter_pending": COURT,
    # ledger: the owner, its superior (the city government), the office
    "entry_agency": AGENCY | GOV | OFFICE,
    "entry_env": {"env_staff"} | GOV | OFFICE,
    "inspection_office": OFFICE,
    "notification_agency": {"agency_staff"},
}

# Whose letters they are: the issuing institution's acting users.
AUTHORS = {
    "letter_issued": COURT,
    "letter_signed": COURT,
    "letter_draft": COURT,
    "letter_pending": COURT,
    "letter_proc": PROC,
    "letter_county": COUNTY_COURT,
}
HEADS = {name: {p for p in people if p.endswith("_head")} for name, people in AUTHORS.items()}
# Each recipient signs for its own copy (主送 and 抄送).
RECIPIENTS = {
    "letter_issued": AGENCY | GOV,
    "letter_signed": AGENCY,
    "letter_proc": {"env_staff"},
    "letter_county": {"county_gov_legal"},
}

# Verbs are about who may act, whatever the record's state: a state that forbids the
# action answers a message or 409, not 403.
ALLOWED = {
    "letter.create": {"*": ACTING},
    "letter.edit": AUTHORS,
    "letter.submit": AUTHORS,
    "letter.share": AUTHORS,
    "letter.unshare": AUTHORS,
    "letter.issue": HEADS,
    "letter.return": HEADS,
    "delivery.sign": RECIPIENTS,
    "delivery.read": RECIPIENTS,
    # a recipient's own copy (a cc, or a letter asking for no reply, answers 409, not 403)
    "delivery.reply": RECIPIENTS,
    "ledger.complete": {"entry_agency": AGENCY, "entry_env": {"env_staff"}},
    "ledger.waive": {"entry_agency": {"office"}, "entry_env": {"office"}},
    "ledger.extend": {"entry_agency": {"office"}, "entry_env": {"office"}},
    "ledger.urge": {"entry_agency": {"office"}, "entry_env": {"office"}},
    "ledger.create": {"*": {"office"}},
    "letter.region": {"*": OFFICE},
    "inspection.create": {"*": {"office", "auditor"}},
}


def letter_attachment(record):
    return {"uuid": record.uuid, "attachment_uuid": record.attachments.first().uuid}


ALL_LETTERS = ("letter_issued", "letter_signed", "letter_proc", "letter_county", "letter_draft", "letter_pending")
ISSUED_LETTERS = ("letter_issued", "letter_signed", "letter_proc", "letter_county")
ENTRIES = ("entry_agency", "entry_env")

# Route prefixes classified as a whole.
PREFIXES = {
    "admin/": "Django admin: staff accounts only (is_staff), outside tenant pages",
}

WEB_ROUTES: dict[str, Row] = {
    "set_language": Row(skip="Django's language switch: sets a cookie, reads no record"),
    "api:schema": LIST,
    "api:docs": LIST,
    "login": Row(methods=("GET", "POST"), anon="open"),
    "logout": Row(methods=("POST",), anon="open"),
    "dashboard": LIST,
    "todo": LIST,  # the viewer's own pending actions: liaison.todo asks workflow.available
    "tracking": LIST,  # what the viewer's institution sent: liaison.tracking, within visibility
    "letter_inbox": LIST,
    "letter_inbox_export": EXPORT,
    "letter_outbox": LIST,
    "letter_outbox_export": EXPORT,
    "letter_region": Row(get_verb="letter.region"),
    "letter_region_export": Row(get_verb="letter.region"),
    "letter_create": Row(methods=("GET", "POST"), verb="letter.create", get_verb="letter.create"),
    "letter_detail": Row(targets=ALL_LETTERS, kwargs=uuid_of),
    "letter_edit": Row(
        methods=("GET", "POST"), targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.edit", get_verb="letter.edit"
    ),
    "letter_submit": Row(methods=("POST",), targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.submit"),
    "letter_return": Row(
        methods=("GET", "POST"), targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.return", get_verb="letter.return"
    ),
    "letter_issue": Row(
        methods=("GET", "POST"), targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.issue", get_verb="letter.issue"
    ),
    "letter_sign": Row(
        methods=("GET", "POST"), targets=ISSUED_LETTERS, kwargs=uuid_of, verb="delivery.sign", get_verb="delivery.sign"
    ),
    "letter_read": Row(methods=("POST",), targets=ISSUED_LETTERS, kwargs=uuid_of, verb="delivery.read"),
    "letter_share": Row(methods=("POST",), targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.share"),
    "letter_unshare": Row(methods=("POST",), targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.unshare"),
    "letter_pdf": Row(targets=ISSUED_LETTERS, kwargs=uuid_of),
    "letter_attachment_add": Row(methods=("POST",), targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.edit"),
    "letter_attachment": Row(targets=("letter_issued",), kwargs=letter_attachment),
    "ledger": LIST,
    "ledger_export": EXPORT,
    "ledger_detail": Row(targets=ENTRIES, kwargs=uuid_of),
    "ledger_create": Row(methods=("GET", "POST"), verb="ledger.create", get_verb="ledger.create"),
    "ledger_urge": Row(
        methods=("GET", "POST"), targets=ENTRIES, kwargs=uuid_of, verb="ledger.urge", get_verb="ledger.urge"
    ),
    "ledger_complete": Row(
        methods=("GET", "POST"), targets=ENTRIES, kwargs=uuid_of, verb="ledger.complete", get_verb="ledger.complete"
    ),
    "ledger_extend": Row(
        methods=("GET", "POST"), targets=ENTRIES, kwargs=uuid_of, verb="ledger.extend", get_verb="ledger.extend"
    ),
    "ledger_waive": Row(
        methods=("GET", "POST"), targets=ENTRIES, kwargs=uuid_of, verb="ledger.waive", get_verb="ledger.waive"
    ),
    "inspections": LIST,
    "inspection_create": Row(methods=("GET", "POST"), verb="inspection.create", get_verb="inspection.create"),
    "inspection_detail": Row(targets=("inspection_office",), kwargs=uuid_of),
    "inspection_export": Row(targets=("inspection_office",), kwargs=uuid_of),
    "notifications": LIST,
    "notifications_read_all": Row(methods=("POST",)),
    "notification_read": Row(methods=("POST",), targets=("notification_agency",), kwargs=uuid_of),
    "notification_open": Row(methods=("POST",), targets=("notification_agency",), kwargs=uuid_of),
}

API_ROUTES: dict[tuple[str, str], Row] = {
    ("POST", API + "auth/token/"): Row(skip="credential exchange, no record: tests/liaison/test_api_auth*.py"),
    ("POST", API + "auth/logout/"): Row(methods=("POST",)),
    ("GET", API + "calendar/deadline/"): Row(data={"start": "2026-01-31", "period": 1, "unit": "months"}),
    ("GET", API + "todo/"): Row(),  # the caller's own pending actions: liaison.todo asks workflow.available
    ("GET", API + "tracking/"): LIST,  # what the caller's institution sent and waits for (liaison.tracking)
    ("GET", API + "institutions/"): LIST,
    ("GET", API + "institutions/{uuid}/"): Row(skip="the institution directory is public to every signed-in user"),
    ("GET", API + "inspections/"): LIST,
    ("POST", API + "inspections/"): Row(verb="inspection.create", data={"title": "检查"}),
    ("GET", API + "inspections/{uuid}/"): Row(targets=("inspection_office",), kwargs=uuid_of),
    ("GET", API + "ledger/"): LIST,
    ("POST", API + "ledger/"): Row(verb="ledger.create", data={"title": "事项", "clause": "四(二)"}),
    ("POST", API + "ledger/{uuid}/urge/"): Row(
        targets=ENTRIES, kwargs=uuid_of, verb="ledger.urge", data={"message": "请抓紧办理"}
    ),
    ("GET", API + "ledger/{uuid}/"): Row(targets=ENTRIES, kwargs=uuid_of),
    ("POST", API + "ledger/{uuid}/complete/"): Row(targets=ENTRIES, kwargs=uuid_of, verb="ledger.complete"),
    ("POST", API + "ledger/{uuid}/extend/"): Row(targets=ENTRIES, kwargs=uuid_of, verb="ledger.extend"),
    ("POST", API + "ledger/{uuid}/waive/"): Row(targets=ENTRIES, kwargs=uuid_of, verb="ledger.waive"),
    ("GET", API + "letters/"): LIST,
    ("POST", API + "letters/"): Row(verb="letter.create"),
    ("GET", API + "letters/{uuid}/"): Row(targets=ALL_LETTERS, kwargs=uuid_of),
    ("PATCH", API + "letters/{uuid}/"): Row(targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.edit"),
    ("POST", API + "letters/{uuid}/submit/"): Row(targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.submit"),
    ("POST", API + "letters/{uuid}/return/"): Row(targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.return"),
    ("POST", API + "letters/{uuid}/issue/"): Row(targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.issue"),
    ("POST", API + "letters/{uuid}/sign/"): Row(targets=ISSUED_LETTERS, kwargs=uuid_of, verb="delivery.sign"),
    ("POST", API + "letters/{uuid}/read/"): Row(targets=ISSUED_LETTERS, kwargs=uuid_of, verb="delivery.read"),
    ("POST", API + "letters/{uuid}/reply/"): Row(targets=ISSUED_LETTERS, kwargs=uuid_of, verb="delivery.reply"),
    ("POST", API + "letters/{uuid}/share/"): Row(targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.share"),
    ("POST", API + "letters/{uuid}/unshare/"): Row(targets=ALL_LETTERS, kwargs=uuid_of, verb="letter.unshare"),
    ("GET", API + "letters/{uuid}/pdf/"): Row(targets=ISSUED_LETTERS, kwargs=uuid_of),
    ("GET", API + "notifications/"): LIST,
    ("GET", API + "notifications/{uuid}/"): Row(targets=("notification_agency",), kwargs=uuid_of),
    ("POST", API + "notifications/{uuid}/read/"): Row(targets=("notification_agency",), kwargs=uuid_of),
    ("POST", API + "notifications/read-all/"): Row(),
}


def records(world) -> dict:
    """Letters in each state, two ledger entries, an inspection, a notification."""
    objs = {}
    objs["letter_issued"] = _issued_letter(
        world, "court_clerk", "court_head", to=["agency_staff"], cc=["gov_legal"], attach=True
    )
    objs["letter_signed"] = _issued_letter(
        world, "court_clerk", "court_head", to=["agency_staff"], sign_by="agency_staff"
    )
    objs["letter_proc"] = _issued_letter(world, "proc_staff", "proc_head", to=["env_staff"])
    objs["letter_county"] = _issued_letter(world, "county_clerk", "county_head", to=["county_gov_legal"])

    mark = scenario.canary(world["court_clerk"].institution)
    draft = services.letter_create(
        by=world["court_clerk"],
        title=f"草稿{mark}",
        body=f"草稿正文{mark}",
        addressees=[world["agency_staff"].institution],
    )
    objs["letter_draft"] = (draft, mark)
    mark = scenario.canary(world["court_clerk"].institution)
    pending = services.letter_create(
        by=world["court_clerk"],
        title=f"待签{mark}",
        body=f"待签正文{mark}",
        addressees=[world["agency_staff"].institution],
    )
    services.letter_submit(letter=pending, by=world["court_clerk"])
    objs["letter_pending"] = (pending, mark)

    today = timezone.localdate()
    for name, owner in (("entry_agency", "agency_staff"), ("entry_env", "env_staff")):
        mark = scenario.canary(world[owner].institution)
        entry = services.ledger_open(
            owner=world[owner].institution, title=f"事项{mark}", start_date=today, period=10, unit=LedgerEntry.Unit.DAYS
        )
        objs[name] = (entry, mark)

    mark = scenario.canary(world["office"].institution)
    inspection = services.inspection_create(by=world["office"], title=f"检查{mark}", findings=f"发现{mark}")
    objs["inspection_office"] = (inspection, mark)

    mark = scenario.canary(world["agency_staff"].institution)
    services.notify(users=[world["agency_staff"]], kind="test", title=f"通知{mark}", key=f"matrix:{mark}")
    objs["notification_agency"] = (Notification.objects.get(key=f"matrix:{mark}"), mark)
    return objs


def _issued_letter(world, author, head, to, cc=(), *, sign_by=None, attach=False):
    mark = scenario.canary(world[author].institution)
    letter = services.letter_create(
        by=world[author],
        title=f"关于{mark}的函",
        body=f"正文 {mark}",
        addressees=[world[u].institution for u in to],
        cc=[world[u].institution for u in cc],
        signatory=f"署名{mark}",
    )
    if attach:
        services.attachment_add(
            letter=letter,
            by=world[author],
            upload=SimpleUploadedFile(f"附件{mark}.pdf", MINIMAL_PDF, "application/pdf"),
        )
    services.letter_submit(letter=letter, by=world[author])
    services.letter_issue(letter=letter, by=world[head])
    # Render synchronously: the matrix reads PDFs too.
    from liaison.pdf import render_letter

    services.store_letter_pdf(letter_id=letter.pk, pdf_bytes=render_letter(letter))
    letter.refresh_from_db()
    if sign_by:
        delivery = letter.deliveries.get(recipient=world[sign_by].institution)
        services.delivery_sign(delivery=delivery, by=world[sign_by])
    return letter, mark
