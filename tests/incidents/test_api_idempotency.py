"""A retry with the same Idempotency-Key never records the same use of force twice (issue 11)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from incidents.conftest import restraint_body
from rrp.accounts.models import ApiToken, hash_token
from rrp.accounts.services import token_revoke
from rrp.api import idempotency
from rrp.api.models import IdempotentRequest
from rrp.incidents.models import Incident


def post(api: Any, body: Any, key: str, path: str = "/api/v1/incidents") -> Any:
    return api.client.post(path, data=json.dumps(body), content_type="application/json",
                           headers={**api._headers(), "Idempotency-Key": key})


def test_the_same_request_again_gets_the_first_answer_and_records_nothing_more(
    nurse_api: Any, patient: Any
) -> None:
    body = restraint_body(patient.pk)
    first = post(nurse_api, body, "a3c1f0e2-retry")
    again = post(nurse_api, body, "a3c1f0e2-retry")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Incident.objects.count() == 1


def test_the_same_key_for_a_different_request_is_409_and_runs_nothing(
    nurse_api: Any, patient: Any
) -> None:
    post(nurse_api, restraint_body(patient.pk), "k1")
    other = post(nurse_api, restraint_body(patient.pk, outcome="Different"), "k1")
    assert other.status_code == 409
    assert "already used for a different request" in other.json()["detail"]
    assert Incident.objects.count() == 1


def test_a_refused_request_can_be_corrected_and_sent_with_the_same_key(
    nurse_api: Any, patient: Any
) -> None:
    assert post(nurse_api, restraint_body(patient.pk, outcome=""), "k2").status_code == 422
    assert post(nurse_api, restraint_body(patient.pk), "k2").status_code == 201
    assert Incident.objects.count() == 1


def test_keys_belong_to_their_token(nurse_api: Any, api_client_as: Any, patient: Any) -> None:
    other = api_client_as("ward_staff")
    body = restraint_body(patient.pk)
    assert post(nurse_api, body, "shared").status_code == 201
    assert post(other, body, "shared").status_code == 201
    assert Incident.objects.count() == 2


def test_a_revoked_token_gets_no_replay(
    nurse_api: Any, patient: Any, system_actor: Any
) -> None:
    body = restraint_body(patient.pk)
    assert post(nurse_api, body, "k3").status_code == 201
    token_revoke(actor=system_actor,
                 token=ApiToken.objects.get(token_hash=hash_token(nurse_api.token)))
    assert post(nurse_api, body, "k3").status_code == 401


@pytest.mark.parametrize("key", ["", "x" * 201, "clé"])
def test_a_key_that_is_not_a_key_is_422_on_the_header(
    nurse_api: Any, patient: Any, key: str
) -> None:
    response = post(nurse_api, restraint_body(patient.pk), key)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert not Incident.objects.exists()


def test_two_copies_at_once_leave_one_record_and_the_same_answer(
    nurse_api: Any, patient: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The second copy passed the first look-up before the first copy kept its answer (as two
    # requests at once would): it must undo its own record and answer with the first's.
    body = restraint_body(patient.pk)
    first = post(nurse_api, body, "race")
    looked_up: list[bool] = []
    real = idempotency._kept

    def not_yet_on_the_first_look(scope: str, key: str) -> Any:
        looked_up.append(True)
        return None if len(looked_up) == 1 else real(scope, key)

    monkeypatch.setattr(idempotency, "_kept", not_yet_on_the_first_look)
    second = post(nurse_api, body, "race")
    assert second.status_code == 201
    assert second.json()["id"] == first.json()["id"]
    assert Incident.objects.count() == 1
    assert IdempotentRequest.objects.count() == 1
