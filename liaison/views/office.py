"""The office's read-only view of its region's letters (本区域公文): every issued letter of the
institutions it oversees, which its 收文/发文 (its own letters) do not show."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import access, lists, selectors
from ..forms import RegionLetterFilter
from ..listings import REGION_LETTERS


def _rows(request):
    access.require(request.user, "letter.region")
    filters = RegionLetterFilter(request.GET or None, user=request.user)
    values = filters.values()
    qs = selectors.region_letters(
        request.user,
        issuer=values.get("issuer"),
        series=values.get("series", ""),
        keyword=values.get("q", ""),
        year=values.get("year"),
    )
    qs, sort = REGION_LETTERS.order(qs, request.GET.get("sort"))
    return filters, qs, sort


@login_required
def region_letters(request):
    filters, qs, sort = _rows(request)
    context = lists.page(request, REGION_LETTERS, qs, filters=filters, sort=sort)
    return render(request, "liaison/letters/region.html", context)


@login_required
def region_letters_export(request):
    filters, qs, _sort = _rows(request)
    return REGION_LETTERS.export(qs, viewer=request.user, filters=filters)
