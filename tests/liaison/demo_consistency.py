"""What the demo data must not contradict (used by test_demo_consistency over the loaded demo).

Each check returns sentences naming the record, so a failing test says what to fix.
"""

import datetime as dt

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from liaison.models import AuditEntry, Delivery, Institution, LedgerEntry, Letter, Notification


def _day(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def _audit_days(model, action: str) -> dict[int, list[dt.date]]:
    ct = ContentType.objects.get_for_model(model)
    out: dict[int, list[dt.date]] = {}
    for target_id, at in AuditEntry.objects.filter(target_type=ct, action=action).values_list("target_id", "at"):
        out.setdefault(target_id, []).append(_day(at))
    return out


def letters_and_deliveries() -> list[str]:
    problems = []
    issued = _audit_days(Letter, "letter.issue")
    for letter in Letter.objects.filter(status=Letter.Status.ISSUED):
        if issued.get(letter.pk) != [letter.issued_on]:
            problems.append(
                f"{letter.doc_number} dated {letter.issued_on} but 签发 recorded on {issued.get(letter.pk)}"
            )
    for d in Delivery.objects.select_related("letter").exclude(delivered_at=None):
        delivered = _day(d.delivered_at)
        if d.letter.issued_on and delivered < d.letter.issued_on:
            problems.append(f"{d.letter.doc_number} delivered {delivered} before its date {d.letter.issued_on}")
        if d.signed_on and d.signed_on < delivered:
            problems.append(f"{d.letter.doc_number} 签收 {d.signed_on} before 送达 {delivered}")
        if d.signed_at and d.signed_on and _day(d.signed_at) != d.signed_on:
            problems.append(f"{d.letter.doc_number} 签收 dated {d.signed_on} but recorded {_day(d.signed_at)}")
    return problems


def timelines_in_order() -> list[str]:
    """Every record's audit trail moves forward in time, and nothing happened after now."""
    problems = []
    now = timezone.now()
    last: dict[tuple, tuple] = {}
    for pk, type_id, target_id, at, action in AuditEntry.objects.order_by("id").values_list(
        "id", "target_type_id", "target_id", "at", "action"
    ):
        if at > now + dt.timedelta(minutes=1):
            problems.append(f"audit {action} #{pk} in the future ({at})")
        key = (type_id, target_id)
        if key in last and at < last[key][0]:
            problems.append(
                f"audit {action} #{pk} at {at} is earlier than the step before it ({last[key][1]} {last[key][0]})"
            )
        last[key] = (at, action)
    if Notification.objects.filter(created_at__gt=now + dt.timedelta(minutes=1)).exists():
        problems.append("notifications dated in the future")
    return problems


def suggestions() -> list[str]:
    Suggestion = apps.get_model("suggestions", "Suggestion")
    Case = apps.get_model("cases", "AdministrativeCase")
    problems = []
    steps = {
        "issued_on": _audit_days(Suggestion, "suggestion.issue"),
        "received_on": _audit_days(Suggestion, "suggestion.receive"),
        "replied_on": _audit_days(Suggestion, "suggestion.reply_sent"),
        "evaluated_on": _audit_days(Suggestion, "suggestion.evaluate"),
    }
    cases = {c.number: c for c in Case.objects.prefetch_related("defendants")}
    for s in Suggestion.objects.select_related("letter"):
        name = s.letter.doc_number if s.letter_id else s.title
        dates = [s.issued_on, s.received_on, s.replied_on, s.evaluated_on]
        present = [d for d in dates if d]
        if present != sorted(present):
            problems.append(f"{name}: dates out of order {dates}")
        if s.letter_id and s.issued_on != s.letter.issued_on:
            problems.append(f"{name}: issued {s.issued_on}, letter dated {s.letter.issued_on}")
        for field, recorded in steps.items():
            value = getattr(s, field)
            if value and recorded.get(s.pk) and value not in recorded[s.pk]:
                problems.append(f"{name}: {field} {value} but the timeline says {recorded[s.pk]}")
        if s.case_number:
            case = cases.get(s.case_number)
            if case is None:
                problems.append(f"{name}: 关联案号 {s.case_number} does not exist")
            elif s.issued_on and case.filed_on > s.issued_on:
                problems.append(f"{name}: issued {s.issued_on} before case {s.case_number} was filed {case.filed_on}")
            elif s.recipient_id not in {d.pk for d in case.defendants.all()}:
                problems.append(f"{name}: recipient is not a defendant of {s.case_number}")
    return problems


def cases() -> list[str]:
    Case = apps.get_model("cases", "AdministrativeCase")
    Appearance = apps.get_model("cases", "Appearance")
    problems = []
    created = _audit_days(Case, "case.create")
    for c in Case.objects.prefetch_related("hearings"):
        if created.get(c.pk) and created[c.pk] != [c.filed_on]:
            problems.append(f"{c.number}: filed {c.filed_on} but registered on {created[c.pk]}")
        for h in c.hearings.all():
            if h.held_on < c.filed_on:
                problems.append(f"{c.number}: hearing {h.held_on} before filing {c.filed_on}")
        if c.concluded_on and (c.concluded_on < c.filed_on or (c.effective_on and c.effective_on < c.concluded_on)):
            problems.append(f"{c.number}: filed {c.filed_on}, concluded {c.concluded_on}, effective {c.effective_on}")
    # A government is represented by its (vice-)mayor or county head, an agency by its (deputy) director.
    for a in Appearance.objects.select_related("defendant", "hearing__case").filter(kind="head"):
        post = a.person_post
        if a.defendant.kind == Institution.Kind.GOVERNMENT:
            fits = any(word in post for word in ("市长", "县长", "区长", "秘书长"))
        else:
            fits = any(word in post for word in ("局长", "主任", "厅长", "负责人"))
        if not fits:
            problems.append(f"{a.hearing.case.number}: {a.defendant.short_name} represented by a {post}")
    return problems


def ledger() -> list[str]:
    problems = []
    for e in LedgerEntry.objects.all():
        if e.done_on and e.done_on < e.start_date:
            problems.append(f"ledger {e.title}: done {e.done_on} before its start {e.start_date}")
        if _day(e.created_at) < e.start_date:
            problems.append(f"ledger {e.title}: opened {_day(e.created_at)} before its start {e.start_date}")
    return problems


# The states in which a source record still awaits the step its latest ledger entry stands for
# (a reply, a written feedback, a decision, a handled clue, a confirmed decision, returned opinions).
SOURCE_AWAITING = {
    "suggestions.suggestion": {"received", "rectifying"},
    "cases.enforcement": {"assigned"},
    "cases.supervisionapplication": {"received"},
    "cases.cluetransfer": {"sent", "received"},
    "meetings.decision": {"open", "reported"},
    "meetings.reviewinvitation": {"pending"},
}


def ledger_done_only_with_its_source() -> list[str]:
    """No entry is done while its source still awaits what the entry stands for (a sourced entry
    is done only by its source's own transition; letter-sourced entries are closed on the ledger)."""
    problems = []
    latest: dict[tuple, LedgerEntry] = {}
    for e in LedgerEntry.objects.exclude(source_type=None).select_related("source_type").order_by("id"):
        latest[(e.source_type_id, e.source_id, e.owner_id)] = e
    for e in latest.values():
        label = f"{e.source_type.app_label}.{e.source_type.model}"
        if label == "liaison.letter":
            continue
        if label not in SOURCE_AWAITING:
            problems.append(f"ledger {e.title}: no rule says when its source ({label}) is still open")
            continue
        source = e.source_type.model_class()._default_manager.filter(pk=e.source_id).first()
        if source is None:
            problems.append(f"ledger {e.title}: its source {label} #{e.source_id} is gone")
        elif e.status == LedgerEntry.Status.DONE and source.status in SOURCE_AWAITING[label]:
            problems.append(f"ledger {e.title}: done while its {label} is still {source.status}")
    return problems


CHECKS = [letters_and_deliveries, timelines_in_order, suggestions, cases, ledger, ledger_done_only_with_its_source]


def all_problems() -> dict[str, list[str]]:
    return {check.__name__: check() for check in CHECKS}
