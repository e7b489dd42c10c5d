"""A small world with one record of each kind per party, every text seeded with a canary.

A canary is `CANARY-<institution code>-<uuid>`; the matrix asserts that no response a
persona receives contains the canary of a record that persona may not see.
"""

import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liaison import services
from liaison.models import Institution, LedgerEntry, Notification

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def canary(inst: Institution) -> str:
    return f"CANARY-{inst.code}-{uuid.uuid4().hex[:12]}"


def _issued_letter(world, author, head, to, cc=(), *, sign_by=None, attach=False):
    mark = canary(world[author].institution)
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


def build(world) -> dict:
    """Named records and their canaries: {name: (object, canary)}."""
    objs = {}
    objs["letter_issued"] = _issued_letter(
        world, "court_clerk", "court_head", to=["agency_staff"], cc=["gov_legal"], attach=True
    )
    objs["letter_signed"] = _issued_letter(
        world, "court_clerk", "court_head", to=["agency_staff"], sign_by="agency_staff"
    )
    objs["letter_proc"] = _issued_letter(world, "proc_staff", "proc_head", to=["env_staff"])
    objs["letter_county"] = _issued_letter(world, "county_clerk", "county_head", to=["county_gov_legal"])

    mark = canary(world["court_clerk"].institution)
    draft = services.letter_create(
        by=world["court_clerk"],
        title=f"草稿{mark}",
        body=f"草稿正文{mark}",
        addressees=[world["agency_staff"].institution],
    )
    objs["letter_draft"] = (draft, mark)
    mark = canary(world["court_clerk"].institution)
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
        mark = canary(world[owner].institution)
        entry = services.ledger_open(
            owner=world[owner].institution, title=f"事项{mark}", start_date=today, period=10, unit=LedgerEntry.Unit.DAYS
        )
        objs[name] = (entry, mark)

    mark = canary(world["office"].institution)
    inspection = services.inspection_create(by=world["office"], title=f"检查{mark}", findings=f"发现{mark}")
    objs["inspection_office"] = (inspection, mark)

    objs.update(_suggestions(world))
    objs.update(_cases(world))
    objs.update(_meetings(world))

    mark = canary(world["agency_staff"].institution)
    services.notify(users=[world["agency_staff"]], kind="test", title=f"通知{mark}", key=f"matrix:{mark}")
    objs["notification_agency"] = (Notification.objects.get(key=f"matrix:{mark}"), mark)
    return objs


def text_of(response) -> str:
    """Everything a response tells: headers and body; PDFs and workbooks opened up."""
    parts = [f"{k}: {v}" for k, v in response.items()]
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    ctype = response.get("Content-Type", "")
    if ctype.startswith("application/pdf"):
        parts.append(_pdf_text(content))
    elif "spreadsheetml" in ctype:
        parts.append(_xlsx_text(content))
    else:
        parts.append(content.decode("utf-8", "replace"))
    return "\n".join(parts)


def _pdf_text(content: bytes) -> str:
    import subprocess

    out = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=False)
    return out.stdout.decode("utf-8", "replace")


def _xlsx_text(content: bytes) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    cells = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells.extend(str(c) for c in row if c is not None)
    return "\n".join(cells)


def _suggestions(world) -> dict:
    from suggestions import services as sg

    inst = {u: world[u].institution for u in ("agency_staff", "env_staff", "gov_legal")}

    def draft(author, recipient, **extra):
        mark = canary(world[author].institution)
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

    objs = {
        "sugg_draft": draft("court_clerk", "agency_staff"),
        "sugg_issued": issue("court_clerk", "court_head", "agency_staff", cc=[inst["gov_legal"]]),
        "sugg_proc": issue("proc_staff", "proc_head", "env_staff", subkind="general"),
    }
    received, mark = issue("court_clerk", "court_head", "agency_staff")
    received = sg.suggestion_receive(suggestion=received, by=world["agency_staff"])
    sg.suggestion_reply(suggestion=received, by=world["agency_staff"], measures=f"措施{mark}")
    sg.extension_request(suggestion=received, by=world["agency_staff"], days=10, reasons=f"理由{mark}")
    objs["sugg_received"] = (received, mark)

    mark = canary(world["proc_staff"].institution)
    filing = sg.filing_create(
        by=world["proc_staff"], kind="supervision_case", title=f"备案{mark}", summary=f"概况{mark}"
    )
    objs["filing_proc"] = (filing, mark)
    return objs


