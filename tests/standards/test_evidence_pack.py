"""The evidence pack for the regulator: one zip with the summary PDF, a CSV index of every
statement (rating, rationale, evidence, actions), a list of the evidence with hashes, and the
evidence files themselves, checked against their hashes."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from typing import Any

from rrp.audit.models import AuditEvent
from rrp.audit.services import Actor
from rrp.standards import services

from .conftest import LONDON, PDF, assessment_of, png_bytes


def test_the_pack_holds_the_summary_the_index_and_every_file(
    cycle: Any,
    lead_actor: Actor,
    lead: Any,
    upload_evidence: Any,
    client_for: Any,
    organisation: Any,
) -> None:
    strategy = upload_evidence(name="RRP strategy.pdf", content=PDF, title="RRP strategy")
    poster = upload_evidence(name="poster.png", content=png_bytes(), title="Ward poster")
    link = services.evidence_link_create(
        actor=lead_actor,
        organisation=organisation,
        url="https://intranet.example.nhs.uk/policy",
        title="Policy page",
    )
    first = assessment_of(cycle, "1.1.I")
    services.assessment_update(actor=lead_actor, assessment=first, rating="met")
    for evidence in (strategy, link):
        services.evidence_attach(actor=lead_actor, assessment=first, evidence=evidence)
    services.evidence_attach(
        actor=lead_actor, assessment=assessment_of(cycle, "2.4.I"), evidence=poster
    )
    not_applicable = assessment_of(cycle, "3.5.X")
    services.assessment_update(
        actor=lead_actor,
        assessment=not_applicable,
        rating="not_applicable",
        na_rationale="No external trainers",
        na_arrangements="In-house RRN team",
    )
    gap = assessment_of(cycle, "1.2.I")
    services.assessment_update(
        actor=lead_actor, assessment=gap, rating="partially_met", narrative="Panel forming"
    )
    services.action_raise(
        actor=lead_actor,
        assessment=gap,
        owner=lead,
        description="Recruit a panel",
        due_on=dt.date(2026, 5, 1),
        now=dt.datetime(2026, 4, 2, tzinfo=LONDON),
    )

    response = client_for(lead, organisation).get(
        f"/compliance/cycles/{cycle.pk}/evidence-pack.zip"
    )
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="R1A-2026-27-annual-evidence-pack.zip"'
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert {"summary.pdf", "statements.csv", "evidence.csv", "README.txt"} <= set(names)
    assert archive.read("summary.pdf").startswith(b"%PDF-")
    files = sorted(n for n in names if n.startswith("evidence/"))
    assert files == [
        f"evidence/E{strategy.pk}-RRP-strategy.pdf",
        f"evidence/E{poster.pk}-poster.png",
    ]
    assert archive.read(files[0]) == PDF
    assert hashlib.sha256(archive.read(files[1])).hexdigest() == poster.sha256

    rows = list(csv.DictReader(io.StringIO(archive.read("statements.csv").decode("utf-8-sig"))))
    assert len(rows) == 209
    by_id = {row["Statement"]: row for row in rows}
    assert by_id["1.1.I"]["Rating"] == "Met"
    stored_as = f"evidence/E{strategy.pk}-RRP-strategy.pdf"
    assert (
        f"E{strategy.pk} RRP strategy (file {stored_as}, SHA-256 {strategy.sha256})"
        in by_id["1.1.I"]["Evidence"]
    )
    assert (
        f"E{link.pk} Policy page (link https://intranet.example.nhs.uk/policy)"
        in by_id["1.1.I"]["Evidence"]
    )
    assert by_id["3.5.X"]["Rating"] == "Not applicable"
    assert by_id["3.5.X"]["Rationale if not applicable"] == "No external trainers"
    assert by_id["3.5.X"]["Alternative arrangements if not applicable"] == "In-house RRN team"
    assert by_id["1.2.I"]["Actions"].endswith(
        "Not started, due 2026-05-01 (overdue): Recruit a panel"
    )
    assert by_id["2.1.I"]["Rating"] == "Not yet rated"

    listed = list(csv.DictReader(io.StringIO(archive.read("evidence.csv").decode("utf-8-sig"))))
    assert {row["Reference"]: row["SHA-256"] for row in listed}[
        f"E{strategy.pk}"
    ] == strategy.sha256
    assert AuditEvent.objects.filter(
        action="export", summary="2026/27 annual: evidence pack downloaded"
    ).exists()


def test_a_file_changed_in_storage_stops_the_pack_with_a_message(
    cycle: Any,
    lead_actor: Actor,
    upload_evidence: Any,
    lead: Any,
    client_for: Any,
    organisation: Any,
) -> None:
    from rrp.standards.storage import path_of

    policy = upload_evidence()
    services.evidence_attach(
        actor=lead_actor, assessment=assessment_of(cycle, "1.1.I"), evidence=policy
    )
    path_of(policy.stored_name).write_bytes(b"%PDF-1.4 tampered")
    client = client_for(lead, organisation)
    response = client.get(f"/compliance/cycles/{cycle.pk}/evidence-pack.zip")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert (
        "The evidence pack could not be made: The evidence file has changed since it was uploaded"
        in page
    )
