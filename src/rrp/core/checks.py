"""A system check that production can serve every stylesheet, script and icon the pages ask for.

In production the static files storage is whitenoise's manifest storage: `static("x.css")`
looks the file up in STATIC_ROOT/staticfiles.json (written by `rrp collectstatic`) and raises
when it is not there, so a missing manifest, a missing entry or `static()` of a folder turns
every page into a 500 while the API keeps working. The paths needed are read from the templates
themselves (every literal passed to `static()`), so the check cannot drift from the pages.

It runs in `rrp check` and `rrp check --deploy`, and before commands such as `rrp migrate`.
It is not tagged `staticfiles`, because `rrp collectstatic` runs those checks before it writes
the manifest this one looks for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage, staticfiles_storage
from django.core.checks import CheckMessage, Error, Warning, register
from django.template import engines
from django.template.backends.jinja2 import Jinja2
from jinja2 import Environment, nodes

TAG = "rrp_static_files"
FIX = "Run `make assets`, then `rrp collectstatic --noinput` with the production environment."


@dataclass
class StaticCalls:
    """What the templates pass to static(): literal paths, and calls whose path is only known
    when the page is drawn (which this check cannot look up ahead)."""

    paths: dict[str, list[str]] = field(default_factory=dict)  # path -> templates asking for it
    unknown: list[str] = field(default_factory=list)  # templates with static(<expression>)


def static_calls_in(env: Environment, template_dirs: Iterable[str | Path]) -> StaticCalls:
    """Parse every template under the folders and collect the calls to static()."""
    found = StaticCalls()
    for folder in template_dirs:
        root = Path(folder)
        for file in sorted(root.rglob("*")):
            if not file.is_file():
                continue
            name = file.relative_to(root).as_posix()
            tree = env.parse(file.read_text(encoding="utf-8"), name, str(file))
            for call in tree.find_all(nodes.Call):
                if not (isinstance(call.node, nodes.Name) and call.node.name == "static"):
                    continue
                argument = call.args[0] if call.args else None
                if isinstance(argument, nodes.Const) and isinstance(argument.value, str):
                    found.paths.setdefault(argument.value, []).append(name)
                else:
                    found.unknown.append(name)
    return found


def project_static_calls() -> StaticCalls:
    """The static() calls of the Jinja2 templates Django renders pages from (our apps' jinja2/
    folders; the NHS.UK package's templates call no static())."""
    found = StaticCalls()
    for engine in engines.all():
        if isinstance(engine, Jinja2):
            calls = static_calls_in(engine.env, engine.template_dirs)
            for path, templates in calls.paths.items():
                found.paths.setdefault(path, []).extend(templates)
            found.unknown.extend(calls.unknown)
    return found


def manifest_problems(
    storage: ManifestStaticFilesStorage, calls: StaticCalls
) -> list[CheckMessage]:
    """Errors for a missing or unreadable manifest, a needed path it lacks, or a hashed file it
    names that is not on disk."""
    manifest_file = Path((storage.manifest_storage or storage).path(storage.manifest_name))
    try:
        content = storage.read_manifest()
        if content is None:
            return [Error(
                f"The static files manifest {manifest_file} is missing, so every page would "
                "fail with a server error.",
                hint=FIX,
                id="rrp.E001",
            )]
        entries: dict[str, str] = json.loads(content)["paths"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        return [Error(
            f"The static files manifest {manifest_file} cannot be read ({error}).",
            hint=FIX,
            id="rrp.E001",
        )]

    problems: list[CheckMessage] = []
    for path, templates in sorted(calls.paths.items()):
        hashed = entries.get(path)
        where = ", ".join(sorted(set(templates)))
        if hashed is None:
            problems.append(Error(
                f"The static files manifest {manifest_file} has no entry for {path!r} "
                f"(asked for by {where}), so those pages would fail with a server error.",
                hint=FIX + " If the path is a folder, name a file in it instead.",
                id="rrp.E002",
            ))
        elif not storage.exists(hashed):
            problems.append(Error(
                f"The static files manifest {manifest_file} names {hashed!r} for {path!r} "
                f"(asked for by {where}), but that file is not in STATIC_ROOT.",
                hint=FIX,
                id="rrp.E003",
            ))
    for template in sorted(set(calls.unknown)):
        problems.append(Warning(
            f"{template} calls static() with a path that is not a literal string, which this "
            "check cannot look up in the static files manifest.",
            hint="Pass static() a literal file path.",
            id="rrp.W001",
        ))
    return problems


@register(TAG)
def check_static_files_manifest(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    # Only the manifest storage (RRP_DEBUG=false) looks paths up in a manifest; the demo's
    # storage serves straight from the source folders.
    if not isinstance(staticfiles_storage, ManifestStaticFilesStorage):
        return []
    return manifest_problems(staticfiles_storage, project_static_calls())
