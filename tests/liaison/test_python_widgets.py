"""The widgets PortalForm renders in Python (liaison.forms: selects and inputs) give exactly Django's
own template rendering, for values and attributes that need escaping, booleans and empty values."""

import datetime as dt

import pytest
from django import forms
from django.utils.safestring import mark_safe

from liaison.forms import PYTHON_WIDGETS

VALUES = [None, "", "普通文字", "<b>\"&'", mark_safe("<i>safe</i>"), 42, dt.date(2026, 3, 5), ["a", "<b>"]]
ATTRS = [
    {},
    {"class": "form-control", "required": True, "disabled": False},
    {"aria-invalid": "true", "placeholder": '"引号" & <尖括号>', "data-x": mark_safe("<m>")},
]
CHOICES = [("", "全部"), ("a", "甲"), ("<b>", "<乙>"), (3, mark_safe("<i>丙</i>")), ("组", [("c", "丁"), ("d", "戊")])]


@pytest.mark.parametrize("base", list(PYTHON_WIDGETS), ids=lambda c: c.__name__)
def test_python_widgets_render_as_djangos_templates(base):
    python = PYTHON_WIDGETS[base]
    compared = 0
    for attrs in ATTRS:
        for value in VALUES:
            kwargs = {"choices": CHOICES} if issubclass(base, forms.Select) else {}
            ours = python(attrs=dict(attrs), **kwargs)
            django = base(attrs=dict(attrs), **kwargs)
            for extra in (None, {"id": "id_q"}):
                assert ours.render("q", value, extra) == django.render("q", value, extra), (value, attrs, extra)
                compared += 1
    assert compared == len(ATTRS) * len(VALUES) * 2
