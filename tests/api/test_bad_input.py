"""Schema-driven: whatever a client sends to any endpoint of the OpenAPI document, the answer is never a 500,
and every error carries the JSON error body of ARCHITECTURE §6."""

import json
import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiceng.accounts.services import issue_token

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**63, max_value=2**63) | st.text(max_size=30)
    | st.sampled_from(["2026-02-30", "", "\x00", "410305", "party_branch", "-1", "9" * 40]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=12,
)
path_ids = st.one_of(st.integers(min_value=-5, max_value=10**12).map(str),
                     st.sampled_from(["abc", "0", "1", "%00", "1.5", "9" * 30]))


def operations(client):
    spec = client.get("/api/v1/openapi.json").json()
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {})
            if "application/json" in body or method == "get":
                yield path, method, op


def fill(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=json_values, pid=path_ids, query=st.dictionaries(
    st.sampled_from(["q", "area", "kind", "on", "after", "limit", "level", "parent"]),
    st.text(max_size=20), max_size=4))
def test_no_endpoint_answers_bad_input_with_a_500(world, payload, pid, query):
    token = issue_token(world.worker_a, world.worker_a)
    client = Client(raise_request_exception=False)
    headers = {"Authorization": f"Bearer {token}"}
    for path, method, _op in operations(client):
        url = fill(path, pid)
        if method == "get":
            response = client.get(url, query, headers=headers)
        else:
            response = getattr(client, method)(url, json.dumps(payload), content_type="application/json",
                                               headers=headers)
        assert response.status_code < 500, (method, url, payload, response.content[:300])
        if response.status_code >= 400 and response["Content-Type"].startswith("application/json"):
            error = response.json()["error"]
            assert error["code"] and error["message"] and error["message_en"]
