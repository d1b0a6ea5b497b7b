"""HAL lists: `_embedded`, `_links` and `page` exactly as Help Scout pages them."""

from urllib.parse import parse_qs, urlsplit


def _page_of(href):
    return int(parse_qs(urlsplit(href).query)["page"][0])


def test_first_conversation_page_has_25_items_and_forward_links(demo_api):
    body = demo_api.get("/conversations", params={"status": "all"}).json()
    assert len(body["_embedded"]["conversations"]) == 25
    assert body["page"] == {"size": 25, "totalElements": 2000, "totalPages": 80, "number": 1}
    links = body["_links"]
    assert _page_of(links["self"]["href"]) == 1
    assert _page_of(links["first"]["href"]) == 1
    assert _page_of(links["last"]["href"]) == 80
    assert _page_of(links["next"]["href"]) == 2
    assert "previous" not in links
    assert links["page"]["templated"] is True and "{page}" in links["page"]["href"]
    # Links keep the query, so following them lists the same thing.
    assert "status=all" in links["next"]["href"]


def test_last_page_has_previous_but_no_next(demo_api):
    body = demo_api.get("/conversations", params={"status": "all", "page": 80}).json()
    assert len(body["_embedded"]["conversations"]) == 25
    assert "next" not in body["_links"]
    assert _page_of(body["_links"]["previous"]["href"]) == 79
    assert body["page"]["number"] == 80


def test_following_next_links_visits_every_conversation_once(demo_api):
    ids, url, pages = [], "/conversations?status=all", 0
    while url:
        body = demo_api.get(url).json()
        ids.extend(c["id"] for c in body["_embedded"]["conversations"])
        url = body["_links"].get("next", {}).get("href")
        pages += 1
    assert pages == 80
    assert len(ids) == len(set(ids)) == 2000


def test_other_lists_page_by_50(demo_api):
    body = demo_api.get("/customers").json()
    assert body["page"] == {"size": 50, "totalElements": 200, "totalPages": 4, "number": 1}
    assert len(body["_embedded"]["customers"]) == 50
    assert (
        len(demo_api.get("/customers", params={"page": 4}).json()["_embedded"]["customers"]) == 50
    )
    for path, key in (("/users", "users"), ("/tags", "tags"), ("/mailboxes", "mailboxes")):
        listed = demo_api.get(path).json()
        assert listed["page"]["size"] == 50 and listed["page"]["totalPages"] == 1
        assert listed["_embedded"][key]


def test_a_page_past_the_end_is_empty_and_has_no_embedded(demo_api):
    body = demo_api.get("/conversations", params={"status": "all", "page": 81}).json()
    assert "_embedded" not in body  # Help Scout leaves it out on an empty page
    assert body["page"]["number"] == 81


def test_an_empty_list_has_no_embedded_key_but_keeps_page_and_links(demo_api):
    body = demo_api.get("/conversations", params={"query": 'subject:"no such subject"'}).json()
    assert "_embedded" not in body
    assert body["page"] == {"size": 25, "totalElements": 0, "totalPages": 0, "number": 1}
    assert "self" in body["_links"] and "next" not in body["_links"]


def test_bad_page_numbers_are_400(demo_api):
    for page in ("0", "x"):
        response = demo_api.get("/conversations", params={"page": page})
        assert response.status_code == 400
        assert response.json()["_embedded"]["errors"][0]["path"] == "page"
