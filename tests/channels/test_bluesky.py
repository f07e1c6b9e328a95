"""Bluesky: session, records with facets and reply refs, link card with an uploaded thumbnail."""

from __future__ import annotations

import json
from dataclasses import replace

from distributor.channels.bluesky import Bluesky
from tests.channels.conftest import NOW, fixed_now, live_settings, make_snippet
from tests.channels.fake_apis import BLUESKY_DID, SMALL_IMAGE

CREATE = "/xrpc/com.atproto.repo.createRecord"
UPLOAD = "/xrpc/com.atproto.repo.uploadBlob"
SESSION = "/xrpc/com.atproto.server.createSession"


def channel(tmp_path, api, **overrides):
    settings = live_settings(tmp_path, bluesky_url=api.url, site_url=api.url, **overrides)
    return Bluesky(settings, now=fixed_now)


def test_a_thread_is_posted_with_facets_reply_refs_and_a_link_card(bluesky_api, tmp_path):
    snippet = make_snippet("bluesky", image=bluesky_api.url + "/images/lead.jpg")
    receipt = channel(tmp_path, bluesky_api).send(snippet)
    assert receipt.ok and len(receipt.parts) == 3, receipt.error
    assert receipt.remote_id == receipt.parts[0].split(" ")[0]
    assert receipt.remote_id.startswith(f"at://{BLUESKY_DID}/app.bsky.feed.post/")
    assert len(bluesky_api.calls(SESSION)) == 1
    [upload] = bluesky_api.calls(UPLOAD)
    assert upload.body == SMALL_IMAGE and upload.headers["content-type"] == "image/jpeg"
    first, second, third = (call.json() for call in bluesky_api.calls(CREATE))
    assert first["repo"] == BLUESKY_DID and first["collection"] == "app.bsky.feed.post"
    record = first["record"]
    text = snippet.texts[0]
    link_start = len(text[: text.index("https://")].encode())
    tag_start = len(text[: text.index("#rugpijn")].encode())
    assert record["text"] == text
    assert record["createdAt"] == NOW.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    assert record["langs"] == ["nl"]
    assert record["facets"] == [
        {
            "index": {"byteStart": tag_start, "byteEnd": tag_start + 8},
            "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "rugpijn"}],
        },
        {
            "index": {"byteStart": link_start, "byteEnd": len(text.encode())},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": snippet.link}],
        },
    ]
    external = record["embed"]["external"]
    assert record["embed"]["$type"] == "app.bsky.embed.external"
    assert (external["uri"], external["title"]) == (snippet.link, snippet.title)
    assert external["thumb"]["mimeType"] == "image/jpeg"
    assert external["thumb"]["size"] == len(SMALL_IMAGE)
    root = dict(zip(("uri", "cid"), receipt.parts[0].split(" "), strict=True))
    parent = dict(zip(("uri", "cid"), receipt.parts[1].split(" "), strict=True))
    assert second["record"]["reply"] == {"root": root, "parent": root}
    assert third["record"]["reply"] == {"root": root, "parent": parent}
    assert "embed" not in second["record"]
    assert bluesky_api.violations == []


def test_an_image_over_one_megabyte_drops_the_thumbnail_not_the_post(bluesky_api, tmp_path):
    snippet = make_snippet("bluesky", image=bluesky_api.url + "/images/huge.jpg")
    receipt = channel(tmp_path, bluesky_api).send(snippet)
    assert receipt.ok
    assert bluesky_api.calls(UPLOAD) == []
    first = bluesky_api.calls(CREATE)[0].json()["record"]
    assert "thumb" not in first["embed"]["external"]


def test_an_unreachable_image_drops_the_thumbnail_not_the_post(bluesky_api, tmp_path):
    snippet = make_snippet("bluesky", image="http://127.0.0.1:9/lead.jpg")
    receipt = channel(tmp_path, bluesky_api).send(snippet)
    assert (
        receipt.ok
        and "thumb" not in bluesky_api.calls(CREATE)[0].json()["record"]["embed"]["external"]
    )


def test_a_wrong_app_password_is_permanent_and_says_to_check_the_token(bluesky_api, tmp_path):
    receipt = channel(tmp_path, bluesky_api, bluesky_app_password="wrong").send(
        make_snippet("bluesky")
    )
    assert receipt.permanent and "check the token" in receipt.error
    assert "Invalid identifier or password" in receipt.error
    assert bluesky_api.calls(CREATE) == []


def test_a_resumed_thread_replies_under_the_first_post_without_reposting_it(bluesky_api, tmp_path):
    snippet = make_snippet("bluesky")
    bluesky = channel(tmp_path, bluesky_api)
    first = bluesky.send(replace(snippet, texts=snippet.texts[:1]))
    resumed = bluesky.send(replace(snippet, posted=first.parts))
    assert resumed.ok and resumed.parts[0] == first.parts[0] and len(resumed.parts) == 3
    texts = [call.json()["record"]["text"] for call in bluesky_api.calls(CREATE)]
    assert texts.count(snippet.texts[0]) == 1
    root_uri = first.parts[0].split(" ")[0]
    assert bluesky_api.calls(CREATE)[1].json()["record"]["reply"]["root"]["uri"] == root_uri
    assert bluesky_api.violations == []


def test_the_outbox_holds_each_record_without_the_app_password(tmp_path):
    settings = live_settings(tmp_path, social_channel="outbox")
    receipt = Bluesky(settings, now=fixed_now).send(make_snippet("bluesky"))
    files = sorted((settings.outbox_dir / "social").glob("*.json"))
    first = json.loads(files[0].read_text())
    assert receipt.ok and len(files) == 3
    assert first["url"] == "https://bsky.social/xrpc/com.atproto.repo.createRecord"
    assert first["body"]["record"]["text"] == make_snippet("bluesky").texts[0]
    assert json.loads(files[1].read_text())["body"]["record"]["reply"]["root"]["uri"]
    assert not any("app-pass" in f.read_text() for f in files)


def test_an_expired_access_token_leads_to_one_new_session_and_the_post(bluesky_api, tmp_path):
    bluesky = channel(tmp_path, bluesky_api)
    bluesky.send(make_snippet("bluesky", texts=("Eerste bericht",), key="a"))
    expired = {"error": "ExpiredToken", "message": "Token has expired"}
    bluesky_api.fail_next(CREATE, 400, {}, expired)
    receipt = bluesky.send(make_snippet("bluesky", texts=("Tweede bericht",), key="b"))
    assert receipt.ok, receipt.error
    assert len(bluesky_api.calls(SESSION)) == 2
    assert [c.json()["record"]["text"] for c in bluesky_api.calls(CREATE)][-1] == "Tweede bericht"
