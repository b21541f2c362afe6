"""Only the trainer and the lead write the training needs analysis, only the lead (the
executive lead, standard 3.4.II-III) signs it off; every other role is refused on every write
page and nothing changes. Ward managers, the board and auditors may read it."""

from __future__ import annotations

from typing import Any

import pytest

from rrp.workforce.inputs import TnaRequirementInput
from rrp.workforce.models import TnaRequirement, TnaState, TrainingNeedsAnalysis

ROLES = ("ward_staff", "ward_manager", "doctor", "rrp_lead", "board", "trainer", "auditor",
         "org_admin")
MANAGERS = ("trainer", "rrp_lead")
READERS = ("trainer", "rrp_lead", "ward_manager", "board", "auditor")


@pytest.fixture
def analyses(make_tna: Any, make_course: Any, ward: Any) -> dict[str, Any]:
    make_course("RRN-L2")
    draft = make_tna([TnaRequirementInput(course="RRN-L2")], state="draft")
    agreed = make_tna([TnaRequirementInput(course="RRN-L2")], state="agreed",
                      service_type="picu")
    return {"draft": draft, "agreed": agreed,
            "row": draft.requirements.get()}


def write_pages(a: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    draft = f"/training/needs-analysis/{a['draft'].pk}/"
    return [
        ("/training/needs-analysis/new/", {"service_type": "forensic", "content": "X"}),
        (draft + "edit/", {"content": "Changed"}),
        (draft + "requirements/add/", {"course": "RRN-L2", "staff_group": "everyone"}),
        (draft + f"requirements/{a['row'].pk}/remove/", {}),
        (draft + "agreement/", {"training_provider": "X", "agreed_by": "Y",
                                "agreed_on_0": "10", "agreed_on_1": "3",
                                "agreed_on_2": "2026"}),
    ]


def unchanged(a: dict[str, Any]) -> None:
    assert TrainingNeedsAnalysis.objects.count() == 2
    a["draft"].refresh_from_db()
    a["agreed"].refresh_from_db()
    assert a["draft"].state == TnaState.DRAFT and a["draft"].content != "Changed"
    assert a["agreed"].state == TnaState.AGREED
    assert TnaRequirement.objects.filter(removed_at__isnull=True).count() == 2


@pytest.mark.parametrize("role", [r for r in ROLES if r not in MANAGERS])
def test_no_other_role_may_write_it(role: str, analyses: dict[str, Any],
                                    client_as: Any) -> None:
    client = client_as(role)
    for url, data in write_pages(analyses):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    unchanged(analyses)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "rrp_lead"])
def test_only_the_lead_may_sign_it_off(role: str, analyses: dict[str, Any],
                                       client_as: Any) -> None:
    url = f"/training/needs-analysis/{analyses['agreed'].pk}/sign-off/"
    client = client_as(role)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    unchanged(analyses)


@pytest.mark.parametrize("role", MANAGERS)
def test_the_trainer_and_the_lead_may_open_every_write_page(
    role: str, analyses: dict[str, Any], client_as: Any
) -> None:
    client = client_as(role)
    for url, _data in write_pages(analyses):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ROLES)
def test_who_may_read_it(role: str, analyses: dict[str, Any], client_as: Any) -> None:
    client = client_as(role)
    expected = 200 if role in READERS else 403
    assert client.get("/training/needs-analysis/").status_code == expected
    assert client.get(f"/training/needs-analysis/{analyses['draft'].pk}/").status_code == \
        expected
