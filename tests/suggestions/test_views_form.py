"""Drafting and editing a suggestion, and the linked procuratorial suggestion."""

import pytest

from suggestions import services
from suggestions.models import Suggestion

from ._view_helpers import CITY_AGENCY, client_for, draft

NEW = "/suggestions/new/"


def form_data(recipient, **extra):
    data = {
        "recipient": str(recipient.uuid),
        "title": "关于规范城市管理行政执法程序的建议",
        "problem": "执法文书送达程序不规范。",
        "recommendations": "完善送达程序。",
        "category": "enforcement",
        "reply_unit": "months",
    }
    data.update(extra)
    return data


# ----------------------------------------------------------------------------- new


def test_court_form_has_the_procuratorial_checkbox_and_the_default_period(court_clerk):
    response = client_for(court_clerk).get(NEW)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="touches_procuratorial"' in body and 'name="subkind"' not in body
    assert "自动抄送同级人民检察院" in body
    assert "留空按规定期限" in body and "2个月" in body
    assert "类别：司法建议" in body


def test_procuratorate_form_chooses_the_subkind(proc_staff):
    body = client_for(proc_staff).get(NEW).content.decode()
    assert 'name="subkind"' in body and "诉前公益诉讼" in body
    assert 'name="touches_procuratorial"' not in body


def test_recipients_are_only_agencies_and_governments(court_clerk):
    choices = client_for(court_clerk).get(NEW).context["form"].fields["recipient"].queryset
    assert set(choices.values_list("kind", flat=True)) == {"agency", "government"}


def test_clerk_creates_a_judicial_draft_cc_to_the_procuratorate(court_clerk, inst):
    response = client_for(court_clerk).post(
        NEW,
        form_data(inst[CITY_AGENCY], touches_procuratorial="on", cc=[str(inst["柳州市人民政府"].uuid)]),
    )
    s = Suggestion.objects.get()
    assert response.status_code == 302 and response.url == f"/suggestions/{s.uuid}/"
    assert s.kind == "judicial" and s.status == "draft" and s.issuer == court_clerk.institution
    assert (s.reply_period, s.reply_unit) == (2, "months")  # left empty → the default
    assert {i.name for i in s.cc.all()} == {"柳州市人民政府", "柳州市人民检察院"}


def test_procurator_creates_a_public_interest_suggestion_with_a_shorter_period(proc_staff, inst):
    client_for(proc_staff).post(
        NEW, form_data(inst[CITY_AGENCY], subkind="public_interest", reply_period="20", reply_unit="days")
    )
    s = Suggestion.objects.get()
    assert (s.kind, s.subkind, s.reply_period, s.reply_unit) == ("procuratorial", "public_interest", 20, "days")


