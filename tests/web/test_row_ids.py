"""A number too large to be a row id in a staff list filter is ignored, never a 500 (64-bit primary keys)."""

import pytest

HUGE = "99999999999999999999"


@pytest.mark.parametrize("path, field", [("/disclosure/", "community"), ("/disclosure/feedback/", "community"),
                                         ("/matters/", "community"), ("/accountability/findings/", "area")])
def test_a_huge_id_in_a_filter_is_not_a_server_error(client, world, path, field):
    client.force_login(world.street_admin)
    assert client.get(path, {field: HUGE}).status_code < 500
