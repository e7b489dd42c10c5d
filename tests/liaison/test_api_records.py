"""The API base (liaison.api.records): one order of answers for every record action —
404 (not visible) before 403 (wrong person) before 409 (wrong state) before 400 (bad body) —
the detail re-read after a change, and every action documented in the schema."""

import pytest
import yaml
from django.core.management import call_command

from liaison import services
from liaison.api.records import RecordViewSet, record_action
from liaison.models import Letter

pytestmark = pytest.mark.django_db


def url(letter, action):
    return f"/api/v1/letters/{letter.uuid}/{action}/"


@pytest.fixture
def pending(court_clerk, agency_staff):
    letter = services.letter_create(
        by=court_clerk, title="关于协助调查的函", body="请予协助。", addressees=[agency_staff.institution]
    )
    return services.letter_submit(letter=letter, by=court_clerk)


def test_an_outsider_gets_404_whatever_the_body(api, pending, agency_staff):
    # agency_staff is an addressee, but a pending letter is visible only to its issuer.
    assert api(agency_staff).post(url(pending, "return"), {}, format="json").status_code == 404


def test_the_wrong_person_gets_403_before_the_body_is_read(api, pending, court_clerk):
    response = api(court_clerk).post(url(pending, "return"), {}, format="json")
    assert response.status_code == 403


def test_the_wrong_state_gets_409_before_the_body_is_read(api, pending, court_clerk, court_head):
    services.letter_issue(letter=pending, by=court_head)
    response = api(court_head).post(url(pending, "return"), {}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"]


def test_then_the_body_answers_400_with_field_errors(api, pending, court_head):
    response = api(court_head).post(url(pending, "return"), {}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    assert Letter.objects.get(pk=pending.pk).status == Letter.Status.PENDING


def test_a_change_answers_with_the_detail_read_again(api, pending, court_head):
    response = api(court_head).post(url(pending, "return"), {"reason": "请补充事实。"}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["uuid"] == str(pending.uuid) and data["status"] == Letter.Status.DRAFT
    assert "submit" in data["allowed_actions"] and "issue" not in data["allowed_actions"]


def test_a_malformed_uuid_is_a_404(api, court_head):
    assert api(court_head).post("/api/v1/letters/not-a-uuid/return/", {}, format="json").status_code == 404


def test_every_record_action_is_documented_with_its_body_and_answers(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(target))
    paths = yaml.safe_load(target.read_text())["paths"]
    for path, verb_codes in {
        "/api/v1/letters/{uuid}/return/": {"200", "400", "403", "404", "409"},
        "/api/v1/letters/{uuid}/submit/": {"200", "403", "404", "409"},
        "/api/v1/meetings/{uuid}/convene/": {"200", "400", "403", "404", "409"},
        "/api/v1/meetings/{uuid}/issue-notice/": {"200", "403", "404", "409"},
        "/api/v1/decisions/{uuid}/confirm/": {"200", "400", "403", "404", "409"},
    }.items():
        op = paths[path]["post"]
        assert set(op["responses"]) == verb_codes, path
        assert op.get("summary"), path
        assert ("requestBody" in op) == ("400" in verb_codes), path
        assert op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("Detail"), path
    assert paths["/api/v1/decisions/{uuid}/confirm/"]["post"]["tags"] == ["meetings"]


def test_an_action_without_a_response_or_detail_serializer_is_refused_at_class_creation():
    with pytest.raises(TypeError, match="detail_serializer"):

        class Broken(RecordViewSet):
            schema_tag = "x"

            @record_action("x.y")
            def y(self, request, obj, data):
                pass
