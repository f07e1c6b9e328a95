"""The house rules, checked: the core (sources parsing, content, render and the pure modules
beside them) does no I/O and imports none of the edge; nothing below the entry points builds
Settings or reads the environment (the wiring does, for them)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "distributor"
# The two modules of sources/ that are allowed to do I/O (HTTP fetching and loading by target).
IO_MODULES = {PACKAGE / "sources" / "fetch.py", PACKAGE / "sources" / "load.py"}
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


# Pure modules outside the three core packages: the vocabulary and the retry rules.
PURE_MODULES = [PACKAGE / "model.py", PACKAGE / "retry.py", PACKAGE / "errors.py"]
# Everything below the entry points: none of it builds Settings() or reads os.environ.
BELOW_ENTRY_POINTS = ("sources", "content", "render", "channels", "pipeline")


def core_files() -> list[Path]:
    files = [p for part in ("sources", "content", "render") for p in (PACKAGE / part).rglob("*.py")]
    return [p for p in files if p not in IO_MODULES] + PURE_MODULES


def settings_or_environment_reads(path: Path) -> list[str]:
    """Calls of Settings(...) and reads of os.environ / os.getenv / os.putenv in one module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        called = isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        if called and node.func.id == "Settings":
            found.append(f"Settings() at line {node.lineno}")
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
            found.append(f"os.{node.attr} at line {node.lineno}")
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            names = {alias.name for alias in node.names}
            if names & {"environ", "getenv", "environb"}:
                found.append(f"from os import {sorted(names)} at line {node.lineno}")
    return found


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


def test_nothing_below_the_entry_points_builds_settings_or_reads_the_environment():
    offenders = {
        f"{path.relative_to(PACKAGE)}: {finding}"
        for part in BELOW_ENTRY_POINTS
        for path in (PACKAGE / part).rglob("*.py")
        for finding in settings_or_environment_reads(path)
    }
    assert not offenders, offenders


def test_the_environment_check_sees_both_forms(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\nfrom distributor.config import Settings\n"
        "s = Settings()\nx = os.environ.get('A')\n"
    )
    assert settings_or_environment_reads(sample) == ["Settings() at line 3", "os.environ at line 4"]


def test_pipeline_modules_are_grouped_by_idea():
    pipeline = PACKAGE / "pipeline"
    loose = sorted(p.name for p in pipeline.glob("*.py") if p.name != "__init__.py")
    assert (pipeline / "poll").is_dir() and (pipeline / "delivery").is_dir()
    assert not [name for name in loose if name.startswith(("poll_", "post_versions"))]


def test_the_pipeline_takes_plain_values_not_settings():
    offenders = {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in (PACKAGE / "pipeline").rglob("*.py")
        for name in imported_names(path)
        if name == "distributor.config"
    }
    assert not offenders, offenders
