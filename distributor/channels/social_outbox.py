"""The social outbox: each would-be API request written as JSON instead of being sent.

One file per request in `<outbox>/social/`, named by the delivery key and the item's place in
the thread (`<key>-1.json`, `<key>-2.json`, ...). Headers that carry secrets are left out.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

SECRET_HEADERS = frozenset({"authorization", "cookie", "x-api-key", "webhook-signature"})


def outbox_folder(outbox_dir: Path) -> Path:
    """The folder of social requests inside the outbox."""
    return outbox_dir / "social"


def request_file_name(key: str, index: int) -> str:
    """File name for thread item `index` (0-based) of delivery `key`."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", key).strip("._") or "delivery"
    return f"{safe}-{index + 1}.json"


def write_request(
    outbox_dir: Path,
    key: str,
    index: int,
    *,
    method: str,
    url: str,
    headers: dict[str, str],
    body: Any,
) -> Path:
    """Write one request (method, URL, headers without secrets, body) and return its path."""
    folder = outbox_folder(outbox_dir)
    folder.mkdir(parents=True, exist_ok=True)
    public = {k: v for k, v in headers.items() if k.lower() not in SECRET_HEADERS}
    record = {"method": method, "url": url, "headers": public, "body": body}
    path = folder / request_file_name(key, index)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    temporary.replace(path)
    return path
