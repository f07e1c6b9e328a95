"""The Channel protocol: the one small interface every delivery service implements."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar, Literal, Protocol, runtime_checkable

from distributor.model import Digest, Message, Receipt, Snippet
from distributor.render.snippets import PlatformRules, build_snippet


@runtime_checkable
class Channel(Protocol):
    """Delivers one item (an email Message or a social Snippet) and answers with a Receipt.

    A channel takes its settings (and, for HTTP services, an httpx client) in its constructor,
    so tests can point it at a local server. `send` is its only I/O; it never raises for a
    delivery failure: the Receipt says whether the failure is temporary or permanent.
    """

    name: ClassVar[str]

    def send(self, item: Message | Snippet) -> Receipt:
        """Deliver one item."""
        ...

    def close(self) -> None:
        """Release connections held across a batch."""
        ...


ENV_PREFIX = "DISTRIBUTOR_"


def env_name(field: str) -> str:
    """The environment variable a Settings field is read from (DISTRIBUTOR_<FIELD>)."""
    return f"{ENV_PREFIX}{field}".upper()


class Described:
    """What a channel class declares about itself, so no other module keeps a list of channels.

    `carries` says whether it delivers email Messages or social Snippets; `required` names the
    Settings fields it needs to post for real; `snippet_rules` gives the platform's limits and
    counting (None for email); `snippet` builds its Snippet from a digest and the post's URL.
    """

    name: ClassVar[str]
    carries: ClassVar[Literal["email", "social"]] = "social"
    required: ClassVar[tuple[str, ...]] = ()
    rules: ClassVar[PlatformRules | None] = None

    @classmethod
    def missing_settings(cls, settings: Any) -> list[str]:
        """The environment variables still to set before this channel can post live."""
        return [env_name(field) for field in cls.required if not getattr(settings, field, None)]

    @classmethod
    def snippet_rules(cls, settings: Any) -> PlatformRules | None:
        """The platform's rules (limit, counting, threads, hashtags); None for email."""
        return cls.rules

    @classmethod
    def snippet(cls, digest: Digest, url: str, rules: PlatformRules | None) -> Snippet:
        """The thread this channel posts for a digest whose public URL is `url`."""
        assert rules is not None, f"{cls.name} has no snippet rules"
        return replace(build_snippet(digest, url, rules), platform=cls.name)
