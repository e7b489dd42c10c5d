"""The meeting module's page kit: `lookup`, the one way its pages find a record by uuid (404 when
the user may not see it), and `action`, one page per transition for the records of reviews,
research and classes: a thin binding of `liaison.pages.action_page` (404 from the loader, 403/409
from the declaration, the form, the service, the message and the redirect)."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_http_methods

from liaison import access, pages

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def lookup(rows):
    """A loader `(request, uuid) -> record`: the record of `rows` (a queryset, or a function of the user
    that gives one) with that uuid among those the user may see; 404 otherwise, a malformed uuid too."""

    def load(request, uuid):
        qs = rows(request.user) if callable(rows) else rows
        return access.get_visible_or_404(qs, request.user, uuid=uuid)

    return load


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
