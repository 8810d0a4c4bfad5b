"""The client's address: REMOTE_ADDR unless proxies are trusted, then the N-th entry from the
right of X-Forwarded-For, never one the client wrote itself."""

import pytest
from django.test import RequestFactory

from nansen.core.client_ip import client_address

PROXY = "10.0.0.1"


def _request(forwarded=None):
    extra = {"REMOTE_ADDR": PROXY}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_a_forwarded_address_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_address(_request("203.0.113.7")) == PROXY


def test_behind_one_proxy_the_right_most_address_is_the_client(settings):
    settings.TRUSTED_PROXIES = 1
    assert client_address(_request("203.0.113.7")) == "203.0.113.7"
    # The client wrote the left part itself; only the proxy's own entry counts.
    assert client_address(_request("198.51.100.1, 203.0.113.7")) == "203.0.113.7"


def test_behind_two_proxies_the_second_from_the_right_is_the_client(settings):
    settings.TRUSTED_PROXIES = 2
    forwarded = "198.51.100.1, 203.0.113.7,10.0.0.2"
    assert client_address(_request(forwarded)) == "203.0.113.7"


def test_ipv6_addresses_are_written_in_their_short_form(settings):
    settings.TRUSTED_PROXIES = 1
    assert client_address(_request("2001:db8:0:0:0:0:0:1")) == "2001:db8::1"


@pytest.mark.parametrize("forwarded", [None, "", "203.0.113.7"])
def test_fewer_entries_than_proxies_fall_back_to_the_nearest_peer(settings, forwarded):
    settings.TRUSTED_PROXIES = 2
    assert client_address(_request(forwarded)) == PROXY


@pytest.mark.parametrize("forwarded", ["unknown", "203.0.113.7:51234", "=1+1"])
def test_an_entry_that_is_not_an_address_falls_back_to_the_nearest_peer(settings, forwarded):
    settings.TRUSTED_PROXIES = 1
    assert client_address(_request(forwarded)) == PROXY


def test_no_request_has_no_address():
    assert client_address(None) is None
