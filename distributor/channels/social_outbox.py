"""The social outbox: an httpx transport that writes each API request as JSON instead of
sending it, and answers as an API would, so a channel posts through it exactly as it posts live.

One file per post request in `<outbox>/social/`, named by the delivery key and the item's place
in the thread (`<key>-1.json`, `<key>-2.json`, ...). A record holds the method, URL, the headers
the channel set (without the ones that carry secrets), the body, and whether the channel is
configured to post for real (with the settings still missing when it is not). Requests a channel
does not mark as posts (a login, an image upload) are answered without being written.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

SECRET_HEADERS = frozenset({"authorization", "cookie", "x-api-key", "webhook-signature"})
NOTE = "distributor.outbox"  # the request extension that names a post and its headers
BASE_URL = "https://outbox.invalid"  # where requests of an unconfigured channel seem to go


def outbox_folder(outbox_dir: Path) -> Path:
    """The folder of social requests inside the outbox."""
    return outbox_dir / "social"


def request_file_name(key: str, index: int) -> str:
    """File name for thread item `index` (0-based) of delivery `key`."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", key).strip("._") or "delivery"
    return f"{safe}-{index + 1}.json"


def outbox_note(key: str, index: int, headers: Mapping[str, str]) -> dict[str, Any]:
    """The request extension a channel adds to a post: its file name and its own headers."""
    return {NOTE: {"file": request_file_name(key, index), "headers": list(headers)}}


def write_record(folder: Path, file_name: str, record: dict[str, Any]) -> Path:
    """Write one record atomically and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    temporary.replace(path)
    return path


class OutboxTransport(httpx.BaseTransport):
    """Writes post requests to the outbox and answers every request with a plausible success."""

    def __init__(self, outbox_dir: Path, missing: Sequence[str] = ()) -> None:
        self.folder = outbox_folder(Path(outbox_dir))
        self.missing = list(missing)
        self._numbers = itertools.count(1)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Record a post (when the channel marked it as one) and answer as the API would."""
        note = request.extensions.get(NOTE)
        name = note["file"] if note else f"request-{next(self._numbers)}.json"
        if note:
            write_record(self.folder, name, self.record(request, note["headers"]))
        stem = name.removesuffix(".json")
        answer = {
            "id": f"outbox:{stem}",
            "uri": f"at://did:outbox/app.bsky.feed.post/{stem}",
            "cid": "outbox",
            "did": "did:outbox",
            "accessJwt": "outbox",
        }
        headers = {"x-restli-id": f"outbox:{stem}", "Content-Type": "application/json"}
        body = httpx.ByteStream(json.dumps(answer).encode("utf-8"))  # streamable, like a server's
        return httpx.Response(200, headers=headers, stream=body)

    def record(self, request: httpx.Request, names: Sequence[str]) -> dict[str, Any]:
        """What the file holds: the request without secrets, and whether it could be posted."""
        headers = {
            name: request.headers[name]
            for name in names
            if name.lower() not in SECRET_HEADERS and name in request.headers
        }
        try:
            body: Any = json.loads(request.content or b"null")
        except ValueError:
            body = request.content.decode("utf-8", "replace")
        record = {"method": request.method, "url": str(request.url), "headers": headers}
        record |= {"body": body, "configured": not self.missing}
        if self.missing:
            record["missing"] = self.missing
        return record


def outbox_client(outbox_dir: Path, missing: Sequence[str] = ()) -> httpx.Client:
    """An HTTP client whose requests go to the outbox instead of the network."""
    return httpx.Client(transport=OutboxTransport(outbox_dir, missing), base_url=BASE_URL)
