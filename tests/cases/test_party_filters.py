"""裁执分离 and 执行监督 lists: 单位 (any party) and 地区 filters on the page and in the API, with the
parties of rows the viewer sees as the only choices."""

from ._work_helpers import bulk_enforcements, bulk_supervisions, client_for, listed
from .conftest import APPLICANT, CITY_AGENCY

COUNTY_GOV = "柳州市城中区人民政府"


def test_enforcements_narrow_by_party_and_region(court_clerk, agency_staff, outsider_agency, inst, api):
    court = inst["柳州市中级人民法院"]
    bulk_enforcements(court, inst[APPLICANT], inst[CITY_AGENCY], court_clerk, 2, prefix="市级")
    bulk_enforcements(court, inst[APPLICANT], inst[COUNTY_GOV], court_clerk, 3, prefix="城中区")
    client = client_for(court_clerk)
    assert len(listed(client.get("/cases/enforcements/"))) == 5
    county = listed(client.get("/cases/enforcements/", {"region": "chengzhong"}))
    assert {e.basis_reference[:3] for e in county} == {"城中区"} and len(county) == 3
    mine = listed(client.get("/cases/enforcements/", {"institution": str(inst[CITY_AGENCY].uuid)}))
    assert {e.basis_reference[:2] for e in mine} == {"市级"} and len(mine) == 2
    body = api(court_clerk).get("/api/v1/enforcements/", {"region": "chengzhong"}).json()
    assert body["count"] == 3
    # the assignee sees its own two; the county's region and the county government are no choices for it
    response = client_for(agency_staff).get("/cases/enforcements/", {"region": "chengzhong"})
    assert response.context["filters"].errors and len(listed(response)) == 2
    assert "城中区〔2026〕" not in response.content.decode()
    for params in ({"region": "chengzhong"}, {"institution": str(inst[COUNTY_GOV].uuid)}):
        assert api(agency_staff).get("/api/v1/enforcements/", params).status_code == 400, params


def test_supervisions_narrow_by_party_and_region(proc_staff, inst, api):
    proc, court = proc_staff.institution, inst["柳州市中级人民法院"]
    bulk_supervisions(proc, court, inst[CITY_AGENCY], proc_staff, 2, prefix="市级申请人")
    bulk_supervisions(proc, court, inst[COUNTY_GOV], proc_staff, 1, prefix="城中区申请人")
    client = client_for(proc_staff)
    assert [a.applicant for a in listed(client.get("/cases/supervisions/", {"region": "chengzhong"}))] == [
        "城中区申请人0"
    ]
    assert len(listed(client.get("/cases/supervisions/", {"institution": str(court.uuid)}))) == 3
    assert api(proc_staff).get("/api/v1/supervisions/", {"region": "chengzhong"}).json()["count"] == 1
    assert api(proc_staff).get("/api/v1/supervisions/", {"region": "sanjiang"}).status_code == 400


def test_clue_transfers_narrow_by_party_and_region(proc_staff, gov_legal, inst, api):
    import datetime as dt

    from cases import services

    def send(recipient, summary):
        return services.clue_transfer_send(
            by=proc_staff, recipient=inst[recipient], summary=summary, sent_on=dt.date(2026, 12, 1)
        )

    send("柳州市人民政府", "移送市政府的线索。")
    send(COUNTY_GOV, "移送城中区政府的线索。")
    client = client_for(proc_staff)
    assert len(listed(client.get("/cases/clues/"))) == 2
    county = listed(client.get("/cases/clues/", {"region": "chengzhong"}))
    assert [c.summary for c in county] == ["移送城中区政府的线索。"]
    city = listed(client.get("/cases/clues/", {"institution": str(inst["柳州市人民政府"].uuid)}))
    assert [c.summary for c in city] == ["移送市政府的线索。"]
    assert api(proc_staff).get("/api/v1/clues/", {"region": "chengzhong"}).json()["count"] == 1
    # the 市政府 sees only its own clue: the county government and its region are no choices for it
    response = client_for(gov_legal).get("/cases/clues/", {"region": "chengzhong"})
    assert response.context["filters"].errors and len(listed(response)) == 1
    assert "移送城中区政府的线索" not in response.content.decode()
    for params in ({"region": "chengzhong"}, {"institution": str(inst[COUNTY_GOV].uuid)}):
        assert api(gov_legal).get("/api/v1/clues/", params).status_code == 400, params


def test_disputes_narrow_by_party_and_region(court_clerk, agency_staff, inst, api):
    import datetime as dt

    from cases import services

    def make(agency, title):
        return services.dispute_create(
            by=court_clerk,
            title=title,
            applicant="王五",
            agency=inst[agency],
            summary="申请人对补偿标准有异议。",
            received_on=dt.date(2026, 11, 2),
        )

    make(CITY_AGENCY, "市城管局的争议")
    make(COUNTY_GOV, "城中区政府的争议")
    client = client_for(court_clerk)
    assert len(listed(client.get("/cases/disputes/"))) == 2
    assert [d.title for d in listed(client.get("/cases/disputes/", {"region": "chengzhong"}))] == ["城中区政府的争议"]
    mine = listed(client.get("/cases/disputes/", {"institution": str(inst[CITY_AGENCY].uuid)}))
    assert [d.title for d in mine] == ["市城管局的争议"]
    assert api(court_clerk).get("/api/v1/disputes/", {"region": "chengzhong"}).json()["count"] == 1
    # the 城管局 sees its own dispute only: the county and its government are no choices for it
    response = client_for(agency_staff).get("/cases/disputes/", {"region": "chengzhong"})
    assert response.context["filters"].errors and [d.title for d in listed(response)] == ["市城管局的争议"]
    assert "城中区政府的争议" not in response.content.decode()
    for params in ({"region": "chengzhong"}, {"institution": str(inst[COUNTY_GOV].uuid)}):
        assert api(agency_staff).get("/api/v1/disputes/", params).status_code == 400, params