def test_bad_input_shows_errors_beside_fields_keeps_input_and_saves_nothing(court_clerk):
    response = client_for(court_clerk).post(
        NEW, {"title": "", "problem": "保留的问题描述", "recommendations": "", "category": "enforcement"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "请修改以下问题后再提交" in body
    assert "请选择被建议单位。" in body and "请填写标题。" in body and "请写明建议内容。" in body
    assert 'id="id_title_error"' in body
    assert "保留的问题描述" in body
    assert not Suggestion.objects.exists()


def test_a_period_longer_than_the_rule_is_refused_beside_the_field(court_clerk, inst):
    response = client_for(court_clerk).post(
        NEW, form_data(inst[CITY_AGENCY], reply_period="3", reply_unit="months", title="保留的标题")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "回复期限不能长于规定期限（2个月）。" in form.errors["reply_period"]
    assert "保留的标题" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_a_court_or_a_foreign_id_is_not_a_recipient(court_clerk, inst):
    client = client_for(court_clerk)
    for bad in (str(inst["柳州市人民检察院"].uuid), "00000000-0000-0000-0000-000000000000"):
        response = client.post(NEW, {**form_data(inst[CITY_AGENCY]), "recipient": bad})
        assert response.status_code == 200
        assert "所选单位不存在或不能作为被建议单位。" in response.content.decode()
    response = client.post(NEW, {**form_data(inst[CITY_AGENCY]), "recipient": "nonsense"})
    assert response.status_code == 200 and response.context["form"].errors["recipient"]
    assert not Suggestion.objects.exists()


def test_recipient_in_cc_is_refused(court_clerk, inst):
    agency = inst[CITY_AGENCY]
    response = client_for(court_clerk).post(NEW, form_data(agency, cc=[str(agency.uuid)]))
    assert "抄送单位不能是被建议单位。" in response.content.decode()
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize("persona", ["agency_staff", "gov_legal", "auditor", "office", "env_staff"])
def test_only_courts_and_procuratorates_draft_suggestions(world, persona, inst):
    client = client_for(world[persona])
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data(inst[CITY_AGENCY])).status_code == 403
    assert not Suggestion.objects.exists()


def test_new_refuses_a_post_without_csrf_token(court_clerk, inst):
    client = client_for(court_clerk, enforce_csrf_checks=True)
    assert client.post(NEW, form_data(inst[CITY_AGENCY])).status_code == 403
    assert not Suggestion.objects.exists()


# ----------------------------------------------------------------------------- edit


def test_author_edits_a_draft(court_clerk, inst):
    s = draft(court_clerk, inst[CITY_AGENCY], touches_procuratorial=True)
    client = client_for(court_clerk)
    form = client.get(f"/suggestions/{s.uuid}/edit/").context["form"]
    assert form.initial["cc"] == []  # the automatic procuratorate cc is not the author's choice
    response = client.post(
        f"/suggestions/{s.uuid}/edit/", form_data(inst[CITY_AGENCY], title="修改后的标题", touches_procuratorial="on")
    )
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.title == "修改后的标题" and [i.name for i in s.cc.all()] == ["柳州市人民检察院"]


def test_edit_of_a_submitted_suggestion_says_why_not(court_clerk, inst):
    s = draft(court_clerk, inst[CITY_AGENCY])
    services.suggestion_submit(suggestion=s, by=court_clerk)
    response = client_for(court_clerk).post(f"/suggestions/{s.uuid}/edit/", form_data(inst[CITY_AGENCY]), follow=True)
    assert response.status_code == 200
    assert "只有草稿可以修改" in response.content.decode()


def test_edit_is_404_for_other_institutions_and_403_for_auditors(court_clerk, proc_staff, agency_staff, inst, world):
    s = draft(court_clerk, inst[CITY_AGENCY])
    url = f"/suggestions/{s.uuid}/edit/"
    for persona in (proc_staff, agency_staff, world["env_staff"]):
        assert client_for(persona).post(url, form_data(inst[CITY_AGENCY], title="改")).status_code == 404
    s.refresh_from_db()
    assert s.title != "改"


def test_edit_with_bad_input_changes_nothing(court_clerk, inst):
    s = draft(court_clerk, inst[CITY_AGENCY], title="原标题")
    response = client_for(court_clerk).post(f"/suggestions/{s.uuid}/edit/", form_data(inst[CITY_AGENCY], title=""))
    assert response.status_code == 200 and "请填写标题。" in response.content.decode()
    s.refresh_from_db()
    assert s.title == "原标题"


# ----------------------------------------------------------------------------- linked procuratorial suggestion


@pytest.fixture
def judicial_cc_proc(make_suggestion, court_clerk, court_head):
    return make_suggestion(
        court_clerk,
        court_head,
        title="关于规范违法建筑拆除程序的建议",
        touches_procuratorial=True,
        case_number="（2026）桂02行初5号",
    )


def test_cc_procuratorate_opens_a_prefilled_linked_suggestion(proc_staff, judicial_cc_proc):
    response = client_for(proc_staff).get(NEW, {"linked_from": str(judicial_cc_proc.uuid)})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["title"] == "关于规范违法建筑拆除程序的检察建议"
    assert form.initial["recipient"] == judicial_cc_proc.recipient
    assert form.initial["problem"] == judicial_cc_proc.problem
    assert judicial_cc_proc.letter.doc_number in response.content.decode()


def test_linked_suggestion_is_saved_with_its_source(proc_staff, judicial_cc_proc):
    data = form_data(judicial_cc_proc.recipient, subkind="general", linked_from=str(judicial_cc_proc.uuid))
    response = client_for(proc_staff).post(NEW, data)
    assert response.status_code == 302
    linked = Suggestion.objects.get(kind="procuratorial")
    assert linked.linked_from == judicial_cc_proc


def test_link_needs_the_procuratorates_cc(court_clerk, proc_staff, make_suggestion, court_head, judicial_cc_proc):
    # The court may draft, but not a linked procuratorial suggestion.
    assert client_for(court_clerk).get(NEW, {"linked_from": str(judicial_cc_proc.uuid)}).status_code == 403
    # A judicial suggestion the procuratorate was not cc'd on is invisible to it.
    other = make_suggestion(court_clerk, court_head, title="未抄送检察院")
    assert client_for(proc_staff).get(NEW, {"linked_from": str(other.uuid)}).status_code == 404
    data = form_data(other.recipient, subkind="general", linked_from=str(other.uuid))
    assert client_for(proc_staff).post(NEW, data).status_code == 404
    assert not Suggestion.objects.filter(kind="procuratorial").exists()
