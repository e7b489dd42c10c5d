"""Cross-tenant matrix rows of suggestions/ (司法建议, 检察建议, 备案). See policy.py."""

from . import scenario
from .policy import AGENCY, COUNTY_COURT, COURT, GOV, OFFICE, PROC
from .rows import API, EXPORT, LIST, Row, uuid_of

VISIBLE = {
    # suggestions: internal until issued; then the recipient, cc's and the office
    "sugg_draft": COURT,
    "sugg_issued": COURT | AGENCY | GOV | OFFICE,
    "sugg_received": COURT | AGENCY | OFFICE,
    "sugg_proc": {"proc_staff", "proc_head", "env_staff"} | OFFICE,
    "filing_proc": {"proc_staff", "proc_head"} | OFFICE,
    # the reply drafted on sugg_received, awaiting its head's sign-off: the recipient's own until sent
    "sugg_reply": AGENCY,
}

SUGG_ISSUER = {"sugg_draft": COURT, "sugg_issued": COURT, "sugg_received": COURT, "sugg_proc": PROC}
SUGG_HEAD = {name: {p for p in people if p.endswith("_head")} for name, people in SUGG_ISSUER.items()}
SUGG_RECIPIENT = {"sugg_draft": AGENCY, "sugg_issued": AGENCY, "sugg_received": AGENCY, "sugg_proc": {"env_staff"}}

ALLOWED = {
    "suggestion.create": {"*": COURT | PROC | COUNTY_COURT},
    "suggestion.edit": SUGG_ISSUER,
    "suggestion.submit": SUGG_ISSUER,
    "suggestion.evaluate": SUGG_ISSUER,
    "suggestion.approve": SUGG_HEAD,
    "suggestion.issue": SUGG_HEAD,
    "suggestion.withdraw": SUGG_HEAD,
    "suggestion.decide_extension": SUGG_HEAD,
    "suggestion.receive": SUGG_RECIPIENT,
    "suggestion.reply": SUGG_RECIPIENT,
    "suggestion.request_extension": SUGG_RECIPIENT,
    "suggestion.approve_reply": {
        "sugg_issued": {"agency_head"},
        "sugg_received": {"agency_head"},
        "sugg_draft": {"agency_head"},
    },
    "filing.create": {"*": PROC},
}
# The recipient's head returns a reply (like its sign-off); its acting users edit or withdraw one.
ALLOWED["suggestion.return_reply"] = ALLOWED["suggestion.approve_reply"]
ALLOWED["suggestion.edit_reply"] = {**SUGG_RECIPIENT, "sugg_reply": AGENCY}
ALLOWED["suggestion.withdraw_reply"] = SUGG_RECIPIENT


def suggestion_reply(record):
    return {"uuid": record.uuid, "reply_uuid": record.replies.first().uuid}


def suggestion_attachment(record):
    from liaison.services import record_attachments

    return {"uuid": record.uuid, "attachment_uuid": record_attachments(record).first().uuid}


def reply_of(reply):
    return {"uuid": reply.suggestion.uuid, "reply_uuid": reply.uuid}


def reply_attachment(reply):
    from liaison.services import record_attachments

    return {**reply_of(reply), "attachment_uuid": record_attachments(reply).first().uuid}


def received_reply_attachment(record):
    """The file of the reply drafted on sugg_received (the page finds the reply among all the suggestion's)."""
    return reply_attachment(record.replies.first())


def suggestion_extension(record):
    return {"uuid": record.uuid, "extension_uuid": record.extensions.first().uuid}


SUGGESTIONS = ("sugg_draft", "sugg_issued", "sugg_received", "sugg_proc")


def sugg(verb, methods=("GET", "POST"), targets=SUGGESTIONS, kwargs=uuid_of):
    return Row(methods=methods, targets=targets, kwargs=kwargs, verb=verb, get_verb=verb if "GET" in methods else None)


