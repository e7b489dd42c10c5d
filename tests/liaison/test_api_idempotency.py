"""`Idempotency-Key` on API writes (liaison.api.idempotency): a retry makes no second record."""

import pytest

from liaison.models import AuditEntry, IdempotentRequest, Letter

URL = "/api/v1/letters/"


def payload(inst, title="关于协助调查的函"):
    return {"title": title, "body": "请予协助。", "addressees": [str(inst.uuid)]}


@pytest.mark.django_db
def test_a_retried_write_answers_the_first_answer_and_writes_nothing(api, court_clerk, agency_staff):
    client = api(court_clerk)
    first = client.post(URL, payload(agency_staff.institution), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first
    again = client.post(URL, payload(agency_staff.institution), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["uuid"] == first.json()["uuid"]
    assert Letter.objects.filter(title="关于协助调查的函").count() == 1
    assert AuditEntry.objects.filter(action="letter.create").count() == 1
    # Without a key, the same body is a second letter.
    assert client.post(URL, payload(agency_staff.institution), format="json").status_code == 201
    assert Letter.objects.filter(title="关于协助调查的函").count() == 2


@pytest.mark.django_db
def test_a_key_names_one_request_of_one_user(api, court_clerk, proc_staff, agency_staff):
    inst = agency_staff.institution
    assert api(court_clerk).post(URL, payload(inst), format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    other = api(court_clerk).post(URL, payload(inst, "另一封函"), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert other.status_code == 400
    assert "Idempotency-Key" in other.json()
    # Another user's key of the same name is theirs: a new letter.
    mine = api(proc_staff).post(URL, payload(inst), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert mine.status_code == 201 and "Idempotent-Replayed" not in mine
    assert Letter.objects.count() == 2
    too_long = api(court_clerk).post(URL, payload(inst), format="json", HTTP_IDEMPOTENCY_KEY="x" * 101)
    assert too_long.status_code == 400 and "Idempotency-Key" in too_long.json()


@pytest.mark.django_db
def test_refusals_are_answered_again_and_write_nothing(api, court_clerk, auditor, agency_staff):
    inst = agency_staff.institution
    # A role that may not write: 403, and 403 again for the retry.
    for _ in range(2):
        assert api(auditor).post(URL, payload(inst), format="json", HTTP_IDEMPOTENCY_KEY="a").status_code == 403
    assert IdempotentRequest.objects.get(user=auditor).status == 403
    # Anonymous: 401/403 before any key is kept.
    assert api().post(URL, payload(inst), format="json", HTTP_IDEMPOTENCY_KEY="a").status_code in (401, 403)
    assert IdempotentRequest.objects.count() == 1
    # Bad input is answered the same way again.
    bad = {"title": "", "body": "b", "addressees": [str(inst.uuid)]}
    first = api(court_clerk).post(URL, bad, format="json", HTTP_IDEMPOTENCY_KEY="b")
    again = api(court_clerk).post(URL, bad, format="json", HTTP_IDEMPOTENCY_KEY="b")
    assert first.status_code == again.status_code == 400
    assert again.json() == first.json()
    assert not Letter.objects.exists()
