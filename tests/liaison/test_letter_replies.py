"""A letter asking for a reply by a date (要求回复日期) is followed until each main recipient's 复函
is issued: in the issuer's 跟踪 (待复函, overdue first with days overdue), in the recipient's 待办,
and on the letter's page per recipient (已签收 / 已复函 / 待复函 / 已逾期)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liaison import services, todo, tracking
from liaison.errors import Conflict
from liaison.models import AuditEntry, Delivery, Letter

from ._view_helpers import client_for

pytestmark = pytest.mark.django_db


def _asking(clerk, head, to, cc=(), *, days=10, title="关于提供执法统计数据的函"):
    letter = services.letter_create(
        by=clerk,
        title=title,
        body="请于期限内书面回复。",
        addressees=list(to),
        cc=list(cc),
        reply_by=timezone.localdate() + dt.timedelta(days=days),
    )
    services.letter_submit(letter=letter, by=clerk)
    return services.letter_issue(letter=letter, by=head)


def _issue_reply(staff, head, letter, **kwargs):
    draft = services.delivery_reply(delivery=letter.deliveries.get(recipient=staff.institution), by=staff, **kwargs)
    services.letter_submit(letter=draft, by=staff)
    return services.letter_issue(letter=draft, by=head)


def _steps(rows):
    return [(r.label, r.obj.letter.pk if isinstance(r.obj, Delivery) else r.obj.pk) for r in rows]


def test_a_letter_asking_for_a_reply_is_followed_until_the_reply_is_issued(
    court_clerk, court_head, agency_staff, agency_head, gov_legal
):
    letter = _asking(court_clerk, court_head, [agency_staff.institution], cc=[gov_legal.institution])
    # unsigned: both copies await receipt; the main recipient's carries the reply deadline
    rows = {r.party: r for r in tracking.rows(court_clerk)}
    assert rows[agency_staff.institution].step == "待签收" and rows[agency_staff.institution].due == letter.reply_by
    assert rows[gov_legal.institution].due is None

    services.delivery_sign(delivery=letter.deliveries.get(recipient=gov_legal.institution), by=gov_legal)
    services.delivery_sign(delivery=letter.deliveries.get(recipient=agency_staff.institution), by=agency_staff)
    # the cc owes nothing once signed; the main recipient owes its reply
    assert _steps(tracking.rows(court_clerk)) == [("待复函", letter.pk)]
    assert _steps(todo.items(agency_staff)) == [("待复函", letter.pk)]
    assert _steps(todo.items(gov_legal)) == []
    item = todo.items(agency_staff)[0]
    assert item.due == letter.reply_by and not item.overdue
    assert item.action_url == f"/letters/new/?in_reply_to={letter.uuid}"

    # after the date: overdue, with the days overdue
    Letter.objects.filter(pk=letter.pk).update(reply_by=timezone.localdate() - dt.timedelta(days=3))
    row = tracking.rows(court_clerk)[0]
    assert row.overdue and row.deadline.label == "已逾期 3 天"
    assert todo.items(agency_staff)[0].overdue

    # a draft does not settle it; the issued 复函 does
    draft = services.delivery_reply(delivery=letter.deliveries.get(recipient=agency_staff.institution), by=agency_staff)
    assert draft.series == Letter.Series.FU and draft.in_reply_to_id == letter.pk
    assert draft.title == "关于提供执法统计数据的复函" and draft.addressees() == [court_clerk.institution]
    assert _steps(tracking.rows(court_clerk)) == [("待复函", letter.pk)]
    services.letter_submit(letter=draft, by=agency_staff)
    reply = services.letter_issue(letter=draft, by=agency_head)

    assert Delivery.objects.get(letter=letter, recipient=agency_staff.institution).reply_id == reply.pk
    # the issuer now only has the 复函 itself to sign for; the recipient's debt is gone
    assert _steps(tracking.rows(court_clerk)) == []
    assert _steps(todo.items(court_clerk)) == [("待签收", reply.pk)]
    assert _steps(todo.items(agency_staff)) == []
    assert AuditEntry.objects.filter(action="delivery.reply", target_id=letter.pk).count() == 1


def test_every_main_recipient_owes_its_own_reply(court_clerk, court_head, agency_staff, agency_head, gov_legal):
    letter = _asking(court_clerk, court_head, [agency_staff.institution, gov_legal.institution])
    for user in (agency_staff, gov_legal):
        services.delivery_sign(delivery=letter.deliveries.get(recipient=user.institution), by=user)
    assert sorted(r.party.pk for r in tracking.rows(court_clerk)) == sorted(
        [agency_staff.institution_id, gov_legal.institution_id]
    )
    _issue_reply(agency_staff, agency_head, letter)
    assert [r.party for r in tracking.rows(court_clerk)] == [gov_legal.institution]
    assert _steps(todo.items(gov_legal)) == [("待复函", letter.pk)]


def test_overdue_replies_come_first(court_clerk, court_head, agency_staff):
    later = _asking(court_clerk, court_head, [agency_staff.institution], days=20, title="关于甲事项的函")
    late = _asking(court_clerk, court_head, [agency_staff.institution], days=20, title="关于乙事项的函")
    for letter in (later, late):
        services.delivery_sign(delivery=letter.deliveries.get(), by=agency_staff)
    Letter.objects.filter(pk=late.pk).update(reply_by=timezone.localdate() - dt.timedelta(days=1))
    assert [r.obj.letter.pk for r in tracking.rows(court_clerk)] == [late.pk, later.pk]
    assert [i.obj.letter.pk for i in todo.items(agency_staff)] == [late.pk, later.pk]


def test_a_letter_without_a_reply_date_asks_for_no_reply(court_clerk, court_head, agency_staff):
    letter = services.letter_create(
        by=court_clerk, title="关于通报情况的函", body="特此函告。", addressees=[agency_staff.institution]
    )
    services.letter_submit(letter=letter, by=court_clerk)
    letter = services.letter_issue(letter=letter, by=court_head)
    services.delivery_sign(delivery=letter.deliveries.get(), by=agency_staff)
    assert tracking.rows(court_clerk) == [] and todo.items(agency_staff) == []
    with pytest.raises(Conflict):
        services.delivery_reply(delivery=letter.deliveries.get(), by=agency_staff)


def test_a_reply_to_a_letter_not_received_is_refused(court_clerk, court_head, agency_staff, gov_legal, outsider_agency):
    letter = _asking(court_clerk, court_head, [agency_staff.institution], cc=[gov_legal.institution])
    with pytest.raises(ValidationError) as exc:
        services.letter_create(
            by=outsider_agency,
            title="关于提供执法统计数据的复函",
            body="答复如下。",
            addressees=[court_clerk.institution],
            in_reply_to=letter,
        )
    assert "in_reply_to" in exc.value.message_dict
    assert not Letter.objects.filter(in_reply_to=letter).exists()
    # received, but not yet signed for: sign first
    with pytest.raises(Conflict):
        services.delivery_reply(delivery=letter.deliveries.get(recipient=agency_staff.institution), by=agency_staff)
    # a cc owes no reply; another institution's copy is not the user's to answer
    cc = letter.deliveries.get(recipient=gov_legal.institution)
    services.delivery_sign(delivery=cc, by=gov_legal)
    with pytest.raises(Conflict):
        services.delivery_reply(delivery=cc, by=gov_legal)
    with pytest.raises(PermissionDenied):
        services.delivery_reply(delivery=letter.deliveries.get(recipient=agency_staff.institution), by=gov_legal)


def test_a_reply_is_addressed_to_the_letter_s_issuer(court_clerk, court_head, agency_staff, gov_legal):
    letter = _asking(court_clerk, court_head, [agency_staff.institution])
    services.delivery_sign(delivery=letter.deliveries.get(), by=agency_staff)
    with pytest.raises(ValidationError) as exc:
        services.letter_create(
            by=agency_staff, title="复函", body="答复。", addressees=[gov_legal.institution], in_reply_to=letter
        )
    assert "addressees" in exc.value.message_dict


def test_reply_date_is_not_before_the_issue_date(court_clerk, court_head, agency_staff):
    with pytest.raises(ValidationError) as exc:
        services.letter_create(
            by=court_clerk,
            title="关于提供数据的函",
            body="请回复。",
            addressees=[agency_staff.institution],
            reply_by=timezone.localdate() - dt.timedelta(days=1),
        )
    assert "reply_by" in exc.value.message_dict
    letter = services.letter_create(
        by=court_clerk,
        title="关于提供数据的函",
        body="请回复。",
        addressees=[agency_staff.institution],
        reply_by=timezone.localdate(),
    )
    services.letter_submit(letter=letter, by=court_clerk)
    # a draft kept past its reply date cannot be issued with it
    Letter.objects.filter(pk=letter.pk).update(reply_by=timezone.localdate() - dt.timedelta(days=2))
    with pytest.raises(ValidationError) as exc:
        services.letter_issue(letter=letter, by=court_head)
    assert "issued_on" in exc.value.message_dict
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.PENDING


# ----------------------------------------------------------------------------- pages


def _signed(clerk, head, staff, **kwargs):
    letter = _asking(clerk, head, [staff.institution], **kwargs)
    services.delivery_sign(delivery=letter.deliveries.get(), by=staff)
    return letter


def test_the_reply_button_opens_a_prefilled_form_and_saves_a_linked_draft(court_clerk, court_head, agency_staff):
    letter = _signed(court_clerk, court_head, agency_staff)
    client = client_for(agency_staff)
    page = client.get(f"/letters/{letter.uuid}/").content.decode()
    url = f"/letters/new/?in_reply_to={letter.uuid}"
    assert 'data-verb="delivery.reply"' in page and url in page.replace("&amp;", "&")

    form = client.get(url)
    assert form.status_code == 200
    initial = form.context["form"].initial
    assert initial["title"] == "关于提供执法统计数据的复函" and initial["series"] == "fu"
    assert initial["addressees"] == [court_clerk.institution] and initial["in_reply_to"] == letter.uuid
    assert letter.doc_number in form.content.decode()

    response = client.post(
        "/letters/new/",
        {
            "series": "fu",
            "title": initial["title"],
            "body": "经研究，答复如下。",
            "addressees": [court_clerk.institution.uuid],
            "in_reply_to": letter.uuid,
        },
    )
    draft = Letter.objects.get(in_reply_to=letter)
    assert response.status_code == 302 and response["Location"] == f"/letters/{draft.uuid}/"
    assert draft.series == "fu" and draft.issuer == agency_staff.institution
    page = client.get(f"/letters/{draft.uuid}/").content.decode()
    assert f'href="/letters/{letter.uuid}/"' in page  # 答复来文, linked


def test_a_reply_form_for_a_letter_not_received_is_a_form_error(court_clerk, court_head, agency_staff, outsider_agency):
    letter = _signed(court_clerk, court_head, agency_staff)
    data = {"series": "fu", "title": "复函", "body": "答复。", "in_reply_to": letter.uuid}
    # the issuer itself (it sees the letter, but did not receive it)
    response = client_for(court_clerk).post("/letters/new/", {**data, "addressees": [agency_staff.institution.uuid]})
    assert response.status_code == 200 and "in_reply_to" in response.context["form"].errors
    # another institution (the letter is not even visible to it): the same words, nothing revealed
    response = client_for(outsider_agency).post("/letters/new/", {**data, "addressees": [court_clerk.institution.uuid]})
    assert response.status_code == 200 and "in_reply_to" in response.context["form"].errors
    assert not Letter.objects.filter(in_reply_to=letter).exists()


def test_the_reply_form_is_404_for_outsiders_and_403_for_others(
    court_clerk, court_head, agency_staff, outsider_agency, auditor, gov_legal
):
    letter = _asking(court_clerk, court_head, [agency_staff.institution], cc=[gov_legal.institution])
    url = f"/letters/new/?in_reply_to={letter.uuid}"
    assert client_for(outsider_agency).get(url).status_code == 404
    assert client_for(outsider_agency).get("/letters/new/?in_reply_to=not-a-uuid").status_code == 404
    assert client_for(court_clerk).get(url).status_code == 403  # the issuer received nothing
    assert client_for(auditor).get(url).status_code == 403  # auditors do not draft
    # not signed for yet / a cc owes none: back to the letter with the reason
    response = client_for(agency_staff).get(url)
    assert response.status_code == 302 and response["Location"] == f"/letters/{letter.uuid}/"
    services.delivery_sign(delivery=letter.deliveries.get(recipient=gov_legal.institution), by=gov_legal)
    assert client_for(gov_legal).get(url).status_code == 302


def test_the_letter_page_shows_each_recipients_reply(
    court_clerk, court_head, agency_staff, agency_head, gov_legal, outsider_agency
):
    letter = _asking(court_clerk, court_head, [agency_staff.institution, gov_legal.institution])
    for user in (agency_staff, gov_legal):
        services.delivery_sign(delivery=letter.deliveries.get(recipient=user.institution), by=user)
    Letter.objects.filter(pk=letter.pk).update(reply_by=timezone.localdate() - dt.timedelta(days=2))
    reply = _issue_reply(agency_staff, agency_head, Letter.objects.get(pk=letter.pk))

    def cells(user):
        response = client_for(user).get(f"/letters/{letter.uuid}/")
        return {d.recipient: d.reply_state for d in response.context["deliveries"]}, response.content.decode()

    states, page = cells(court_clerk)
    answered, late = states[agency_staff.institution], states[gov_legal.institution]
    assert (answered["label"], answered["url"]) == ("已复函", f"/letters/{reply.uuid}/")
    assert answered["deadline"].label == "逾期复函"
    assert (late["label"], late["deadline"].label) == ("已逾期", "已逾期 2 天")
    assert reply.doc_number in page and "已逾期 2 天" in page
    # a recipient sees its own copy only
    states, page = cells(gov_legal)
    assert list(states) == [gov_legal.institution] and reply.doc_number not in page
    states, _page = cells(agency_staff)
    assert list(states) == [agency_staff.institution] and states[agency_staff.institution]["label"] == "已复函"
    assert client_for(outsider_agency).get(f"/letters/{letter.uuid}/").status_code == 404


def test_the_reply_link_is_shown_only_to_those_who_may_open_the_reply(
    court_clerk, court_head, agency_staff, agency_head
):
    letter = _signed(court_clerk, court_head, agency_staff)
    reply = _issue_reply(agency_staff, agency_head, letter)
    delivery = Delivery.objects.select_related("reply", "letter").get(pk=letter.deliveries.get().pk)
    from liaison import selectors

    assert selectors.reply_state(court_clerk, delivery)["url"] == f"/letters/{reply.uuid}/"
    # a reply that its viewer may not open (here: withdrawn from its addressees) shows no link
    Delivery.objects.filter(letter=reply).delete()
    court_clerk = type(court_clerk).objects.get(pk=court_clerk.pk)
    assert selectors.reply_state(court_clerk, delivery)["url"] == ""


def test_the_reply_date_on_the_form(court_clerk, agency_staff):
    client = client_for(court_clerk)
    data = {
        "series": "han",
        "title": "关于提供数据的函",
        "body": "请回复。",
        "addressees": [agency_staff.institution.uuid],
    }
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post("/letters/new/", {**data, "reply_by": past})
    assert response.status_code == 200 and "reply_by" in response.context["form"].errors
    due = timezone.localdate() + dt.timedelta(days=15)
    assert client.post("/letters/new/", {**data, "reply_by": due.isoformat()}).status_code == 302
    assert Letter.objects.get(title="关于提供数据的函").reply_by == due


# ----------------------------------------------------------------------------- API


def test_api_asks_for_a_reply_and_answers_it(api, court_clerk, court_head, agency_staff, agency_head, gov_legal):
    due = timezone.localdate() + dt.timedelta(days=12)
    created = api(court_clerk).post(
        "/api/v1/letters/",
        {
            "title": "关于提供执法统计数据的函",
            "body": "请书面回复。",
            "addressees": [str(agency_staff.institution.uuid)],
            "cc": [str(gov_legal.institution.uuid)],
            "reply_by": due.isoformat(),
        },
        format="json",
    )
    assert created.status_code == 201 and created.json()["reply_by"] == due.isoformat()
    letter = Letter.objects.get(uuid=created.json()["uuid"])
    services.letter_submit(letter=letter, by=court_clerk)
    services.letter_issue(letter=letter, by=court_head)

    staff = api(agency_staff)
    url = f"/api/v1/letters/{letter.uuid}/"
    assert "reply" not in staff.get(url).json()["allowed_actions"]  # sign first
    assert staff.post(f"{url}reply/", {}, format="json").status_code == 409
    services.delivery_sign(delivery=letter.deliveries.get(recipient=agency_staff.institution), by=agency_staff)
    body = staff.get(url).json()
    assert "reply" in body["allowed_actions"]
    assert body["my_delivery"]["reply_state"] == "awaiting" and body["my_delivery"]["reply_due"] == due.isoformat()

    drafted = staff.post(f"{url}reply/", {"body": "经研究，答复如下。"}, format="json")
    assert drafted.status_code == 201
    reply = drafted.json()
    assert reply["series"] == "fu" and reply["title"] == "关于提供执法统计数据的复函"
    assert reply["in_reply_to"]["uuid"] == str(letter.uuid)
    assert [a["uuid"] for a in reply["addressees"]] == [str(court_clerk.institution.uuid)]
    draft = Letter.objects.get(uuid=reply["uuid"])
    services.letter_submit(letter=draft, by=agency_staff)
    draft = services.letter_issue(letter=draft, by=agency_head)

    issuer_view = api(court_clerk).get(url).json()
    copies = {d["recipient"]["uuid"]: d for d in issuer_view["deliveries"]}
    answered = copies[str(agency_staff.institution.uuid)]
    assert answered["reply_state"] == "replied" and answered["reply"]["doc_number"] == draft.doc_number
    assert copies[str(gov_legal.institution.uuid)]["reply_state"] is None  # a cc owes none
    assert "reply" not in staff.get(url).json()["allowed_actions"]
    assert staff.post(f"{url}reply/", {}, format="json").status_code == 409


def test_api_reply_is_404_for_outsiders_403_for_others_and_400_for_a_letter_not_received(
    api, court_clerk, court_head, agency_staff, outsider_agency, auditor
):
    letter = _asking(court_clerk, court_head, [agency_staff.institution])
    url = f"/api/v1/letters/{letter.uuid}/reply/"
    assert api(outsider_agency).post(url, {}, format="json").status_code == 404
    assert api(court_clerk).post(url, {}, format="json").status_code == 403  # the issuer received nothing
    assert api(court_head).post(url, {}, format="json").status_code == 403
    # creating a 复函 to a letter not received: a field error, whether the letter is visible or not
    for user, to in ((court_clerk, agency_staff), (outsider_agency, court_clerk)):
        response = api(user).post(
            "/api/v1/letters/",
            {
                "title": "复函",
                "body": "答复。",
                "addressees": [str(to.institution.uuid)],
                "in_reply_to": str(letter.uuid),
            },
            format="json",
        )
        assert response.status_code == 400 and "in_reply_to" in response.json()
    assert not Letter.objects.filter(in_reply_to=letter).exists()
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = api(court_clerk).post(
        "/api/v1/letters/",
        {"title": "函", "body": "请回复。", "addressees": [str(agency_staff.institution.uuid)], "reply_by": past},
        format="json",
    )
    assert response.status_code == 400 and "reply_by" in response.json()


# ----------------------------------------------------------------------------- ledger, dashboard


def test_the_issued_reply_closes_the_ledger_entry_the_letter_opened(court_clerk, court_head, agency_staff, agency_head):
    from liaison.models import LedgerEntry

    letter = _signed(court_clerk, court_head, agency_staff)
    entry = services.ledger_open(
        owner=agency_staff.institution, title="答复来函", start_date=timezone.localdate(), period=10, source=letter
    )
    other = services.ledger_open(
        owner=court_clerk.institution, title="另一单位的事项", start_date=timezone.localdate(), period=10, source=letter
    )
    reply = _issue_reply(agency_staff, agency_head, letter)
    entry.refresh_from_db()
    assert entry.status == LedgerEntry.Status.DONE and reply.doc_number in entry.evidence
    assert entry.done_on == reply.issued_on
    other.refresh_from_db()
    assert other.status == LedgerEntry.Status.OPEN  # only the replying institution's


def test_the_dashboards_count_the_reply_owed(court_clerk, court_head, agency_staff, agency_head):
    letter = _signed(court_clerk, court_head, agency_staff)
    issuer = client_for(court_clerk).get("/").content.decode()
    assert '<span class="summary-n" data-count="tracking">1</span>' in issuer and "待复函" in issuer
    recipient = client_for(agency_staff).get("/")
    assert "待复函" in recipient.content.decode()
    assert [i.label for i in recipient.context["todo"]] == ["待复函"]
    _issue_reply(agency_staff, agency_head, letter)
    issuer = client_for(court_clerk).get("/").content.decode()
    assert '<span class="summary-n" data-count="tracking">0</span>' in issuer
    assert "待复函" not in client_for(agency_staff).get("/").content.decode()
