"""The provisioning commands are a contract for scripts: exactly these arguments, a new API
token alone on stdout, and for bad arguments one line on stderr naming the problem and a
non-zero exit. The tests run the real `rrp` console script in a subprocess against a fresh
database of their own (loading the whole demo that way takes minutes, so that one test loads
the platform's part in-process)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

ORG = ("org", "add", "--ods-code", "R1A", "--name", "Example NHS Trust")
WARD = ("ward", "add", "--org", "R1A", "--code", "OAK", "--name", "Oak Ward", "--beds", "18",
        "--service-type", "adult_acute")


def ok(rrp: Any, *args: str, input: str | None = None) -> str:
    result = rrp(*args, input=input)
    assert result.returncode == 0, f"rrp {' '.join(args)} failed: {result.stderr}"
    return result.stdout


def refused(rrp: Any, *args: str, input: str | None = None) -> str:
    """The command fails with exactly one line on stderr, which it returns."""
    result = rrp(*args, input=input)
    assert result.returncode != 0, f"rrp {' '.join(args)} should have failed: {result.stdout}"
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{result.stderr}"
    return lines[0]


@pytest.fixture(scope="module")
def provisioned(rrp_cli_databases: Any) -> Any:
    """A database with R1A and its Oak Ward, provisioned once and copied for each test."""
    rrp = rrp_cli_databases.new()
    ok(rrp, *ORG)
    ok(rrp, *WARD)
    return rrp


def query(rrp: Any, code: str) -> Any:
    """Run Python in the app against the command's database and read back its JSON."""
    result = rrp.shell(code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_provisioning_a_provider_a_ward_and_a_person(rrp_cli: Any) -> None:
    ok(rrp_cli, *ORG, "--sector", "nhs")
    ok(rrp_cli, *WARD)
    ok(rrp_cli, "user", "add", "--username", "ann", "--org", "R1A", "--role", "ward_staff")
    state = query(rrp_cli, (
        "import json\n"
        "from rrp.organisations.models import Organisation, Ward, Membership\n"
        "from rrp.audit.models import AuditEvent\n"
        "o = Organisation.objects.get()\n"
        "w = Ward.objects.get()\n"
        "m = Membership.objects.get()\n"
        "print(json.dumps([o.ods_code, o.name, o.sector, w.code, w.name, w.beds, w.service_type,"
        " m.user.username, m.role, m.organisation.ods_code,"
        " sorted(set(AuditEvent.objects.values_list('via', flat=True)))]))"
    ))
    assert state == [
        "R1A", "Example NHS Trust", "nhs", "OAK", "Oak Ward", 18, "adult_acute",
        "ann", "ward_staff", "R1A", ["cli"],
    ]


def test_a_person_can_be_given_a_password_on_standard_input(rrp_cli: Any) -> None:
    ok(rrp_cli, *ORG)
    ok(rrp_cli, "user", "add", "--username", "ann", "--org", "R1A", "--role", "doctor",
       "--password-stdin", input="a-long-enough-password-2026\n")
    assert query(rrp_cli, (
        "import json\n"
        "from django.contrib.auth import get_user_model\n"
        "u = get_user_model().objects.get(username='ann')\n"
        "print(json.dumps(u.check_password('a-long-enough-password-2026')))"
    )) is True


def test_token_issue_prints_only_a_token_that_works_against_the_api(
    rrp_cli_databases: Any, provisioned: Any
) -> None:
    rrp_cli = rrp_cli_databases.new(copy_of=provisioned)
    ok(rrp_cli, "user", "add", "--username", "ann", "--org", "R1A", "--role", "ward_staff")
    result = rrp_cli("token", "issue", "--username", "ann")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    token = lines[0]
    assert token.startswith("rrp_")
    assert len(token) > 30
    assert " " not in token
    answer = query(rrp_cli, (
        "import json\n"
        "from django.test import Client\n"
        "c = Client(SERVER_NAME='localhost')\n"
        f"r = c.get('/api/v1/wards', headers={{'Authorization': 'Bearer {token}'}})\n"
        "n = Client(SERVER_NAME='localhost').get('/api/v1/wards')\n"
        "print(json.dumps([r.status_code, r.json(), n.status_code]))"
    ))
    status, wards, without_token = answer
    assert status == 200
    assert [w["code"] for w in wards] == ["OAK"]
    assert without_token == 401


def test_seed_demo_refuses_to_load_the_demo_provider_twice(rrp_cli: Any) -> None:
    ok(rrp_cli, "org", "add", "--ods-code", "ZZ9", "--name", "Already here")
    line = refused(rrp_cli, "seed-demo", "--seed", "7")
    assert "ZZ9 is already loaded" in line


def test_seed_demo_loads_the_synthetic_provider(
    db: None, demo_without_other_capabilities: None
) -> None:
    """In-process, with the platform's part only: the whole demo through the console script
    takes a minute or more, and the capabilities' own demo tests load all of it."""
    from django.core.management import call_command

    from rrp.organisations.models import Site, Ward
    from rrp.patients.models import Patient

    out = io.StringIO()
    call_command("seed-demo", "--seed", "7", stdout=out)
    assert "Loaded the synthetic demo provider" in out.getvalue()
    assert "(ZZ9)" in out.getvalue()
    assert (Ward.objects.count(), Site.objects.count()) == (6, 2)
    assert Patient.objects.count() > 100


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (("user", "add", "--username", "bob", "--org", "R1A", "--role", "nurse"),
         ["--role", "nurse"]),
        (("user", "add", "--username", "bob", "--org", "NOPE", "--role", "doctor"), ["NOPE"]),
        (("user", "add", "--username", "bob", "--org", "R1A"), ["--role"]),
        (("ward", "add", "--org", "R1A", "--code", "ASH", "--name", "Ash", "--beds", "0",
          "--service-type", "picu"), ["--beds"]),
        (("ward", "add", "--org", "R1A", "--code", "ASH", "--name", "Ash", "--beds", "many",
          "--service-type", "picu"), ["--beds"]),
        (("ward", "add", "--org", "NOPE", "--code", "ASH", "--name", "Ash", "--beds", "4",
          "--service-type", "picu"), ["NOPE"]),
        (("ward", "add", "--org", "R1A", "--code", "ASH", "--name", "Ash", "--beds", "4",
          "--service-type", "acute"), ["--service-type", "acute"]),
        (("ward", "add", "--org", "R1A", "--code", "OAK", "--name", "Oak again", "--beds", "4",
          "--service-type", "picu"), ["OAK"]),
        (("org", "add", "--ods-code", "R1A", "--name", "Another"), ["R1A", "already exists"]),
        (("org", "add", "--ods-code", "R1!", "--name", "Bad code"), ["ODS code"]),
        (("org", "add", "--ods-code", "R2B", "--name", "X", "--sector", "private"), ["--sector"]),
        (("org", "add", "--name", "No code"), ["--ods-code"]),
        (("token", "issue", "--username", "nobody"), ["nobody"]),
        (("seed-demo", "--seed", "lots"), ["--seed"]),
    ],
)
def test_bad_arguments_give_one_line_naming_the_problem(
    rrp_cli_databases: Any, provisioned: Any, args: tuple[str, ...], names: list[str]
) -> None:
    rrp = rrp_cli_databases.new(copy_of=provisioned)
    line = refused(rrp, *args)
    for name in names:
        assert name in line, f"{line!r} does not name {name!r}"


