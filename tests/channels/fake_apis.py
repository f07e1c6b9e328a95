"""The documented contract of each social API, as loopback fakes (see fakes.py)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import re
from datetime import datetime
from urllib.parse import quote, unquote

from distributor.render.counting import grapheme_count, mastodon_length, x_length
from tests.channels.fakes import (
    Answer,
    ContractBreach,
    FakeServer,
    Seen,
    Unauthorized,
    bearer,
    json_body,
    require,
)

X_KEYS = {
    "ck": "consumer-key",
    "cs": "consumer-secret",
    "at": "access-token",
    "as": "access-secret",
}
MASTODON_TOKEN = "mastodon-token"
BLUESKY_HANDLE, BLUESKY_PASSWORD, BLUESKY_DID = "praktijk.bsky.social", "app-pass", "did:plc:abc123"
LINKEDIN_TOKEN, LINKEDIN_AUTHOR = "linkedin-token", "urn:li:organization:1234"
WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"a shared webhook secret 32 bytes").decode()
SMALL_IMAGE = b"\xff\xd8\xff\xe0" + b"0" * 5000
HUGE_IMAGE = b"\xff\xd8\xff\xe0" + b"0" * 1_000_001


def oauth_percent(value: str) -> str:
    return quote(value, safe="~-._")


def check_oauth1(seen: Seen, public_url: str) -> None:
    """Verify an OAuth 1.0a HMAC-SHA1 Authorization header (RFC 5849) for the user's keys."""
    header = seen.headers.get("authorization", "")
    require(header.startswith("OAuth "), "Authorization must be OAuth 1.0a")
    params = {k: unquote(v) for k, v in re.findall(r'(\w+)="([^"]*)"', header)}
    if (
        params.get("oauth_consumer_key") != X_KEYS["ck"]
        or params.get("oauth_token") != X_KEYS["at"]
    ):
        raise Unauthorized()
    require(params.get("oauth_signature_method") == "HMAC-SHA1", "signature method HMAC-SHA1")
    signature = params.pop("oauth_signature", "")
    pairs = sorted((oauth_percent(k), oauth_percent(v)) for k, v in params.items() if k != "realm")
    normalized = "&".join(f"{k}={v}" for k, v in pairs)
    base = "&".join([seen.method, oauth_percent(public_url), oauth_percent(normalized)])
    key = f"{oauth_percent(X_KEYS['cs'])}&{oauth_percent(X_KEYS['as'])}"
    expected = base64.b64encode(hmac.new(key.encode(), base.encode(), hashlib.sha1).digest())
    if expected.decode() != signature:
        raise Unauthorized()


def fake_x() -> FakeServer:
    """X API v2: POST /2/tweets with OAuth 1.0a user context."""
    server, ids = FakeServer(), itertools.count(1_800_000_000_000_000_001)
    posted: set[str] = set()

    def create_tweet(seen: Seen) -> Answer:
        check_oauth1(seen, "https://api.twitter.com/2/tweets")
        body = json_body(seen)
        require(set(body) <= {"text", "reply"}, f"unexpected fields {sorted(body)}")
        require(isinstance(body.get("text"), str) and body["text"], "text is required")
        require(x_length(body["text"]) <= 280, "text over 280 weighted characters")
        if "reply" in body:
            parent = body["reply"].get("in_reply_to_tweet_id")
            require(parent in posted, f"in_reply_to_tweet_id {parent} is not a posted tweet")
        tweet_id = str(next(ids))
        posted.add(tweet_id)
        return Answer(201, {"data": {"id": tweet_id, "text": body["text"]}})

    server.route("POST", "/2/tweets", create_tweet)
    return server


