"""Each MTA's bounce format and an ARF complaint are read into kind, status, words and delivery."""

from __future__ import annotations

import pytest

from distributor.bounces.parse import parse_report
from distributor.delivery_tokens import delivery_ids_in, delivery_token, verp_address
from tests.bounces.samples import SAMPLE_KEY, sample


@pytest.mark.parametrize(
    ("name", "kind", "status", "delivery", "words"),
    [
        ("postfix_hard.eml", "hard", "5.1.1", 41, "User unknown in virtual mailbox table"),
        ("gmail_hard.eml", "hard", "5.1.1", 42, "account that you tried to reach does not exist"),
        ("exchange_online_hard.eml", "hard", "5.1.10", 43, "RESOLVER.ADR.RecipientNotFound"),
        ("exchange_legacy_hard.eml", "hard", "5.1.1", 44, "#5.1.1"),
        ("qmail_hard.eml", "hard", "5.1.1", 45, "no mailbox here by that name"),
        ("postfix_soft.eml", "soft", "4.2.2", 46, "Mailbox full"),
        ("postfix_delayed.eml", "delayed", "4.4.1", 47, "Connection timed out"),
    ],
)
def test_each_mta_format_gives_kind_status_diagnostic_and_delivery(
    name, kind, status, delivery, words
):
    report = parse_report(sample(name), SAMPLE_KEY)
    assert (report.kind, report.status, report.delivery_ids) == (kind, status, (delivery,))
    assert words in report.diagnostic


def test_the_recipient_of_a_standard_dsn_is_its_final_recipient():
    assert parse_report(sample("postfix_hard.eml"), SAMPLE_KEY).recipient == "lezer0041@example.org"
    assert parse_report(sample("qmail_hard.eml"), SAMPLE_KEY).recipient == (
        "lezer0045@qmail.example.net"
    )


def test_a_complaint_with_a_redacted_recipient_is_matched_by_its_message_id():
    report = parse_report(sample("arf_redacted.eml"), SAMPLE_KEY)
    assert report.kind == "complaint"
    assert report.recipient == "redacted@mailprovider.example"
    assert report.delivery_ids == (48,)
    assert "abuse" in report.diagnostic


def test_a_report_with_a_forged_token_names_no_delivery():
    report = parse_report(sample("forged_token.eml"), SAMPLE_KEY)
    assert report.kind == "hard" and report.delivery_ids == ()


def test_tokens_made_with_another_key_are_not_ours():
    assert parse_report(sample("postfix_hard.eml"), b"another-key").delivery_ids == ()


def test_an_ordinary_reply_is_not_a_bounce():
    reply = (
        b"From: lezer@example.org\r\nTo: bounces@praktijk.example\r\n"
        b"Subject: Re: hi\r\n\r\nThanks!\r\n"
    )
    assert parse_report(reply, SAMPLE_KEY).kind == "unknown"


def test_the_same_report_twice_has_the_same_key_and_another_report_another():
    first = parse_report(sample("postfix_hard.eml"), SAMPLE_KEY)
    assert parse_report(sample("postfix_hard.eml"), SAMPLE_KEY).report_key == first.report_key
    assert parse_report(sample("gmail_hard.eml"), SAMPLE_KEY).report_key != first.report_key


def test_a_huge_report_is_read_only_up_to_its_bound():
    huge = sample("postfix_hard.eml") + b"x" * 5_000_000
    assert parse_report(huge, SAMPLE_KEY).delivery_ids == (41,)


def test_verp_puts_the_token_after_a_plus_and_survives_case_folding():
    token = delivery_token(b"k", 7)
    address = verp_address("bounces@example.be", token)
    assert address == f"bounces+{token}@example.be"
    assert delivery_ids_in(b"k", address.upper().encode()) == [7]
    with pytest.raises(ValueError):
        verp_address("not-an-address", token)