def _cases(world) -> dict:
    import datetime as dt

    from cases import services as cs
    from cases.models import Cause, Outcome

    today = timezone.localdate()
    inst = {
        u: world[u].institution for u in ("agency_staff", "gov_legal", "proc_staff", "court_clerk", "county_gov_legal")
    }
    cause = Cause.objects.get(name="行政处罚")
    counter = iter(range(101, 200))

    def case(author, defendant, **extra):
        mark = canary(world[author].institution)
        court_code = "桂02" if author == "court_clerk" else "桂0202"
        number = f"（2026）{court_code}行初{next(counter)}号"
        c = cs.case_create(
            by=world[author],
            number=number,
            instance="first",
            cause=cause,
            plaintiffs=f"原告{mark}",
            defendants=[inst[defendant]],
            filed_on=today - dt.timedelta(days=60),
            summary=f"案情{mark}",
            **extra,
        )
        return c, mark

    objs = {}
    plain, mark = case("court_clerk", "agency_staff")
    hearing = cs.hearing_add(
        case=plain, by=world["court_clerk"], held_on=today - dt.timedelta(days=30), court_room="第一法庭"
    )
    cs.appearance_record(
        hearing=hearing,
        by=world["court_clerk"],
        defendant=inst["agency_staff"],
        kind="head",
        person_name="罗永强",
        person_post="局长",
    )
    hearing2 = cs.hearing_add(
        case=plain, by=world["court_clerk"], held_on=today - dt.timedelta(days=25), court_room="第二法庭"
    )
    cs.appearance_record(
        hearing=hearing2,
        by=world["court_clerk"],
        defendant=inst["agency_staff"],
        kind="delegated",
        person_name="覃文斌",
        person_post="法规科科员",
        explanation=SimpleUploadedFile(f"书面说明{mark}.pdf", MINIMAL_PDF, "application/pdf"),
    )
    cs.case_conclude(
        case=plain,
        by=world["court_clerk"],
        outcome=Outcome.objects.get(code="revoke"),
        concluded_on=today - dt.timedelta(days=20),
        effective_on=today - dt.timedelta(days=5),
        imposes_obligation=True,
    )
    objs["case_plain"] = (plain, mark)

    major, mark = case("court_clerk", "agency_staff", major_category="land_expropriation")
    coordination = cs.coordination_open(
        case=major, by=world["court_clerk"], government=inst["gov_legal"], subject=f"协调{mark}"
    )
    cs.coordination_invite(coordination=coordination, by=world["court_clerk"], procuratorate=inst["proc_staff"])
    cs.communication_add(coordination=coordination, by=world["court_clerk"], summary=f"沟通{mark}")
    objs["case_major"] = (major, mark)
    objs["coordination"] = (coordination, mark)

    objs["case_county"] = case("county_clerk", "county_gov_legal")

    mark = canary(inst["court_clerk"])
    enforcement = cs.enforcement_create(
        by=world["court_clerk"],
        applicant=inst["agency_staff"],
        basis="decision",
        basis_reference=f"柳城管罚〔2026〕{next(counter)}号",
        respondent=f"被执行人{mark}",
        obligation=f"拆除{mark}",
        money_obligation=False,
        applied_on=today - dt.timedelta(days=10),
    )
    cs.enforcement_rule(
        enforcement=enforcement,
        by=world["court_head"],
        ruling="granted",
        reasons="",
        ruled_on=today - dt.timedelta(days=3),
        assignee=inst["agency_staff"],
    )
    objs["enforcement"] = (enforcement, mark)

    mark = canary(inst["proc_staff"])
    supervision = cs.supervision_create(
        by=world["proc_staff"],
        applicant=f"申请人{mark}",
        court=inst["court_clerk"],
        enforcing_agency=inst["agency_staff"],
        request=f"申请{mark}",
        received_on=today - dt.timedelta(days=3),
    )
    objs["supervision"] = (supervision, mark)

    mark = canary(inst["proc_staff"])
    clue = cs.clue_transfer_send(
        by=world["proc_staff"], recipient=inst["gov_legal"], summary=f"线索{mark}", sent_on=today
    )
    objs["clue"] = (clue, mark)

    mark = canary(inst["court_clerk"])
    dispute = cs.dispute_create(
        by=world["court_clerk"],
        title=f"争议{mark}",
        applicant=f"申请人{mark}",
        agency=inst["agency_staff"],
        summary=f"概况{mark}",
        received_on=today - dt.timedelta(days=7),
    )
    objs["dispute"] = (dispute, mark)

    mark = canary(inst["court_clerk"])
    observation = cs.observation_create(
        case=major,
        by=world["court_clerk"],
        held_on=today,
        title=f"观摩{mark}",
        attendees=[(inst["agency_staff"], 5)],
        procuratorate=inst["proc_staff"],
    )
    objs["observation"] = (observation, mark)

    mark = canary(inst["court_clerk"])
    review = cs.review_create(
        case=plain,
        by=world["court_clerk"],
        held_on=today,
        participants=[inst["agency_staff"]],
        act_problems=f"问题{mark}",
    )
    objs["review"] = (review, mark)

    # Linked records the viewer may not see (issue 11, item 0): the clue, dispute, enforcement
    # and review point at the county court's case, which most of their parties cannot see. Its
    # 案号 is a canary of its own, so every page and export is scanned for it.
    from cases.models import ClueTransfer, Dispute, Enforcement, Review

    county = objs["case_county"][0]
    for model, record in ((ClueTransfer, clue), (Dispute, dispute), (Enforcement, enforcement), (Review, review)):
        model.objects.filter(pk=record.pk).update(case=county)
    objs["case_county_number"] = (county, county.number)
    return objs


