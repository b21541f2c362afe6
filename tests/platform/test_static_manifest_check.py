"""`rrp check --deploy` fails, saying to run `make assets` and `rrp collectstatic --noinput`, when
production could not serve a stylesheet, script or icon a page asks static() for: the static
files manifest is missing, lacks a path a template names (a folder, say), or names a hashed file
that is not there. Without this every page answered 500 while the check said "no issues".

The test settings serve static files unhashed (as the demo does), so these tests switch to
production's manifest storage with a STATIC_ROOT of their own.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.checks import CheckMessage, run_checks

from rrp.core.checks import TAG, manifest_problems, project_static_calls, static_calls_in

PRODUCTION_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.fixture
def static_root(settings: Any, tmp_path: Path) -> Path:
    """Production's manifest storage, over an empty STATIC_ROOT."""
    root = tmp_path / "static"
    root.mkdir()
    settings.STATIC_ROOT = root
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}
    return root


def collected(root: Path, paths: list[str]) -> None:
    """What `rrp collectstatic` leaves: a hashed copy of each file and the manifest naming it."""
    entries = {}
    for path in paths:
        stem, dot, suffix = path.rpartition(".")
        hashed = f"{stem}.0123456789ab{dot}{suffix}"
        (root / hashed).parent.mkdir(parents=True, exist_ok=True)
        (root / hashed).write_text("/* collected */")
        entries[path] = hashed
    (root / "staticfiles.json").write_text(
        json.dumps({"paths": entries, "version": "1.1", "hash": "0123456789ab"})
    )


def deploy_check() -> list[CheckMessage]:
    """The check as `rrp check --deploy` runs it (so this also proves it is registered)."""
    return run_checks(tags=[TAG], include_deployment_checks=True)


def test_the_pages_static_paths_are_read_from_the_templates() -> None:
    paths = project_static_calls().paths
    # The layout's stylesheet and each NHS.UK icon, named file by file (never a folder).
    assert "layout.html" in paths["nhsuk/nhsuk-frontend.min.css"]
    assert "layout.html" in paths["nhsuk/assets/images/favicon.ico"]
    assert "layout.html" in paths["nhsuk/assets/manifest.json"]
    assert "nhsuk/assets" not in paths
    assert "standards/base.html" in paths["standards/standards.css"]


def test_a_missing_manifest_fails_the_deploy_check(static_root: Path) -> None:
    [error] = deploy_check()
    assert error.id == "rrp.E001"
    assert error.is_serious()
    assert str(static_root / "staticfiles.json") in error.msg
    assert "make assets" in error.hint
    assert "rrp collectstatic --noinput" in error.hint


def test_a_manifest_without_a_file_a_page_uses_fails_naming_it(static_root: Path) -> None:
    needed = sorted(project_static_calls().paths)
    collected(static_root, [p for p in needed if p != "nhsuk/nhsuk-frontend.min.css"])
    [error] = deploy_check()
    assert error.id == "rrp.E002"
    assert error.is_serious()
    assert "'nhsuk/nhsuk-frontend.min.css'" in error.msg
    assert "layout.html" in error.msg
    assert "rrp collectstatic --noinput" in error.hint


def test_a_manifest_naming_a_file_that_is_gone_fails(static_root: Path) -> None:
    collected(static_root, sorted(project_static_calls().paths))
    (static_root / "rrp/rrp.0123456789ab.css").unlink()
    [error] = deploy_check()
    assert error.id == "rrp.E003"
    assert "'rrp/rrp.0123456789ab.css'" in error.msg


def test_a_complete_manifest_passes(static_root: Path) -> None:
    collected(static_root, sorted(project_static_calls().paths))
    assert deploy_check() == []


def test_static_of_a_folder_is_caught(static_root: Path, tmp_path: Path) -> None:
    """The mistake that broke production: static() of the NHS.UK assets folder, which has no
    manifest entry (only its files have)."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.template import engines

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text(
        '{% set assetPath = static("nhsuk/assets") %}'
        "<link rel=icon href=\"{{ static('nhsuk/assets/images/favicon.ico') }}\">"
        "<script src=\"{{ static(script_name) }}\"></script>"
    )
    collected(static_root, ["nhsuk/assets/images/favicon.ico"])
    calls = static_calls_in(engines["jinja2"].env, [templates])
    assert sorted(calls.paths) == ["nhsuk/assets", "nhsuk/assets/images/favicon.ico"]

    problems = manifest_problems(staticfiles_storage, calls)  # type: ignore[arg-type]

    assert [(p.id, "'nhsuk/assets'" in p.msg) for p in problems if p.is_serious()] == [
        ("rrp.E002", True)
    ]
    assert "name a file in it instead" in problems[0].hint
    # static() of a variable cannot be looked up ahead: said, as a warning.
    assert [p.id for p in problems if not p.is_serious()] == ["rrp.W001"]


def test_the_demo_serving_unhashed_files_is_not_checked(settings: Any, tmp_path: Path) -> None:
    # RRP_DEBUG=true serves files straight from the source folders: there is no manifest.
    settings.STATIC_ROOT = tmp_path / "nothing-collected"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    assert deploy_check() == []


def test_rrp_check_deploy_before_collectstatic_says_what_to_run(
    clean_env: Any, tmp_path: Path
) -> None:
    # Given production settings and nothing collected into RRP_VAR_DIR/static
    env = clean_env(
        RRP_DEBUG="false",
        RRP_SECRET_KEY=secrets.token_urlsafe(64),
        RRP_ALLOWED_HOSTS="rrp.example.nhs.uk",
        RRP_VAR_DIR=str(tmp_path),
        RRP_DATABASE_URL=f"sqlite:///{tmp_path / 'rrp.sqlite3'}",
    )
    # When the deployer runs the README's check
    result = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).with_name("rrp")), "check", "--deploy"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    # Then it fails and says what to run
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "rrp.E001" in output
    assert f"{tmp_path / 'static' / 'staticfiles.json'} is missing" in output
    assert "make assets" in output
    assert "rrp collectstatic --noinput" in output
