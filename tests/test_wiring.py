"""The wiring: Settings in, checked channels, letterhead and how a send starts out."""

from __future__ import annotations

import pytest

from distributor.channels import campaign_channel_names
from distributor.config import Settings
from distributor.errors import UserError
from distributor.wiring import Wiring, campaign_channels, queue_on_workers


def test_an_unknown_campaign_channel_stops_at_start_up_listing_the_valid_names(tmp_path):
    # Defect: CAMPAIGN_CHANNELS=email,facebook was accepted at planning and failed at sending.
    settings = Settings(data_dir=tmp_path, campaign_channels="email,facebook")
    with pytest.raises(UserError) as refused:
        Wiring(settings)
    message = refused.value.message
    assert "'facebook'" in message and "\n" not in message
    assert message.endswith("valid names: " + ", ".join(campaign_channel_names()))


def test_a_live_mastodon_needs_its_url_as_well_as_its_token(tmp_path):
    # Defect: the "configured?" map checked Mastodon's token but not its URL.
    settings = Settings(data_dir=tmp_path, social_channel="live", mastodon_token="t")
    assert "mastodon" not in campaign_channels(settings)
    with_url = settings.model_copy(update={"mastodon_url": "https://social.example"})
    assert "mastodon" in campaign_channels(with_url)


def test_every_social_channel_goes_to_the_outbox_by_default(tmp_path):
    assert campaign_channels(Settings(data_dir=tmp_path)) == campaign_channel_names()


def test_a_broker_means_the_workers_send(tmp_path):
    with_broker = Wiring(Settings(data_dir=tmp_path, broker_url="redis://127.0.0.1:6379/2"))
    assert with_broker.start_send() is queue_on_workers
    assert Wiring(Settings(data_dir=tmp_path)).start_send() is not queue_on_workers


def test_the_letterhead_is_the_practice_from_the_settings(tmp_path):
    settings = Settings(
        data_dir=tmp_path,
        practice_name="Kine Peeters",
        practice_address="Kerkstraat 1, Gent",
        from_email="nieuws@kine.example",
        reply_to="praktijk@kine.example",
    )
    letterhead = Wiring(settings).letterhead
    assert (letterhead.name, letterhead.address) == ("Kine Peeters", "Kerkstraat 1, Gent")
    assert (letterhead.from_email, letterhead.reply_to) == (
        "nieuws@kine.example",
        "praktijk@kine.example",
    )
