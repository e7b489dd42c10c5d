def test_a_missing_record_answers_a_portal_page_with_404(client, agency_staff):
    client.force_login(agency_staff)
    response = client.get("/letters/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在或无权查看" in html and "favicon.svg" in html


def test_a_forbidden_action_answers_a_portal_page_with_403(client, auditor):
    client.force_login(auditor)
    response = client.get("/letters/new/")
    assert response.status_code == 403
    assert "您无权执行此操作" in response.content.decode()
