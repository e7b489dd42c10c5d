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


@pytest.mark.django_db
def test_keys_older_than_the_retention_are_purged_and_a_later_retry_runs_afresh(
    api, court_clerk, agency_staff, settings
):
    import datetime as dt

    from django.utils import timezone

    from liaison.tasks import purge_idempotency_keys

    settings.IDEMPOTENCY_KEY_DAYS = 7
    client = api(court_clerk)
    inst = agency_staff.institution
    assert client.post(URL, payload(inst, "旧函"), format="json", HTTP_IDEMPOTENCY_KEY="old").status_code == 201
    assert client.post(URL, payload(inst, "新函"), format="json", HTTP_IDEMPOTENCY_KEY="new").status_code == 201
    now = timezone.now()
    IdempotentRequest.objects.filter(key="old").update(created_at=now - dt.timedelta(days=7, minutes=1))
    IdempotentRequest.objects.filter(key="new").update(created_at=now - dt.timedelta(days=6, hours=23))

    assert purge_idempotency_keys() == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]
    # The kept key still answers its retry; the purged one is a new request (a second letter).
    assert client.post(URL, payload(inst, "新函"), format="json", HTTP_IDEMPOTENCY_KEY="new")["Idempotent-Replayed"]
    again = client.post(URL, payload(inst, "旧函"), format="json", HTTP_IDEMPOTENCY_KEY="old")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert Letter.objects.filter(title="旧函").count() == 2
    assert purge_idempotency_keys() == 0