def fake_mastodon() -> FakeServer:
    """Mastodon: POST /api/v1/statuses, Bearer token, Idempotency-Key honoured."""
    server, ids = FakeServer(), itertools.count(113_000_000_000_000_001)
    by_key: dict[str, dict] = {}
    posted: set[str] = set()

    def create_status(seen: Seen) -> Answer:
        bearer(seen, MASTODON_TOKEN)
        body = json_body(seen)
        require(set(body) <= {"status", "in_reply_to_id", "visibility", "language"}, "fields")
        require(mastodon_length(body.get("status", "")) <= 500, "status over 500 characters")
        require(body.get("visibility") in {"public", "unlisted", "private", "direct"}, "visibility")
        if "language" in body:
            require(re.fullmatch(r"[a-z]{2,3}", body["language"]) is not None, "ISO 639 language")
        key = seen.headers.get("idempotency-key")
        require(bool(key), "Idempotency-Key header is required")
        if key in by_key:
            return Answer(200, by_key[key])
        if "in_reply_to_id" in body:
            require(body["in_reply_to_id"] in posted, "in_reply_to_id is not a known status")
        status_id = str(next(ids))
        posted.add(status_id)
        status = {
            "id": status_id,
            "uri": f"https://social.example/statuses/{status_id}",
            "content": body["status"],
            "visibility": body["visibility"],
        }
        by_key[key] = status
        return Answer(200, status)

    server.route("POST", "/api/v1/statuses", create_status)
    return server