def _meetings(world) -> dict:
    """A proposal only its proposer and the office see; a notified 协调会 with invitees; a
    座谈会 whose minutes are issued, with a decision owned by an agency that was not invited."""
    import datetime as dt

    from meetings import services as ms
    from meetings.models import MeetingKind

    kinds = {k.code: k for k in MeetingKind.objects.all()}
    inst = {u: world[u].institution for u in ("agency_staff", "court_clerk", "proc_staff", "gov_legal", "env_staff")}
    start = timezone.now() + dt.timedelta(days=3)
    objs = {}

    mark = canary(inst["env_staff"])
    proposed = ms.meeting_propose(
        by=world["env_staff"], kind=kinds["zuotan"], title=f"提议{mark}", reasons=f"理由{mark}"
    )
    objs["meeting_proposed"] = (proposed, mark)

    mark = canary(inst["agency_staff"])
    m = ms.meeting_propose(by=world["agency_staff"], kind=kinds["xietiao"], title=f"协调{mark}", reasons=f"理由{mark}")
    ms.agenda_add(meeting=m, by=world["office"], title=f"议程{mark}")
    ms.meeting_convene(
        meeting=m,
        by=world["office"],
        starts_at=start,
        location=f"地点{mark}",
        invitees=[inst["agency_staff"], inst["court_clerk"], inst["proc_staff"]],
    )
    ms.meeting_issue_notice(meeting=m, by=world["office_head"])
    objs["meeting_notified"] = (m, mark)
    objs["invitation_court"] = (m.invitations.get(institution=inst["court_clerk"]), mark)

    mark = canary(inst["court_clerk"])
    m = ms.meeting_propose(by=world["court_clerk"], kind=kinds["zuotan"], title=f"座谈{mark}", reasons=f"理由{mark}")
    ms.meeting_convene(
        meeting=m, by=world["office"], starts_at=start, location=f"地点{mark}", invitees=[inst["gov_legal"]]
    )
    ms.meeting_issue_notice(meeting=m, by=world["office_head"])
    inv = m.invitations.get()
    ms.invitation_respond(invitation=inv, by=world["gov_legal"], attending=True, attendees=f"陆海燕 {mark}")
    ms.meeting_hold(meeting=m, by=world["office"], attendance=ms.attendance_prefill(m))
    ms.decision_add(meeting=m, by=world["office"], text=f"落实{mark}", owner=inst["env_staff"], period=20)
    minutes = ms.minutes_draft(meeting=m, by=world["office"])
    ms.minutes_circulate(minutes=minutes, by=world["office"])
    objs["meeting_minuted"] = (m, mark)
    objs["minutes_circulated"] = (minutes, mark)
    # a second held meeting whose minutes are issued: its decision is on env's ledger
    mark = canary(inst["court_clerk"])
    m2 = ms.meeting_propose(by=world["court_clerk"], kind=kinds["zuotan"], title=f"座谈二{mark}", reasons=f"理由{mark}")
    ms.meeting_convene(meeting=m2, by=world["office"], starts_at=start, location="x", invitees=[inst["gov_legal"]])
    ms.meeting_issue_notice(meeting=m2, by=world["office_head"])
    ms.meeting_hold(meeting=m2, by=world["office"], attendance=[{"institution": inst["gov_legal"], "name": "陆海燕"}])
    objs["meeting_closed"] = (m2, mark)
    mark = canary(inst["env_staff"])
    decision = ms.decision_add(meeting=m2, by=world["office"], text=f"落实{mark}", owner=inst["env_staff"], period=20)
    mn2 = ms.minutes_draft(meeting=m2, by=world["office"])
    ms.minutes_submit(minutes=mn2, by=world["office"])
    ms.minutes_approve(minutes=mn2, by=world["office_head"])
    decision.refresh_from_db()
    objs["decision_env"] = (decision, mark)
    objs["kind_zuotan"] = (kinds["zuotan"], "CANARY-none-reference-data")
    return objs
