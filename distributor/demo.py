"""`python -m distributor.demo` (make demo): the digest of each demo post, then what to try next."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape

from distributor.cli.digest import digest_panel
from distributor.content.digest import build_digest
from distributor.demo_delivery import print_delivery_demo, shell_command
from distributor.errors import UserError
from distributor.sources.folder import list_post_files
from distributor.sources.load import load_post

DEMO_POSTS = Path(__file__).resolve().parents[1] / "demo" / "posts"


def run_demo(console: Console, posts: Path = DEMO_POSTS) -> int:
    """Print the digest of every demo post; returns how many posts were digested."""
    files = list_post_files(posts)
    console.print(f"[bold]distributor demo[/]: {len(files)} posts from {escape(str(posts))}\n")
    done = 0
    for file in files:
        try:
            digest = build_digest(load_post(str(file.path)))
        except UserError as exc:
            console.print(f"[red]{escape(file.path.name)}: {escape(str(exc))}[/]")
            continue
        console.print(digest_panel(digest, source=file.path.name))
        done += 1
    example = files[0].path if files else posts / "post.md"
    console.print("\nNext (any .md, .html or .txt post, or a blog post's URL):")
    console.print(
        f"  [bold]{escape(shell_command('digest', str(example.resolve()), '--json'))}[/]",
        soft_wrap=True,
    )
    return done


if __name__ == "__main__":
    console = Console(highlight=False)
    run_demo(console)
    print_delivery_demo(console, DEMO_POSTS, DEMO_POSTS.parent / "subscribers.csv")
