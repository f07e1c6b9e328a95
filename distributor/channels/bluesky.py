"""Bluesky: createSession, then one `app.bsky.feed.post` record per text, threaded by reply refs.

The first post carries an external link card; its thumbnail is the lead image uploaded with
uploadBlob when it is reachable and at most 1,000,000 bytes (otherwise the card goes without
a thumbnail, never the post without its card). Each part is remembered as "<uri> <cid>";
the Receipt's remote_id is the first post's at:// URI.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

import httpx

from distributor.channels.social_http import (
    ApiFailure,
    HttpSocialChannel,
    check,
    delivery_key,
    post_thread,
)
from distributor.model import Message, Receipt, Snippet
from distributor.render.counting import bluesky_facets
from distributor.render.snippets import BLUESKY_RULES

MAX_BLOB_BYTES = 1_000_000
POST_COLLECTION = "app.bsky.feed.post"


class Bluesky(HttpSocialChannel):
    """Posts a Snippet as a thread from the configured handle (app password)."""

    name: ClassVar[str] = "bluesky"
    service = "Bluesky"
    required = ("bluesky_handle", "bluesky_app_password")
    rules = BLUESKY_RULES
    _session: dict[str, str] | None = None

    def send(self, item: Message | Snippet) -> Receipt:
        """Post the thread (or write it to the outbox), resuming after `item.posted`."""
        assert isinstance(item, Snippet), "Bluesky sends Snippets"
        if refused := self.unconfigured():
            return refused
        key = delivery_key(item)

        def create_post(text: str, index: int, parts: tuple[str, ...]) -> str:
            record = self._record(item, text, index, parts, self._login())
            answer = self._create_record(record, key, index).json()
            return f"{answer['uri']} {answer['cid']}"

        receipt = post_thread(item, create_post, self.service)
        if receipt.remote_id:  # the first post's at:// URI (parts keep "<uri> <cid>")
            return replace(receipt, remote_id=receipt.remote_id.partition(" ")[0])
        return receipt

    def _create_record(self, record: dict, key: str, index: int) -> httpx.Response:
        """createRecord, logging in again once when the access token has expired."""
        for attempt in (1, 2):
            session = self._login()
            body = {"repo": session["did"], "collection": POST_COLLECTION, "record": record}
            headers = {"Authorization": f"Bearer {session['accessJwt']}"}
            url = self._xrpc("com.atproto.repo.createRecord")
            try:
                return self.request("POST", url, key=key, index=index, headers=headers, json=body)
            except ApiFailure as failure:
                if attempt == 2 or "ExpiredToken" not in failure.error:
                    raise
                self._session = None
        raise AssertionError("the second attempt returns or raises")

    def _xrpc(self, method: str) -> str:
        return f"{self.settings.bluesky_url.rstrip('/')}/xrpc/{method}"

    def _login(self) -> dict[str, str]:
        """createSession once per channel: the access token and the account's DID."""
        if self._session is None:
            password = self.settings.bluesky_app_password
            body = {
                "identifier": self.settings.bluesky_handle,
                "password": password.get_secret_value() if password else "",
            }
            response = self.client.post(self._xrpc("com.atproto.server.createSession"), json=body)
            check(self.service, response, self.now())
            answer = response.json()
            self._session = {"did": answer["did"], "accessJwt": answer["accessJwt"]}
        return self._session

    def _record(
        self, item: Snippet, text: str, index: int, parts: tuple[str, ...], session: dict
    ) -> dict[str, Any]:
        record: dict[str, Any] = {
            "$type": POST_COLLECTION,
            "text": text,
            "createdAt": self.now().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "langs": [item.language] if item.language else [],
        }
        facets = bluesky_facets(text)
        if facets:
            record["facets"] = facets
        if parts:
            record["reply"] = {"root": strong_ref(parts[0]), "parent": strong_ref(parts[-1])}
        if index == 0 and item.link:
            record["embed"] = self._link_card(item, session)
        return record

    def _link_card(self, item: Snippet, session: dict) -> dict[str, Any]:
        external: dict[str, Any] = {
            "uri": item.link,
            "title": item.title,
            "description": item.description,
        }
        thumb = self._upload_image(item.image, session) if item.image else None
        if thumb is not None:
            external["thumb"] = thumb
        return {"$type": "app.bsky.embed.external", "external": external}

    def _upload_image(self, url: str, session: dict) -> dict | None:
        """Fetch the lead image and uploadBlob it; None when unreachable, too big or refused."""
        if not url.startswith(("http://", "https://")):
            return None
        image = fetch_image(self.client, url)
        if image is None:
            return None
        data, mime = image
        headers = {"Authorization": f"Bearer {session['accessJwt']}", "Content-Type": mime}
        try:
            response = self.client.post(
                self._xrpc("com.atproto.repo.uploadBlob"), headers=headers, content=data
            )
            check(self.service, response, self.now())
        except (httpx.TransportError, ApiFailure):
            return None
        return response.json().get("blob")


def fetch_image(client: httpx.Client, url: str) -> tuple[bytes, str] | None:
    """The image's bytes and type, or None when unreachable, not an image, or over 1,000,000 B."""
    try:
        with client.stream("GET", url, follow_redirects=True) as response:
            mime = response.headers.get("content-type", "").split(";")[0].strip()
            if not response.is_success or not mime.startswith("image/"):
                return None
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_BLOB_BYTES:
                    return None
                chunks.append(chunk)
    except httpx.HTTPError:
        return None
    return b"".join(chunks), mime


def strong_ref(part: str) -> dict[str, str]:
    """A {uri, cid} reference from a stored part ("<uri> <cid>")."""
    uri, _, cid = part.partition(" ")
    return {"uri": uri, "cid": cid}
