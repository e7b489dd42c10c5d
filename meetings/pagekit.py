"""The meeting module's page kit: `lookup`, the one way its pages find a record by uuid (404 when
the user may not see it), `list_page`, a declared list with its filters and export, and `action`,
one page per transition for the records of reviews,
research and classes: a thin binding of `liaison.pages.action_page` (404 from the loader, 403/409
from the declaration, the form, the service, the message and the redirect)."""

import functools
import operator

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from liaison import access, lists, pages

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def lookup(rows):
    """A loader `(request, uuid) -> record`: the record of `rows` (a queryset, or a function of the user
    that gives one) with that uuid among those the user may see; 404 otherwise, a malformed uuid too."""

    def load(request, uuid):
        qs = rows(request.user) if callable(rows) else rows
        return access.get_visible_or_404(qs, request.user, uuid=uuid)

    return load


def list_page(request, spec, rows, filter_form, *, exact, search, template, create, filename, export_rows=None):
    """The page of a declared list (liaison.lists) of `rows` the user may see: the filter form's `exact`
    fields as equalities and its keyword `q` over the `search` fields, the spec's order; with ?export=1
    the spec's workbook of the same rows (`export_rows` adds what only the export shows). `can_create`:
    may the user take the verb `create`."""
    filters = filter_form(lists.filter_params(request, keep=("export",)))
    values = filters.values()
    qs = access.visible(rows, request.user).filter(**{f: values[f] for f in exact if values.get(f)})
    if q := values.get("q"):
        qs = qs.filter(functools.reduce(operator.or_, (Q(**{f"{f}__icontains": q}) for f in search)))
    qs, sort = spec.order(qs, request.GET.get("sort"))
    if request.GET.get("export"):
        shown = export_rows(qs) if export_rows else qs
        return spec.export(shown, viewer=request.user, filters=filters, filename=filename)
    context = lists.page(request, spec, qs, filters=filters, sort=sort)
    context["can_create"] = access.can(request.user, create)
    return render(request, template, context)


def action(loader, verb, form_class, title, run, done, *, back, files=False, initial=None, context=None):
    """`loader(request, uuid)` finds the record among those the user may see (404); `run(obj, user,
    cleaned_data)` calls the service; `back(obj)` is the record's page; `context(obj)` adds to the page."""

    @login_required
    @GET_POST
    def view(request, uuid):
        obj = loader(request, uuid)
        where = back(obj)

        def build():
            data = pages.post_data(request)
            if files:
                return form_class(data, request.FILES if data is not None else None)
            return form_class(data, initial=initial(obj) if initial else None)

        return pages.action_page(
            request,
            obj,
            verb=verb,
            form=build,
            service=lambda **data: run(obj, request.user, data),
            args=lambda cleaned: dict(cleaned),
            done=lambda result: done,
            back=where,
            template="meetings/form.html",
            context={"title": title, "back": where, "multipart": files, **(context(obj) if context else {})},
        )

    view.__name__ = verb.replace(".", "_")
    return view
