"""The core (sources parsing, content, render) does no I/O: it imports none of the edge."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "distributor"
# The modules of sources/ that are allowed to do I/O (HTTP fetching, the address guard under it,
# and loading by target).
IO_MODULES = {
    PACKAGE / "sources" / "fetch.py",
    PACKAGE / "sources" / "address_guard.py",
    PACKAGE / "sources" / "load.py",
}
FORBIDDEN = (
    "distributor.store",
    "distributor.channels",
    "distributor.web",
    "distributor.pipeline",
    "distributor.tasks",
    "distributor.config",
    "distributor.cli",
    "celery",
    "httpx",
    "requests",
    "sqlalchemy",
    "redis",
    "smtplib",
    "urllib.request",
    "socket",
)


def core_files() -> list[Path]:
    files = [p for part in ("sources", "content", "render") for p in (PACKAGE / part).rglob("*.py")]
    return [p for p in files if p not in IO_MODULES]


def imported_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_modules_import_nothing_from_the_edge():
    offenders = {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in core_files()
        for name in imported_names(path)
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)
    }
    assert not offenders, offenders


def test_core_is_not_empty():
    assert len(core_files()) > 0
