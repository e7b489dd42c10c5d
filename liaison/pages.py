"""The page toolkit: one view for every action page (a form or a confirmation, then a service).

    return pages.action_page(
        request, s,
        verb="suggestion.withdraw",              # pre-checked: 403 (role), then 409 (state)
        form=ReasonForm(pages.post_data(request), label=_("撤回理由")),
        service=services.suggestion_withdraw,
        args=lambda d: {"suggestion": s, "by": request.user, "reason": d["reason"]},
        done=lambda result: _("建议已撤回。"),
        back=detail_url(s),
        template="suggestions/withdraw.html", context={"s": s},
    )

What every action page does, in one place:

- GET (and "返回修改") renders `template` with the form (or the bare confirmation);
- the pre-check `access.require(user, verb, obj)` runs before any input is read: a role that
  may not answers 403 (PermissionDenied propagates to the portal's 403 page); a state that does
  not allow it answers the portal's conflict page: the reason as a message on the record's page
  (`back`), never a 500 and never the form;
- POST with valid input calls the service; its ValidationError goes beside the fields (input
  kept), its Conflict (the record moved meanwhile) is answered like the pre-check, success is a
  message and a redirect (`to(result)` or `back`);
- with `confirm=`, POST first runs the service in a rolled-back transaction (`dry_run`: the
  service alone decides whether the input is acceptable) and shows the confirmation step
  (`confirm_template`); the step's form posts `confirmed=1` to do it, `back=1` to edit again.

Why a function rather than a class-based view: the apps' views are functions that find the
record (404 for outsiders) and build their form with its own arguments; a call they make keeps
that visible, where a class hierarchy would spread one page over several overridden methods.
"""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import access
from .errors import Conflict
from .forms import apply_service_errors
from .views.common import conflict_redirect as conflict_page  # the reason, on the record's page


def post_data(request):
    """A bound form on POST, an unbound one otherwise: `Form(pages.post_data(request))`."""
    return request.POST if request.method == "POST" else None


def post_files(request):
    """The uploaded files of a POST (for a form with a `FilesField`), None otherwise."""
    return request.FILES if request.method == "POST" else None


def state_refusal(obj) -> Conflict:
    """The Conflict for a record whose state does not allow the action (the workflow's wording)."""
    return Conflict(
        _("%(what)s当前状态为“%(state)s”，不能执行此操作。")
        % {"what": obj._meta.verbose_name, "state": obj.get_status_display()}
    )


class _DryRun(Exception):
    pass


def dry_run(service: Callable, **kwargs) -> None:
    """Run a service and roll it back: a confirmation step is shown only for input it accepts."""
    try:
        with transaction.atomic():
            service(**kwargs)
            raise _DryRun
    except _DryRun:
        pass


def precheck(request, verb: str | None, obj, *, back: str, states=None, refusal=None):
    """`access.require` for a page: None to go on, or the conflict page (403 raises).

    `states`: for an action not (yet) declared in liaison.workflow, the states it may start from."""
    try:
        if verb:
            access.require(request.user, verb, obj)
        if states is not None and obj.status not in states:
            raise Conflict(str(refusal)) if refusal else state_refusal(obj)
    except Conflict as exc:
        return conflict_page(request, exc, back)
    return None


def action_page(
    request,
    obj=None,
    *,
    template: str,
    service: Callable,
    done: Callable,
    back: str,
    args: Callable = lambda data: {},
    form: forms.Form | Callable | None = None,
    verb: str | None = None,
    states=None,
    refusal=None,
    context: dict | None = None,
    to: Callable | None = None,
    confirm: Callable | None = None,
    confirm_template: str = "",
    preview: bool = True,
    checked: bool = False,
):
    """One action's page; see the module docstring. `checked=True` when the caller pre-checked.

    `form`: the bound form, or a callable that builds it (after the pre-check); None for a bare
    confirmation. `args(cleaned_data)` -> the service's keyword arguments; `done(result)` -> the success message;
    `confirm(cleaned_data)` -> the confirmation step's context (with `preview=False` the step is
    shown without the rolled-back run, for a service whose trial would be too costly)."""
    if not checked and (refused := precheck(request, verb, obj, back=back, states=states, refusal=refusal)):
        return refused
    if callable(form):  # built after the pre-check, so a refused user's input is never read
        form = form()
    if form is None:
        form = forms.Form(post_data(request))
    page = {"obj": obj, "form": form, **(context or {})}
    if request.method == "POST" and request.POST.get("back") != "1" and form.is_valid():
        kwargs = args(form.cleaned_data)
        confirmed = confirm is None or request.POST.get("confirmed") == "1"
        try:
            if confirmed:
                result = service(**kwargs)
            elif preview:
                dry_run(service, **kwargs)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except Conflict as exc:
            return conflict_page(request, exc, back)
        else:
            if not confirmed:
                return render(request, confirm_template, {**page, **confirm(form.cleaned_data)})
            messages.success(request, done(result))
            return redirect(to(result) if to else back)
    return render(request, template, page)
