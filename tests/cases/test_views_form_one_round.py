"""A case form reports a future filing date together with the other errors, not after them."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.cases.test_views_cases import URL, client_for, form_data

pytestmark = pytest.mark.django_db


def test_case_form_reports_a_future_filing_date_with_the_other_errors_in_one_round(court_clerk, inst, cause):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client_for(court_clerk).post(URL + "new/", form_data(inst, cause, plaintiffs="", filed_on=tomorrow))
    errors = response.context["form"].errors
    assert errors["plaintiffs"] == ["请填写原告。"]
    assert errors["filed_on"] == ["立案日期不能晚于今天。"]
