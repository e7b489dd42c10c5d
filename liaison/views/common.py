"""Helpers every page view uses: pagination and the way service errors reach the user."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect

from ..errors import Conflict

PAGE_SIZE = 50


def paginate(request, qs, per_page: int = PAGE_SIZE):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def conflict_redirect(request, exc: Conflict, to):
    """A wrong-state action: say why, go back; never a 500."""
    messages.error(request, exc.message)
    return redirect(to)
