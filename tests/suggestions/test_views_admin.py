"""Admin: reply-period rules are editable; the flow's records are read-only lists."""

import pytest

from suggestions import services
from suggestions.models import ReplyPeriodRule

from ._view_helpers import client_for


@pytest.mark.parametrize("model", ["suggestion", "reply", "extension", "filing", "periodicreport", "replyperiodrule"])
def test_admin_lists_load(admin_user, model, make_suggestion, court_clerk, court_head):
    make_suggestion(court_clerk, court_head)
    response = client_for(admin_user).get(f"/admin/suggestions/{model}/")
    assert response.status_code == 200


def test_flow_records_cannot_be_added_in_admin(admin_user):
    client = client_for(admin_user)
    for model in ("suggestion", "reply", "extension", "filing", "periodicreport"):
        assert client.get(f"/admin/suggestions/{model}/add/").status_code == 403, model


def test_reply_period_rule_is_editable(admin_user):
    rule = ReplyPeriodRule.objects.get(kind="judicial", subkind="", urgent=False)
    response = client_for(admin_user).post(
        f"/admin/suggestions/replyperiodrule/{rule.pk}/change/",
        {"kind": "judicial", "subkind": "", "period": "30", "unit": "days", "basis": "本院规定"},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.period, rule.unit) == (30, "days")
    assert services.default_period(kind="judicial") == (30, "days")


def test_non_staff_cannot_reach_the_admin(court_clerk):
    assert client_for(court_clerk).get("/admin/suggestions/suggestion/").status_code == 302