def test_a_weak_password_is_refused_in_one_line(rrp_cli: Any) -> None:
    ok(rrp_cli, *ORG)
    line = refused(rrp_cli, "user", "add", "--username", "ann", "--org", "R1A", "--role",
                   "doctor", "--password-stdin", input="short\n")
    assert "password" in line.lower()
    # Nothing half-made: the account was not created.
    assert query(rrp_cli, (
        "import json\n"
        "from django.contrib.auth import get_user_model\n"
        "print(json.dumps(get_user_model().objects.filter(username='ann').exists()))"
    )) is False


def test_a_demo_that_cannot_be_loaded_says_so_in_one_line(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A demo step that meets a service's refusal: the command fails with a CommandError, which
    the console script prints as one line (Django prints a traceback for anything else)."""
    from django.core.exceptions import ValidationError
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from rrp.demo.management.commands import demo as demo_command

    def refuses(**_: Any) -> None:
        raise ValidationError({"reviewed_at": ["The review cannot be before the use of force"]})

    seed_demo_command = __import__(
        "rrp.demo.management.commands.seed-demo", fromlist=["seed_demo"])
    for module in (seed_demo_command, demo_command):
        monkeypatch.setattr(module, "seed_demo", refuses)
    monkeypatch.setattr("django.conf.settings.DEMO_MODE", True)
    for args in (("seed-demo", "--seed", "3"), ("demo", "--no-serve")):
        with pytest.raises(CommandError) as refused_with:
            call_command(*args)
        message = str(refused_with.value)
        assert "\n" not in message
        assert "reviewed_at: The review cannot be before the use of force" in message
        assert "the demo could not be loaded on" in message