def fake_bluesky() -> FakeServer:
    """Bluesky PDS: createSession, uploadBlob, createRecord; also serves the lead images."""
    server, rkeys = FakeServer(), itertools.count(1)
    jwt = "access-jwt-1"
    blobs: set[str] = set()
    records: dict[str, str] = {}

    def create_session(seen: Seen) -> Answer:
        body = json_body(seen)
        require(set(body) >= {"identifier", "password"}, "identifier and password required")
        if (body["identifier"], body["password"]) != (BLUESKY_HANDLE, BLUESKY_PASSWORD):
            return Answer(
                401,
                {"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
            )
        return Answer(
            200,
            {
                "did": BLUESKY_DID,
                "handle": BLUESKY_HANDLE,
                "accessJwt": jwt,
                "refreshJwt": "refresh-jwt-1",
            },
        )

    def upload_blob(seen: Seen) -> Answer:
        bearer(seen, jwt)
        mime = seen.headers.get("content-type", "")
        require(mime.startswith("image/"), "uploadBlob needs the image's content-type")
        if len(seen.body) > 1_000_000:
            return Answer(400, {"error": "BlobTooLarge", "message": "This file is too large"})
        cid = "bafkrei" + hashlib.sha256(seen.body).hexdigest()[:40]
        blobs.add(cid)
        blob = {"$type": "blob", "ref": {"$link": cid}, "mimeType": mime, "size": len(seen.body)}
        return Answer(200, {"blob": blob})

    def create_record(seen: Seen) -> Answer:
        bearer(seen, jwt)
        body = json_body(seen)
        require(body.get("repo") == BLUESKY_DID, "repo must be the session's DID")
        require(body.get("collection") == "app.bsky.feed.post", "collection")
        check_post_record(body.get("record") or {}, blobs, records)
        rkey = f"3l{next(rkeys):011d}"
        uri = f"at://{BLUESKY_DID}/app.bsky.feed.post/{rkey}"
        cid = "bafyrei" + hashlib.sha256(uri.encode()).hexdigest()[:40]
        records[uri] = cid
        return Answer(200, {"uri": uri, "cid": cid, "validationStatus": "valid"})

    server.route("POST", "/xrpc/com.atproto.server.createSession", create_session)
    server.route("POST", "/xrpc/com.atproto.repo.uploadBlob", upload_blob)
    server.route("POST", "/xrpc/com.atproto.repo.createRecord", create_record)
    for name, data in (("lead.jpg", SMALL_IMAGE), ("huge.jpg", HUGE_IMAGE)):
        server.route(
            "GET",
            f"/images/{name}",
            lambda seen, d=data: Answer(200, d, {"content-type": "image/jpeg"}),
        )
    return server


def check_post_record(record: dict, blobs: set[str], records: dict[str, str]) -> None:
    """app.bsky.feed.post: text, createdAt, langs, facets (UTF-8 byte ranges), reply, embed."""
    allowed = {"$type", "text", "createdAt", "langs", "facets", "reply", "embed"}
    require(set(record) <= allowed, f"unexpected record fields {sorted(set(record) - allowed)}")
    require(record.get("$type") == "app.bsky.feed.post", "$type")
    text = record.get("text", "")
    require(grapheme_count(text) <= 300 and len(text.encode()) <= 3000, "text over 300 graphemes")
    datetime.fromisoformat(record.get("createdAt", "").replace("Z", "+00:00"))
    require(record.get("createdAt", "").endswith("Z"), "createdAt must be UTC (…Z)")
    require(isinstance(record.get("langs"), list) and len(record["langs"]) <= 3, "langs")
    raw = text.encode()
    for facet in record.get("facets", []):
        start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
        piece = raw[start:end].decode()
        for feature in facet["features"]:
            if feature["$type"] == "app.bsky.richtext.facet#link":
                require(piece == feature["uri"], f"link facet covers {piece!r}")
            elif feature["$type"] == "app.bsky.richtext.facet#tag":
                require(piece == "#" + feature["tag"], f"tag facet covers {piece!r}")
            else:
                raise ContractBreach(f"unknown facet {feature['$type']}")
    if "reply" in record:
        for ref in (record["reply"]["root"], record["reply"]["parent"]):
            require(records.get(ref["uri"]) == ref["cid"], "reply refers to an unknown record")
    if "embed" in record:
        embed = record["embed"]
        require(embed.get("$type") == "app.bsky.embed.external", "embed type")
        external = embed["external"]
        require({"uri", "title", "description"} <= set(external), "external needs uri/title/desc")
        if "thumb" in external:
            require(external["thumb"]["ref"]["$link"] in blobs, "thumb is not an uploaded blob")


LITTLE_TEXT_MARKUP = re.compile(r"\{hashtag\|\\#\|[^{}|]+\}|\\[\\|{}@\[\]()<>#*_~]")


def fake_linkedin() -> FakeServer:
    """LinkedIn Posts API: POST /rest/posts, versioned headers, 201 + x-restli-id."""
    server, ids = FakeServer(), itertools.count(7_200_000_000_000_000_001)

    def create_post(seen: Seen) -> Answer:
        bearer(seen, LINKEDIN_TOKEN)
        require(
            re.fullmatch(r"\d{6}", seen.headers.get("linkedin-version", "")) is not None,
            "LinkedIn-Version: YYYYMM",
        )
        require(seen.headers.get("x-restli-protocol-version") == "2.0.0", "Restli 2.0.0")
        body = json_body(seen)
        expected = {
            "author",
            "commentary",
            "visibility",
            "distribution",
            "content",
            "lifecycleState",
            "isReshareDisabledByAuthor",
        }
        require(set(body) == expected, f"fields {sorted(body)}")
        require(body["author"] == LINKEDIN_AUTHOR, "author URN")
        commentary = body["commentary"]
        require(len(commentary) <= 3000, "commentary over 3,000 characters")
        bare = LITTLE_TEXT_MARKUP.sub("", commentary)
        require(re.search(r"[\\|{}@\[\]()<>#*_~]", bare) is None, "unescaped little-text char")
        require(body["visibility"] == "PUBLIC", "visibility")
        require(
            body["distribution"]
            == {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "distribution",
        )
        require(body["lifecycleState"] == "PUBLISHED", "lifecycleState")
        article = body["content"].get("article", {})
        require(article.get("source", "").startswith("http") and article.get("title"), "article")
        return Answer(201, None, {"x-restli-id": f"urn:li:share:{next(ids)}"})

    server.route("POST", "/rest/posts", create_post)
    return server


def fake_webhook() -> FakeServer:
    """A receiver verifying Standard Webhooks signatures."""
    server = FakeServer()
    key = base64.b64decode(WEBHOOK_SECRET.removeprefix("whsec_"))

    def receive(seen: Seen) -> Answer:
        message_id = seen.headers.get("webhook-id", "")
        timestamp = seen.headers.get("webhook-timestamp", "")
        require(bool(message_id) and timestamp.isdigit(), "webhook-id and webhook-timestamp")
        signed = f"{message_id}.{timestamp}.".encode() + seen.body
        expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        if expected not in seen.headers.get("webhook-signature", "").split(" "):
            raise Unauthorized()
        json_body(seen)
        return Answer(204)

    server.route("POST", "/hooks/distributor", receive)
    return server
