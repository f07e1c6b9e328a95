"""Addresses are checked before sending: bad ones are refused with a reason, no DNS."""

from __future__ import annotations

import pytest

from distributor.addresses import BadAddress, address_problem, normalised_address


@pytest.mark.parametrize(
    "address",
    ["ann@@example.org", "ann", "ann@", "@example.org", "ann@example", "a nn@example.org", ""],
)
def test_bad_addresses_are_refused_with_a_reason(address):
    problem = address_problem(address)
    assert problem and len(problem) > 10
    with pytest.raises(BadAddress, match="is not a valid email address"):
        normalised_address(address)


def test_good_addresses_pass_in_their_normal_form():
    assert address_problem("ann.peeters@example.org") is None
    assert normalised_address("Ann.Peeters@EXAMPLE.org") == "Ann.Peeters@example.org"
    assert normalised_address("jan@bücher.example") == "jan@xn--bcher-kva.example"


def test_no_dns_lookup_is_made_so_unknown_domains_still_pass():
    assert address_problem("someone@no-such-domain-zz9-qq.be") is None
