"""通知 page: list, mark read, open, mark all read."""

import pytest

from liaison import services
from liaison.models import Notification

from ._view_helpers import bulk_notifications, client_for


@pytest.fixture
def note(agency_staff):
    services.notify(users=[agency_staff], kind="t", title="到期提醒：答复司法建议", key="n1", url="/ledger/")
    return Notification.objects.get(user=agency_staff, key="n1")


def test_list_shows_my_notifications_only(agency_staff, outsider_agency, note):
    assert note.title in client_for(agency_staff).get("/notifications/").content.decode()
    assert note.title not in client_for(outsider_agency).get("/notifications/").content.decode()


def test_mark_read(agency_staff, note):
    response = client_for(agency_staff).post(f"/notifications/{note.uuid}/read/")
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None


def test_open_marks_read_and_follows_the_local_link(agency_staff, note):
    response = client_for(agency_staff).post(f"/notifications/{note.uuid}/open/")
    assert response.status_code == 302 and response.url == "/ledger/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_open_never_redirects_off_site(agency_staff):
    services.notify(users=[agency_staff], kind="t", title="x", key="evil", url="//evil.example/")
    n = Notification.objects.get(key="evil")
    response = client_for(agency_staff).post(f"/notifications/{n.uuid}/open/")
    assert response.url == "/notifications/"


def test_someone_elses_notification_is_404(outsider_agency, note):
    assert client_for(outsider_agency).post(f"/notifications/{note.uuid}/read/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read(agency_staff):
    bulk_notifications(agency_staff, 5)
    response = client_for(agency_staff).post("/notifications/read-all/", follow=True)
    assert "已将 5 条通知标为已读。" in response.content.decode()
    assert not Notification.objects.filter(user=agency_staff, read_at__isnull=True).exists()


def test_mark_read_requires_post_and_csrf(agency_staff, note):
    assert client_for(agency_staff).get(f"/notifications/{note.uuid}/read/").status_code == 405
    client = client_for(agency_staff, enforce_csrf_checks=True)
    assert client.post(f"/notifications/{note.uuid}/read/").status_code == 403
    note.refresh_from_db()
    assert note.read_at is None


@pytest.mark.parametrize("rows", [10, 200])
def test_notification_list_query_count_is_constant(agency_staff, rows, django_assert_max_num_queries):
    bulk_notifications(agency_staff, rows)
    client = client_for(agency_staff)
    with django_assert_max_num_queries(8):
        assert client.get("/notifications/").status_code == 200


def test_a_title_longer_than_its_column_is_shortened_not_refused(world):
    services.notify(users=[world["agency_staff"]], kind="test", title="法" * 300, key="long-title")
    title = Notification.objects.get(key="long-title").title
    assert len(title) == 200 and title.endswith("…") and title.startswith("法法")
