"""议定事项督办: the office narrows its supervision list by 责任单位 and 地区 (page and API); the choices are
the owners of decisions the viewer sees, and another region matches nothing."""

from meetings import services
from meetings.models import Decision

from ..liaison._view_helpers import client_for


def _two_owners(walk, world, inst):
    walk.decided()  # 市城管局 (柳州市)
    services.decision_add(
        meeting=walk.m, by=world["office"], text="城中区政府落实清单", owner=inst["柳州市城中区人民政府"], period=30
    )
    return walk


def _texts(response):
    assert response.status_code == 200
    return {d.text for d in response.context["page"].object_list}


def test_the_office_narrows_decisions_by_owner_and_region(walk, world, inst, api):
    _two_owners(walk, world, inst)
    office = client_for(world["office"])
    assert _texts(office.get("/meetings/decisions/")) == {"市城管局牵头制定占道经营执法指引", "城中区政府落实清单"}
    response = office.get("/meetings/decisions/", {"region": "chengzhong"})
    assert _texts(response) == {"城中区政府落实清单"}
    assert {r.code for r in response.context["filters"].fields["region"].queryset} == {"liuzhou", "chengzhong"}
    owner = str(walk.city["agency"].uuid)
    assert _texts(office.get("/meetings/decisions/", {"owner": owner})) == {"市城管局牵头制定占道经营执法指引"}
    body = api(world["office"]).get("/api/v1/decisions/", {"region": "chengzhong"}).json()
    assert [r["text"] for r in body["results"]] == ["城中区政府落实清单"]
    assert api(world["office"]).get("/api/v1/decisions/", {"region": "nowhere"}).json()["count"] == 0


def test_a_region_outside_the_viewers_decisions_matches_nothing(walk, world, inst, api):
    _two_owners(walk, world, inst)
    Decision.objects.update(status=Decision.Status.OPEN)  # on the owners' lists
    outsider = world["env_staff"]  # not invited, owns none of them
    response = client_for(outsider).get("/meetings/decisions/", {"region": "chengzhong"})
    assert not response.context["filters"].fields["region"].queryset.exists()
    assert response.context["filters"].errors and "城中区政府落实清单" not in response.content.decode()
    assert api(outsider).get("/api/v1/decisions/", {"region": "chengzhong"}).json()["count"] == 0
    # the county government sees its own decision under its region
    county = client_for(world["county_gov_legal"])
    assert _texts(county.get("/meetings/decisions/", {"region": "chengzhong"})) == {"城中区政府落实清单"}
