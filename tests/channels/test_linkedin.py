"""LinkedIn: one /rest/posts request with versioned headers, little-text commentary, article."""

from __future__ import annotations

import json

from distributor.channels.linkedin import LinkedIn
from tests.channels.conftest import fixed_now, live_settings, make_snippet

PATH = "/rest/posts"


def test_a_post_is_published_with_the_exact_documented_request(linkedin_api, tmp_path):
    settings = live_settings(tmp_path, linkedin_url=linkedin_api.url)
    snippet = make_snippet(
        "linkedin", ("Rugpijn (lumbago)? Lees meer #rugpijn\n\nhttps://x.be/a_b",)
    )
    receipt = LinkedIn(settings, now=fixed_now).send(snippet)
    [call] = linkedin_api.calls(PATH)
    assert receipt.ok and receipt.remote_id.startswith("urn:li:share:")
    assert call.headers["linkedin-version"] == "202510"
    assert call.headers["x-restli-protocol-version"] == "2.0.0"
    assert call.headers["authorization"] == "Bearer linkedin-token"
    assert call.json() == {
        "author": "urn:li:organization:1234",
        "commentary": "Rugpijn \\(lumbago\\)? Lees meer {hashtag|\\#|rugpijn}\n\nhttps://x.be/a\\_b",
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "content": {
            "article": {
                "source": snippet.link,
                "title": snippet.title,
                "description": snippet.description,
            }
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }
    assert linkedin_api.violations == []


def test_a_post_already_published_is_not_published_again(linkedin_api, tmp_path):
    settings = live_settings(tmp_path, linkedin_url=linkedin_api.url)
    snippet = make_snippet("linkedin", posted=("urn:li:share:1",))
    receipt = LinkedIn(settings).send(snippet)
    assert receipt.ok and receipt.remote_id == "urn:li:share:1"
    assert linkedin_api.requests == []


def test_the_outbox_holds_the_request_without_the_token(tmp_path):
    settings = live_settings(tmp_path, social_channel="outbox")
    LinkedIn(settings).send(make_snippet("linkedin"))
    [path] = (settings.outbox_dir / "social").glob("*.json")
    record = json.loads(path.read_text())
    assert record["url"] == "https://api.linkedin.com/rest/posts"
    assert record["headers"] == {"LinkedIn-Version": "202510", "X-Restli-Protocol-Version": "2.0.0"}
    assert record["body"]["lifecycleState"] == "PUBLISHED"
    assert "linkedin-token" not in path.read_text()
