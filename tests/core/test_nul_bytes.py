"""NUL bytes are refused at the door with a 400 (PostgreSQL cannot take them), on pages and on the API."""

import pytest


@pytest.mark.parametrize("path", ["/gongkai/feedback/?code=%00", "/gongkai/feedback/AB%00/", "/login/?next=%00"])
def test_pages_refuse_nul_bytes(client, db, path):
    assert client.get(path).status_code == 400


def test_api_refuses_nul_bytes_with_the_error_body(client, db):
    response = client.get("/api/v1/public/feedback/%00")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"


def test_a_posted_form_with_a_nul_byte_is_refused(client, db):
    assert client.post("/login/", {"username": "a\x00", "password": "x"}).status_code == 400
