"""LinkedIn: one `POST /rest/posts` with the commentary in "little text" and an article card."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from distributor.channels.social_http import (
    HttpSocialChannel,
    delivery_key,
    post_thread,
)
from distributor.model import Message, Receipt, Snippet
from distributor.render.counting import linkedin_commentary
from distributor.render.snippets import LINKEDIN_RULES


class LinkedIn(HttpSocialChannel):
    """Publishes a Snippet's first text as a public post by the configured author."""

    name: ClassVar[str] = "linkedin"
    service = "LinkedIn"
    required = ("linkedin_token", "linkedin_author")
    rules = LINKEDIN_RULES

    def send(self, item: Message | Snippet) -> Receipt:
        """Publish the post (or write it to the outbox); LinkedIn posts have no thread."""
        assert isinstance(item, Snippet), "LinkedIn sends Snippets"
        settings = self.settings
        if refused := self.unconfigured():
            return refused
        key = delivery_key(item)
        single = replace(item, texts=item.texts[:1])

        def publish(text: str, index: int, parts: tuple[str, ...]) -> str:
            headers = {
                "LinkedIn-Version": settings.linkedin_version,
                "X-Restli-Protocol-Version": "2.0.0",
            }
            if settings.linkedin_token is not None:
                headers["Authorization"] = f"Bearer {settings.linkedin_token.get_secret_value()}"
            url = f"{settings.linkedin_url.rstrip('/')}/rest/posts"
            body = post_body(item, text, settings.linkedin_author or "")
            response = self.request("POST", url, key=key, index=index, headers=headers, json=body)
            return response.headers.get("x-restli-id", "")

        return post_thread(single, publish, self.service)


def post_body(snippet: Snippet, text: str, author: str) -> dict:
    """The /rest/posts body: author, commentary, visibility, distribution, article, state."""
    article = {"source": snippet.link, "title": snippet.title or snippet.link}
    if snippet.description:
        article["description"] = snippet.description
    return {
        "author": author,
        "commentary": linkedin_commentary(text),
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "content": {"article": article},
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }
