"""`beacon_csp_sources()`: what a strict CSP must allow for the configured Beacon script."""

from helpscout_integration.beacon.csp import HELPSCOUT_BEACON_SOURCES, beacon_csp_sources


def test_help_scouts_beacon_gets_help_scouts_hosts(settings):
    settings.HELPSCOUT = {"BEACON_ID": "b"}
    sources = beacon_csp_sources()
    assert sources == HELPSCOUT_BEACON_SOURCES
    assert "https://beacon-v2.helpscout.net" in sources["script-src"]


def test_a_stand_in_script_gets_only_its_own_origin(settings):
    settings.HELPSCOUT = {"BEACON_ID": "b", "BEACON_SCRIPT_URL": "http://127.0.0.1:8765/beacon/"}
    sources = beacon_csp_sources()
    assert sources["script-src"] == ("http://127.0.0.1:8765",)
    assert sources["connect-src"] == ("http://127.0.0.1:8765",)
    assert sources["style-src"] == ("http://127.0.0.1:8765",)
    assert not any("helpscout.net" in s for values in sources.values() for s in values)