WEB_ROUTES: dict[str, Row] = {
    "suggestions:index": LIST,
    "suggestions:export": EXPORT,
    "suggestions:statistics": LIST,
    "suggestions:statistics_export": EXPORT,
    "suggestions:filings": LIST,
    "suggestions:filing_export": EXPORT,
    "suggestions:create": Row(methods=("GET", "POST"), verb="suggestion.create", get_verb="suggestion.create"),
    "suggestions:filing_create": Row(methods=("GET", "POST"), verb="filing.create", get_verb="filing.create"),
    "suggestions:detail": Row(targets=SUGGESTIONS, kwargs=uuid_of),
    "suggestions:edit": sugg("suggestion.edit"),
    "suggestions:attachment_add": sugg("suggestion.edit", methods=("POST",)),
    "suggestions:attachment": Row(targets=("sugg_draft",), kwargs=suggestion_attachment),
    "suggestions:reply_attachment_add": sugg(
        "suggestion.edit_reply", methods=("POST",), targets=("sugg_received",), kwargs=suggestion_reply
    ),
    "suggestions:attachment_delete": sugg(
        "suggestion.edit", methods=("POST",), targets=("sugg_draft",), kwargs=suggestion_attachment
    ),
    "suggestions:reply_attachment_delete": sugg(
        "suggestion.edit_reply", methods=("POST",), targets=("sugg_received",), kwargs=received_reply_attachment
    ),
    "suggestions:submit": sugg("suggestion.submit", methods=("POST",)),
    "suggestions:approve": sugg("suggestion.approve", methods=("POST",)),
    "suggestions:return": sugg("suggestion.approve"),
    "suggestions:issue": sugg("suggestion.issue"),
    "suggestions:withdraw": sugg("suggestion.withdraw"),
    "suggestions:receive": sugg("suggestion.receive"),
    "suggestions:reply": sugg("suggestion.reply"),
    "suggestions:reply_approve": sugg("suggestion.approve_reply", targets=("sugg_received",), kwargs=suggestion_reply),
    "suggestions:reply_return": sugg("suggestion.return_reply", targets=("sugg_received",), kwargs=suggestion_reply),
    "suggestions:reply_edit": sugg("suggestion.edit_reply", targets=("sugg_received",), kwargs=suggestion_reply),
    "suggestions:reply_withdraw": sugg(
        "suggestion.withdraw_reply", targets=("sugg_received",), kwargs=suggestion_reply
    ),
    "suggestions:extension_request": sugg("suggestion.request_extension"),
    "suggestions:extension_decide": sugg(
        "suggestion.decide_extension", targets=("sugg_received",), kwargs=suggestion_extension
    ),
    "suggestions:evaluate": sugg("suggestion.evaluate"),
}

API_ROUTES: dict[tuple[str, str], Row] = {
    ("GET", API + "suggestions/"): LIST,
    ("POST", API + "suggestions/"): Row(verb="suggestion.create"),
    ("GET", API + "suggestions/statistics/"): Row(data={"quarter": "2026Q4"}),
    ("GET", API + "suggestions/{uuid}/"): Row(targets=SUGGESTIONS, kwargs=uuid_of),
    ("PATCH", API + "suggestions/{uuid}/"): sugg("suggestion.edit", methods=("PATCH",)),
    ("POST", API + "suggestions/{uuid}/submit/"): sugg("suggestion.submit", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/approve/"): sugg("suggestion.approve", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/return/"): sugg("suggestion.approve", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/issue/"): sugg("suggestion.issue", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/withdraw/"): sugg("suggestion.withdraw", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/receive/"): sugg("suggestion.receive", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/reply/"): sugg("suggestion.reply", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/approve-reply/"): sugg("suggestion.approve_reply", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/return-reply/"): sugg("suggestion.return_reply", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/edit-reply/"): sugg("suggestion.edit_reply", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/withdraw-reply/"): sugg("suggestion.withdraw_reply", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/request-extension/"): sugg("suggestion.request_extension", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/decide-extension/"): sugg("suggestion.decide_extension", methods=("POST",)),
    ("POST", API + "suggestions/{uuid}/evaluate/"): sugg("suggestion.evaluate", methods=("POST",)),
    # files: read by whoever sees the record, uploaded (multipart) and removed by whoever may edit it
    ("GET", API + "suggestions/{uuid}/attachments/"): Row(targets=SUGGESTIONS, kwargs=uuid_of),
    ("POST", API + "suggestions/{uuid}/attachments/"): sugg("suggestion.edit", methods=("POST",)),
    ("DELETE", API + "suggestions/{uuid}/attachments/{attachment_uuid}/"): sugg(
        "suggestion.edit", methods=("DELETE",), targets=("sugg_draft",), kwargs=suggestion_attachment
    ),
    ("GET", API + "suggestions/{uuid}/replies/{reply_uuid}/attachments/"): Row(
        targets=("sugg_reply",), kwargs=reply_of
    ),
    ("POST", API + "suggestions/{uuid}/replies/{reply_uuid}/attachments/"): sugg(
        "suggestion.edit_reply", methods=("POST",), targets=("sugg_reply",), kwargs=reply_of
    ),
    ("DELETE", API + "suggestions/{uuid}/replies/{reply_uuid}/attachments/{attachment_uuid}/"): sugg(
        "suggestion.edit_reply", methods=("DELETE",), targets=("sugg_reply",), kwargs=reply_attachment
    ),
    ("GET", API + "filings/"): LIST,
    ("POST", API + "filings/"): Row(verb="filing.create"),
    ("GET", API + "filings/{uuid}/"): Row(targets=("filing_proc",), kwargs=uuid_of),
}


