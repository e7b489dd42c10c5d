"""庭审观摩 and 判后评议 pages: lists, organising one on a case of the court's, the attendance of every
invited institution, and the review on the six topics of work plan 四(四)3.

Both are created from a case: `?case=<uuid>` names it (found among the cases the user sees, 404
otherwise; the verb is asked on that case, 403), or the court types its 案号 on a picker first.
See cases/views/enforcement.py for the order of checks.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_safe

from liaison import access, links, pages
from liaison.errors import Conflict
from liaison.views.common import conflict_redirect

from .. import selectors, services
from ..forms.work import (
    AttendanceForm,
    CasePickForm,
    ObservationFilter,
    ObservationForm,
    ReviewFilter,
    ReviewForm,
    recent_case_numbers,
)
from ..listings import OBSERVATIONS, REVIEWS
from ..models import AdministrativeCase, Observation, Review
from . import _work
from ._work import require_form_methods

LABELS = {
    "observation.create": pgettext_lazy("timeline", "组织庭审观摩，通知参加单位"),
    "observation.attendance": pgettext_lazy("timeline", "登记实到人数"),
    "review.create": pgettext_lazy("timeline", "记录判后评议"),
}


def may_organise(user) -> bool:
    """Whether to offer "组织观摩/评议": they are organised by the court on its own cases, i.e. by
    whoever may record cases. The verb itself is asked on the chosen case."""
    return access.can(user, "case.create")


def _held(rows):
    today = timezone.localdate()
    for o in rows:
        o.held = o.held_on <= today
        attendances = list(o.attendances.all())
        o.n_institutions = len(attendances)
        o.n_invited = sum(a.invited for a in attendances)
        o.n_attended = sum(a.attended for a in attendances)
    return rows


def _period(qs, values, *, text_fields, user):
    # Rows name their case only to those who may see it; a search by 案号 matches only those rows.
    qs = links.annotate(qs, user, "case")
    if q := values.get("q"):
        cond = Q(case__number__icontains=q.replace("(", "（").replace(")", "）"), case_visible=True)
        for f in text_fields:
            cond |= Q(**{f"{f}__icontains": q})
        qs = qs.filter(cond)
    if values.get("held_from"):
        qs = qs.filter(held_on__gte=values["held_from"])
    if values.get("held_to"):
        qs = qs.filter(held_on__lte=values["held_to"])
    return qs


def _case_for(request, verb, *, back):
    """The case named by `?case=<uuid>`: visible (404), the user may act on it (403) and its state
    allows it (the conflict page, back on the case's page or the list). Returns (case, refusal)."""
    case = access.get_visible_or_404(
        AdministrativeCase.objects.select_related("court", "cause"), request.user, uuid=request.GET.get("case", "")
    )
    return case, pages.precheck(request, verb, case, back=_work.case_url(request.user, case) or back)


def _pick_case(request, *, verb, title, list_url, list_label):
    """Step 0 of organising: type the 案号 of one of the court's cases."""
    form = CasePickForm(request.GET if "number" in request.GET else None, user=request.user)
    if form.is_bound and form.is_valid():
        case = form.cleaned_data["number"]
        if not access.can(request.user, verb, case):  # the state is checked on the next step
            raise PermissionDenied(verb)
        return redirect(f"{request.path}?{urlencode({'case': case.uuid})}")
    return render(
        request,
        "cases/work/case_pick.html",
        {
            "form": form,
            "title": title,
            "list_url": list_url,
            "list_label": list_label,
            "action": title,
            "case_numbers": recent_case_numbers(request.user),
        },
    )


# ----------------------------------------------------------------------------- 庭审观摩: list, export


def _observations(request):
    filters = ObservationFilter(request.GET or None)
    values = filters.values()
    qs = _period(selectors.observation_list(user=request.user), values, text_fields=("title",), user=request.user)
    qs, sort = OBSERVATIONS.order(qs, request.GET.get("sort"))
    return filters, qs, sort


@login_required
@require_safe
def observation_list(request):
    filters, qs, sort = _observations(request)
    return _work.list_page(
        request,
        OBSERVATIONS,
        template="cases/work/observation_list.html",
        filters=filters,
        qs=qs,
        sort=sort,
        decorate=_held,
        context={"can_create": may_organise(request.user)},
    )


@login_required
@require_safe
def observation_export(request):
    filters, qs, _sort = _observations(request)
    return OBSERVATIONS.export(_held(list(qs)), viewer=request.user, filters=filters)


# ----------------------------------------------------------------------------- 庭审观摩: create, detail, attendance


@login_required
@require_form_methods
def observation_create(request):
    user = request.user
    if "case" not in request.GET:
        return _pick_case(
            request,
            verb="observation.create",
            title=_("组织庭审观摩"),
            list_url=reverse("cases:observations"),
            list_label=_("庭审观摩"),
        )
    case, refused = _case_for(request, "observation.create", back=reverse("cases:observations"))
    if refused:
        return refused
    form = ObservationForm(pages.post_data(request), user=user, case=case)
    return pages.action_page(
        request,
        form=form,
        service=services.observation_create,
        args=lambda d: {
            "case": case,
            "by": user,
            "held_on": d["held_on"],
            "title": d["title"],
            "attendees": d["attendees"],
            "procuratorate": d["procuratorate"],
        },
        done=lambda o: _("已通知参加单位。观摩举行后请登记实到人数。"),
        back=reverse("cases:observations"),
        to=Observation.get_absolute_url,
        template="cases/work/observation_form.html",
        context={
            "form": form,
            "case": case,
            "case_url": _work.case_url(user, case),
            "list_url": reverse("cases:observations"),
            "list_label": _("庭审观摩"),
            "action": _("组织庭审观摩"),
        },
    )


def _observation_for_page(user, uuid) -> Observation:
    qs = Observation.objects.select_related("case", "court", "procuratorate", "created_by")
    return access.get_visible_or_404(qs, user, uuid=uuid)


def _observation_crumbs(o) -> dict:
    return {
        "list_url": reverse("cases:observations"),
        "list_label": _("庭审观摩"),
        "obj_url": o.get_absolute_url(),
        "obj_label": o.title,
    }


@login_required
@require_safe
def observation_detail(request, uuid):
    user = request.user
    o = _observation_for_page(user, uuid)
    rows = list(o.attendances.select_related("institution").order_by("id"))
    held = o.held_on <= timezone.localdate()
    context = {
        "o": o,
        "rows": rows,
        "held": held,
        "totals": {"invited": sum(r.invited for r in rows), "attended": sum(r.attended for r in rows)},
        "case_url": _work.case_url(user, o.case),
        "timeline": _work.timeline(user, o, labels=LABELS, describe=_describe),
        **_observation_crumbs(o),
    }
    return render(request, "cases/work/observation_detail.html", context)


def _describe(entry) -> str:
    after = entry.after or {}
    if entry.action == "observation.attendance":
        return _("%(i)s 实到 %(n)s 人") % {"i": after.get("institution", ""), "n": after.get("attended", "")}
    if entry.action == "observation.create":
        return after.get("attendees", "")
    # review.create's `after` holds the 案号, which the page names only to those who may see the case.
    return ""


class _Rollback(Exception):
    pass


@login_required
@require_form_methods
def observation_attendance(request, uuid):
    """实到人数 and names of every invited institution on one page; all rows are saved or none."""
    user = request.user
    o = _observation_for_page(user, uuid)
    if refused := pages.precheck(request, "observation.attendance", o, back=o.get_absolute_url()):
        return refused  # not held yet
    rows = list(o.attendances.select_related("institution").order_by("id"))
    form = AttendanceForm(pages.post_data(request), rows=rows)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = [
            (i, row)
            for i, row in enumerate(rows)
            if (data[f"attended_{i}"], data[f"names_{i}"]) != (row.attended, row.names)
        ]
        try:
            with transaction.atomic():
                for i, row in changed:
                    try:
                        services.observation_record_attendance(
                            observation=o,
                            by=user,
                            institution=row.institution,
                            attended=data[f"attended_{i}"],
                            names=data[f"names_{i}"],
                        )
                    except ValidationError as exc:
                        for field, errors in exc.message_dict.items():
                            name = f"{field}_{i}"
                            form.add_error(name if name in form.fields else None, errors)
                if form.errors:
                    raise _Rollback
        except _Rollback:
            pass
        except Conflict as exc:
            return conflict_redirect(request, exc, o.get_absolute_url())
        else:
            if changed:
                messages.success(request, _("已登记 %(n)d 个单位的实到人数。") % {"n": len(changed)})
            else:
                messages.info(request, _("实到人数没有变化。"))
            return redirect(o.get_absolute_url())
    return render(
        request,
        "cases/work/observation_attendance.html",
        {"o": o, "form": form, "action": _("登记实到人数"), **_observation_crumbs(o)},
    )


# ----------------------------------------------------------------------------- 判后评议


def _reviews(request):
    filters = ReviewFilter(request.GET or None)
    values = filters.values()
    qs = _period(selectors.review_list(user=request.user), values, text_fields=(), user=request.user)
    qs, sort = REVIEWS.order(qs, request.GET.get("sort"))
    return filters, qs, sort


def _topics(rows):
    for r in rows:
        r.n_topics = sum(1 for name in Review.TOPICS if getattr(r, name))
    return rows


@login_required
@require_safe
def review_list(request):
    filters, qs, sort = _reviews(request)
    return _work.list_page(
        request,
        REVIEWS,
        template="cases/work/review_list.html",
        filters=filters,
        qs=qs,
        sort=sort,
        decorate=_topics,
        context={"can_create": may_organise(request.user)},
    )


@login_required
@require_safe
def review_export(request):
    filters, qs, _sort = _reviews(request)
    return REVIEWS.export(qs, viewer=request.user, filters=filters)


@login_required
@require_form_methods
def review_create(request):
    user = request.user
    if "case" not in request.GET:
        return _pick_case(
            request,
            verb="review.create",
            title=_("记录判后评议"),
            list_url=reverse("cases:reviews"),
            list_label=_("判后评议"),
        )
    case, refused = _case_for(request, "review.create", back=reverse("cases:reviews"))
    if refused:  # judgment not yet effective
        return refused
    form = ReviewForm(pages.post_data(request), user=user, case=case)
    return pages.action_page(
        request,
        form=form,
        service=services.review_create,
        args=lambda d: {
            "case": case,
            "by": user,
            "held_on": d["held_on"],
            "participants": list(d["participants"]),
            **{name: d[name] for name in Review.TOPICS},
        },
        done=lambda r: _("判后评议已记录，参加单位已收到通知。"),
        back=reverse("cases:reviews"),
        to=Review.get_absolute_url,
        template="cases/work/review_form.html",
        context={
            "form": form,
            "case": case,
            "case_url": _work.case_url(user, case),
            "list_url": reverse("cases:reviews"),
            "list_label": _("判后评议"),
            "action": _("记录判后评议"),
        },
    )


@login_required
@require_safe
def review_detail(request, uuid):
    user = request.user
    r = access.get_visible_or_404(Review.objects.select_related("case", "court", "created_by"), user, uuid=uuid)
    topics = [(Review._meta.get_field(name).verbose_name, getattr(r, name)) for name in Review.TOPICS]
    context = {
        "r": r,
        "participants": list(r.participants.order_by("region_id", "kind", "id")),
        "topics": topics,
        "case_url": _work.case_url(user, r.case),
        "timeline": _work.timeline(user, r, labels=LABELS),
        "list_url": reverse("cases:reviews"),
        "list_label": _("判后评议"),
        "obj_label": _("%(n)s 判后评议")
        % {"n": links.label(user, r, "case") or f"{r.court.short_name} {r.held_on.isoformat()}"},
    }
    return render(request, "cases/work/review_detail.html", context)
