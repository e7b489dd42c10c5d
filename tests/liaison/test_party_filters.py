"""地区 (and 单位) filters on the hub's lists that span institutions: the ledger (page and API) and the
inbox (发文机关, 地区). Choices are the institutions of rows the viewer sees; any other is refused."""

from ._view_helpers import client_for, entry, issued_letter


def _titles(response):
    assert response.status_code == 200
    return {getattr(row, "title", None) or row.letter.title for row in response.context["page"].object_list}


def test_the_office_narrows_the_ledger_by_region(office, agency_staff, county_gov_legal, api):
    entry(agency_staff.institution, title="市城管局的事项")
    entry(county_gov_legal.institution, title="城中区政府的事项")
    client = client_for(office)
    assert _titles(client.get("/ledger/")) == {"市城管局的事项", "城中区政府的事项"}
    response = client.get("/ledger/", {"region": "chengzhong"})
    assert _titles(response) == {"城中区政府的事项"}
    assert {r.code for r in response.context["filters"].fields["region"].queryset} == {"liuzhou", "chengzhong"}
    body = api(office).get("/api/v1/ledger/", {"region": "chengzhong"}).json()
    assert [r["title"] for r in body["results"]] == ["城中区政府的事项"]


def test_a_region_outside_the_viewers_ledger_is_refused(agency_staff, county_gov_legal, api):
    entry(agency_staff.institution, title="市城管局的事项")
    entry(county_gov_legal.institution, title="城中区政府的事项")
    response = client_for(agency_staff).get("/ledger/", {"region": "chengzhong"})
    assert response.context["filters"].errors and _titles(response) == {"市城管局的事项"}
    assert "城中区政府的事项" not in response.content.decode()
    response = api(agency_staff).get("/api/v1/ledger/", {"region": "chengzhong"})
    assert response.status_code == 400 and "region" in response.json()


def test_the_inbox_filters_by_issuer_and_region(
    agency_staff, court_clerk, court_head, county_clerk, world, outsider_agency
):
    issued_letter(court_clerk, court_head, [agency_staff.institution], title="中院来函")
    issued_letter(county_clerk, world["county_head"], [agency_staff.institution], title="城中区法院来函")
    issued_letter(court_clerk, court_head, [outsider_agency.institution], title="致生态环境局的函")
    client = client_for(agency_staff)
    response = client.get("/letters/inbox/")
    assert _titles(response) == {"中院来函", "城中区法院来函"}
    form = response.context["filters"]
    assert {i.name for i in form.fields["issuer"].queryset} == {"柳州市中级人民法院", "柳州市城中区人民法院"}
    assert _titles(client.get("/letters/inbox/", {"issuer": str(court_clerk.institution.uuid)})) == {"中院来函"}
    assert _titles(client.get("/letters/inbox/", {"region": "chengzhong"})) == {"城中区法院来函"}
    # an issuer that sent the agency nothing is no choice: reported, and nothing of it shows
    response = client.get("/letters/inbox/", {"issuer": str(outsider_agency.institution.uuid)})
    assert response.context["filters"].errors and "致生态环境局的函" not in response.content.decode()


def test_the_letters_api_filters_by_issuer_and_region(
    agency_staff, court_clerk, court_head, county_clerk, world, outsider_agency, api
):
    issued_letter(court_clerk, court_head, [agency_staff.institution], title="中院来函")
    issued_letter(county_clerk, world["county_head"], [agency_staff.institution], title="城中区法院来函")
    issued_letter(court_clerk, court_head, [outsider_agency.institution], title="致生态环境局的函")
    client = api(agency_staff)

    def titles(**params):
        response = client.get("/api/v1/letters/", params)
        assert response.status_code == 200, response.content
        return {r["title"] for r in response.json()["results"]}

    assert titles() == {"中院来函", "城中区法院来函"}
    assert titles(issuer=str(court_clerk.institution.uuid)) == {"中院来函"}
    assert titles(region="chengzhong") == {"城中区法院来函"}
    # an institution or region none of whose letters the viewer sees is no valid choice: 400 with the field
    response = client.get("/api/v1/letters/", {"issuer": str(outsider_agency.institution.uuid)})
    assert response.status_code == 400 and "issuer" in response.json()
    response = client.get("/api/v1/letters/", {"region": "no-such-region"})
    assert response.status_code == 400 and "region" in response.json()


def test_a_ledger_owner_outside_the_viewers_ledger_is_refused_by_the_api(agency_staff, county_gov_legal, api):
    entry(agency_staff.institution, title="市城管局的事项")
    entry(county_gov_legal.institution, title="城中区政府的事项")
    client = api(agency_staff)
    body = client.get("/api/v1/ledger/", {"owner": str(agency_staff.institution.uuid)}).json()
    assert [r["title"] for r in body["results"]] == ["市城管局的事项"]
    response = client.get("/api/v1/ledger/", {"owner": str(county_gov_legal.institution.uuid)})
    assert response.status_code == 400 and "owner" in response.json()


def test_the_inbox_choices_read_once_are_the_issuers_and_their_regions(
    world, agency_staff, court_clerk, court_head, county_clerk, django_assert_max_num_queries
):
    """The 发文机关 and 地区 options come from one query (`forms.party_choices`): the same options, in
    the same order, as the issuers' queryset and `regions_of` it, for every persona; a submitted
    value is checked against exactly those."""
    from liaison import selectors
    from liaison.forms import InboxFilter

    issued_letter(court_clerk, court_head, [agency_staff.institution], title="中院来函")
    issued_letter(county_clerk, world["county_head"], [agency_staff.institution, court_clerk.institution])
    compared = 0
    for user in world.values():
        issuers = selectors.parties(selectors.inbox(user), "letter__issuer_id")
        expected = [("", "全部单位"), *((str(i.uuid), i.name) for i in issuers)]
        regions = [("", "全部地区"), *((r.code, str(r)) for r in selectors.regions_of(issuers))]
        with django_assert_max_num_queries(1):
            form = InboxFilter({}, user=user)
            shown = [(str(v), str(label)) for v, label in form.fields["issuer"].choices]
            shown_regions = [(str(v), str(label)) for v, label in form.fields["region"].choices]
        assert (shown, shown_regions) == (expected, regions), user.username
        for i in issuers:
            assert InboxFilter({"issuer": str(i.uuid), "region": i.region.code}, user=user).is_valid()
        compared += len(issuers)
    assert compared >= 3
    outsider = InboxFilter({"issuer": str(world["office"].institution.uuid)}, user=agency_staff)
    assert not outsider.is_valid()
