"""The tag tests share the Beacon fixtures."""

from tests.beacon.conftest import beacon_settings, make_request  # noqa: F401