def records(world) -> dict:
    """A draft, two issued suggestions (one copied to the city government), one received with a
    reply and an extension request, and a procuratorate filing."""
    from suggestions import services as sg

    inst = {u: world[u].institution for u in ("agency_staff", "env_staff", "gov_legal")}

    def draft(author, recipient, **extra):
        mark = scenario.canary(world[author].institution)
        s = sg.suggestion_create(
            by=world[author],
            recipient=inst[recipient],
            title=f"建议{mark}",
            problem=f"问题{mark}",
            recommendations=f"建议内容{mark}",
            **extra,
        )
        return s, mark

    def issue(author, head, recipient, **extra):
        s, mark = draft(author, recipient, **extra)
        sg.suggestion_submit(suggestion=s, by=world[author])
        sg.suggestion_approve(suggestion=s, by=world[head])
        return sg.suggestion_issue(suggestion=s, by=world[head]), mark

    from django.core.files.uploadedfile import SimpleUploadedFile

    from .scenario import MINIMAL_PDF

    drafted, mark = draft("court_clerk", "agency_staff")
    sg.suggestion_attach(
        suggestion=drafted,
        by=world["court_clerk"],
        upload=SimpleUploadedFile(f"附件{mark}.pdf", MINIMAL_PDF, "application/pdf"),
    )
    objs = {
        "sugg_draft": (drafted, mark),
        "sugg_issued": issue("court_clerk", "court_head", "agency_staff", cc=[inst["gov_legal"]]),
        "sugg_proc": issue("proc_staff", "proc_head", "env_staff", subkind="general"),
    }
    received, mark = issue("court_clerk", "court_head", "agency_staff")
    received = sg.suggestion_receive(suggestion=received, by=world["agency_staff"])
    # asked for time first: once this round's reply is drafted, no extension can be asked for
    sg.extension_request(suggestion=received, by=world["agency_staff"], days=10, reasons=f"理由{mark}")
    # the reply and its file carry the recipient's canary: nobody outside it may read them before it is sent
    reply_mark = scenario.canary(world["agency_staff"].institution)
    reply = sg.suggestion_reply(
        suggestion=received,
        by=world["agency_staff"],
        measures=f"措施{reply_mark}",
        files=[SimpleUploadedFile(f"整改{reply_mark}.pdf", MINIMAL_PDF, "application/pdf")],
    )
    objs["sugg_received"] = (received, mark)
    objs["sugg_reply"] = (reply, reply_mark)

    mark = scenario.canary(world["proc_staff"].institution)
    filing = sg.filing_create(
        by=world["proc_staff"], kind="supervision_case", title=f"备案{mark}", summary=f"概况{mark}"
    )
    objs["filing_proc"] = (filing, mark)
    return objs
