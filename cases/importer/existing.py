"""Rows against the cases registered now: create, update or unchanged, and what an update would break.

Run at preview and again inside the commit's transaction, so a preview that went stale
between the two requests cannot overwrite another court's case.
"""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import Appearance, Hearing
from .layout import UPDATE_FIELDS, Case, ImportPreview, ImportRow, References, Through, chunks


def derived_status(values: dict[str, Any]) -> str:
    if values.get("effective_on"):
        return Case.Status.EFFECTIVE
    if values.get("outcome_id") or values.get("concluded_on"):
        return Case.Status.CONCLUDED
    return Case.Status.PENDING


def match_existing(p: ImportPreview, *, lock: bool = False) -> None:
    """Decide create/update/unchanged per row against the cases registered now (re-run at commit)."""
    numbers = list({row.number for row in p.rows if row.number})
    existing: dict[str, Case] = {}
    for chunk in chunks(numbers):
        qs = Case.objects.filter(number__in=chunk)
        if lock:
            qs = qs.select_for_update()
        existing.update((case.number, case) for case in qs)
    own_ids = [c.pk for c in existing.values() if c.court_id == p.court.pk]
    links: dict[int, dict[int, int]] = defaultdict(dict)
    for chunk in chunks(own_ids):
        for pk, case_id, inst_id in Through.objects.filter(administrativecase_id__in=chunk).values_list(
            "pk", "administrativecase_id", "institution_id"
        ):
            links[case_id][inst_id] = pk
    last_hearing: dict[int, dt.date] = {}
    appeared: set[tuple[int, int]] = set()
    for chunk in chunks(own_ids):
        last_hearing.update(
            Hearing.objects.filter(case_id__in=chunk)
            .values("case_id")
            .annotate(last=Max("held_on"))
            .values_list("case_id", "last")
        )
        appeared.update(
            Appearance.objects.filter(hearing__case_id__in=chunk).values_list("hearing__case_id", "defendant_id")
        )
    for row in p.rows:
        row.db_errors, row.action, row.case, row.changes, row.defendant_links = [], "", None, {}, {}
        case = existing.get(row.number) if row.number else None
        if case is not None and case.court_id != p.court.pk:
            row.db_errors.append(_("案号“%(number)s”已由其他法院登记，不能导入") % {"number": row.number})
            continue
        if row.field_errors:
            continue
        if case is None:
            row.action = "create"
            continue
        row.case, row.defendant_links = case, links.get(case.pk, {})
        row.db_errors = _update_errors(case, row, last_hearing.get(case.pk), appeared, p.refs)
        if row.db_errors:
            continue
        row.changes = _changes(case, row, p.refs)
        row.action = "update" if row.changes else "unchanged"


def _update_errors(case: Case, row: ImportRow, last_hearing, appeared: set, refs: "References") -> list[str]:
    """What the row would break in the case as registered (columns left out keep their values)."""
    errors = []
    merged = merged_values(case, row)
    filed, concluded, effective = merged["filed_on"], merged["concluded_on"], merged["effective_on"]
    if concluded and concluded < filed:
        errors.append(_("结案日期早于立案日期"))
    if effective and concluded and effective < concluded:
        errors.append(_("生效日期早于结案日期"))
    if concluded and last_hearing and concluded < last_hearing:
        errors.append(_("结案日期早于已登记的开庭日期（%(date)s）") % {"date": last_hearing.isoformat()})
    for inst_id in row.defendant_links:
        if inst_id not in row.defendant_ids and (case.pk, inst_id) in appeared:
            name = refs.institution_names.get(inst_id, "")
            errors.append(_("被告“%(name)s”已有出庭应诉记录，不能从本案删除") % {"name": name})
    return errors


def merged_values(case: Case, row: ImportRow) -> dict[str, Any]:
    merged = {f: getattr(case, f) for f in UPDATE_FIELDS}
    merged.update(row.values)
    merged["status"] = derived_status(merged)
    return merged


def _changes(case: Case, row: ImportRow, refs: References) -> dict[str, tuple[Any, Any]]:
    merged = merged_values(case, row)
    out = {}
    for f in UPDATE_FIELDS:
        before, after = getattr(case, f), merged[f]
        if before != after:
            out[f.removesuffix("_id")] = (_display(f, before, refs), _display(f, after, refs))
    if set(row.defendant_links) != set(row.defendant_ids):
        names = refs.institution_names
        out["defendants"] = (
            "、".join(sorted(names.get(i, str(i)) for i in row.defendant_links)),
            "、".join(names.get(i, str(i)) for i in row.defendant_ids),
        )
    return out


def _display(f: str, value, refs: References):
    if value is None or value == "":
        return ""
    if f == "cause_id":
        return refs.cause_names.get(value, value)
    if f == "outcome_id":
        return refs.outcome_names.get(value, value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if f in ("instance", "status", "major_category"):
        choices = {"instance": Case.Instance, "status": Case.Status, "major_category": Case.MajorCategory}[f]
        with translation.override(None):
            return str(choices(value).label)
    return value
