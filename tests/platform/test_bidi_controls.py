"""Names and identifiers refuse Unicode's bidirectional controls (issue 11): a right-to-left
override stored in a name makes it show as other text than is stored, so a patient or a member
of staff could be made to look like someone else. Refused wherever names are typed: patients
(pages and API), staff on a use of force, wards and sites."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from rrp.core.text import BIDI_CONTROLS, MESSAGE, bidi_problem

RLO = "\u202e"


@pytest.mark.parametrize("control", sorted(BIDI_CONTROLS))
def test_every_bidi_control_is_found(control: str) -> None:
    assert bidi_problem(f"Jo{control}Smith") == MESSAGE
    assert bidi_problem("Jo Smith") is None
    assert bidi_problem("Zoë Ó Súilleabháin, محمد") is None  # other scripts are names too


def test_a_patient_name_with_an_override_is_422_naming_the_field(make_user: Any,
                                                                 api_client_for: Any) -> None:
    api = api_client_for(make_user("ward_staff"))
    answer = api.post("/api/v1/patients", {"local_id": "P5001", "given_name": f"Jo{RLO}htimS",
                                           "date_of_birth": "1980-01-01"})
    assert answer.status_code == 422
    assert "given_name" in answer.content.decode()
    assert "right-to-left" in answer.content.decode()


def test_a_local_identifier_with_an_override_is_refused(make_patient: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        make_patient(local_id=f"P1{RLO}002")
    assert "local_id" in refused.value.message_dict


def test_a_staff_name_on_a_use_of_force_is_refused(organisation: Any, ward: Any,
                                                   patient: Any, system_actor: Any) -> None:
    from incidents.conftest import restraint_input
    from rrp.incidents import services
    from rrp.incidents.inputs import StaffInput

    data = restraint_input(ward, patient)
    data.staff = [StaffInput(f"Sam{RLO}eeL", "Staff nurse", "lead"), *data.staff[1:]]
    with pytest.raises(ValidationError) as refused:
        services.incident_create(actor=system_actor, organisation=organisation, data=data,
                                 submit=True)
    assert "staff.0.name" in refused.value.message_dict


def test_a_ward_name_is_refused(organisation: Any, system_actor: Any) -> None:
    from rrp.organisations.services import ward_create

    with pytest.raises(ValidationError) as refused:
        ward_create(actor=system_actor, organisation=organisation, code="ASH",
                    name=f"Ash{RLO} Ward", beds=4, service_type="picu")
    assert "name" in refused.value.message_dict
