def test_left_navigation_marks_the_suggestions_module_active(client, court_clerk):
    client.force_login(court_clerk)
    html = client.get("/suggestions/").content.decode()
    assert 'class="nav-link active" aria-current="page" href="/suggestions/"' in html
    html = client.get("/ledger/").content.decode()
    assert 'class="nav-link active" aria-current="page" href="/suggestions/"' not in html
