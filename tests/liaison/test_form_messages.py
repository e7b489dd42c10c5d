"""Forms say what is wrong in plain Chinese, all at once (liaison.forms.PortalForm, for every app's forms)."""

import datetime as dt

import pytest
from django import forms
from django.utils import timezone

from liaison.forms import LetterForm, PortalForm, date_field

pytestmark = pytest.mark.django_db


class Sample(PortalForm):
    title = forms.CharField(label="标题", max_length=200)
    code = forms.CharField(label="代码", min_length=4, required=False)
    count = forms.IntegerField(label="份数", min_value=1, max_value=99, required=False)
    kind = forms.ChoiceField(label="类别", choices=[("a", "甲")])
    on = date_field("立案日期", not_future=True)
    own = forms.CharField(label="自定义", error_messages={"required": "请写上自定义的内容。"})


def test_length_and_format_messages_name_the_field_and_the_length():
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    form = Sample({"title": "字" * 10000, "code": "ab", "count": "x", "kind": "zzz", "on": tomorrow})
    assert not form.is_valid()
    assert form.errors["title"] == ["标题不能超过 200 字，现在是 10000 字。"]
    assert form.errors["code"] == ["代码至少要 4 字，现在是 2 字。"]
    assert form.errors["count"] == ["份数请填写整数。"]
    assert form.errors["kind"] == ["类别的选项无效，请从列表中重新选择。"]
    assert form.errors["on"] == ["立案日期不能晚于今天。"]
    assert form.errors["own"] == ["请写上自定义的内容。"]  # a form's own words are kept
    assert not any("确保" in e or "Ensure" in e for errors in form.errors.values() for e in errors)


def test_required_and_bad_dates_and_bounds_read_plainly():
    form = Sample({"count": "500", "on": "2026-13-40"})
    form.is_valid()
    assert form.errors["title"] == ["请填写标题。"]
    assert form.errors["kind"] == ["请选择类别。"]
    assert form.errors["count"] == ["份数不能大于 99。"]
    assert form.errors["on"] == ["立案日期格式不正确，请按“2026-03-05”的格式填写。"]


def test_letter_form_reports_a_10000_character_title_plainly(court_clerk):
    form = LetterForm({"series": "han", "title": "长" * 10000, "body": "正文"}, user=court_clerk)
    assert not form.is_valid()
    assert form.errors["title"] == ["标题不能超过 200 字，现在是 10000 字。"]
    assert form.errors["addressees"] == ["请至少选择一个主送机关。"]
