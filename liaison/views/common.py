"""Helpers every page view uses: pagination and the way service errors reach the user."""

from django.contrib import messages
from django.shortcuts import redirect

from ..errors import Conflict
from ..pagination import FastPaginator

PAGE_SIZE = 50


def paginate(request, qs, per_page: int = PAGE_SIZE):
    return FastPaginator(qs, per_page).get_page(request.GET.get("page"))


def conflict_redirect(request, exc: Conflict, to):
    """A wrong-state action: say why, go back; never a 500."""
    messages.error(request, exc.message)
    return redirect(to)


def download(fieldfile, filename: str, content_type: str):
    """A stored file (a letter's PDF, an attachment) as a download under its own name, never sniffed."""
    from django.http import FileResponse, Http404

    from ..excel import attachment_disposition

    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = attachment_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def server_error(request):
    """handler500: the portal's page with its navigation; a bare page if even that fails."""
    from django.shortcuts import render
    from django.template.loader import render_to_string

    try:
        return render(request, "500.html", status=500)
    except Exception:
        from django.http import HttpResponseServerError

        return HttpResponseServerError(render_to_string("500_plain.html"))
