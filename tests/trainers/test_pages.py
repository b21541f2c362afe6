"""Who may see and change trainers' records: trainers, the lead and the board see them; the
trainer and the lead keep portfolios and providers; only the lead reviews and monitors
(3.5.I, XIII), never of themself. Every write is tried as every role that must not make it,
and nothing is written. Another organisation's ids are 404s."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rrp.trainers.models import (
    CompetencyCheck,
    PortfolioEntry,
    PortfolioReview,
    Trainer,
    TrainingProvider,
)

ROLES = ("ward_staff", "ward_manager", "doctor", "rrp_lead", "board", "trainer", "auditor",
         "org_admin")
VIEWERS = ("trainer", "rrp_lead", "board")
MANAGERS = ("trainer", "rrp_lead")
REVIEWERS = ("rrp_lead",)


@pytest.fixture
def records(make_trainer: Any, make_provider: Any, add_entry: Any, review: Any,
            observe: Any) -> dict[str, Any]:
    ada = make_trainer("Ada")
    provider = make_provider("Calm Training Ltd")
    entry = add_entry(ada, "cpd", on=dt.date(2026, 1, 12))
    done = review(ada, on=dt.date(2025, 6, 2))
    check = observe(ada, on=dt.date(2025, 7, 1))
    return {"trainer": ada, "provider": provider, "entry": entry, "review": done,
            "check": check}


def view_pages(r: dict[str, Any]) -> list[str]:
    return ["/training/trainers/", f"/training/trainers/{r['trainer'].pk}/",
            f"/training/trainers/providers/{r['provider'].pk}/",
            "/training/trainers/summary/", "/training/trainers/summary.csv?year=2025"]


def manage_pages(r: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    t = r["trainer"].pk
    return [
        ("/training/trainers/add/", {"provider_id": str(r["provider"].pk), "name": "New One"}),
        (f"/training/trainers/{t}/edit/", {"clinical_credibility": "Changed"}),
        (f"/training/trainers/{t}/portfolio/add/", {
            "kind": "cpd", "dated_on_0": "1", "dated_on_1": "3", "dated_on_2": "2026",
            "title": "New", "evidence": "Read it"}),
        (f"/training/trainers/portfolio/{r['entry'].pk}/entered-in-error/", {"reason": "No"}),
        ("/training/trainers/providers/add/", {"name": "Other Ltd"}),
        (f"/training/trainers/providers/{r['provider'].pk}/edit/", {"name": "Renamed"}),
    ]


def review_pages(r: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    t = r["trainer"].pk
    return [
        (f"/training/trainers/{t}/reviews/add/", {
            "reviewed_on_0": "2", "reviewed_on_1": "3", "reviewed_on_2": "2026",
            "reviewer_name": "X", "outcome": "satisfactory"}),
        (f"/training/trainers/{t}/monitoring/add/", {
            "observed_on_0": "2", "observed_on_1": "3", "observed_on_2": "2026",
            "observed_teaching": "X", "observer_name": "X", "outcome": "meets"}),
        (f"/training/trainers/reviews/{r['review'].pk}/entered-in-error/", {"reason": "No"}),
        (f"/training/trainers/monitoring/{r['check'].pk}/entered-in-error/", {"reason": "No"}),
    ]


def unchanged(r: dict[str, Any]) -> None:
    assert Trainer.objects.count() == 1
    assert Trainer.objects.get().clinical_credibility == "RMN, ten years on acute wards"
    assert list(TrainingProvider.objects.values_list("name", flat=True)) == [
        "Calm Training Ltd"]
    assert PortfolioEntry.objects.filter(entered_in_error_at__isnull=True).count() == 1
    assert PortfolioEntry.objects.count() == 1
    assert PortfolioReview.objects.filter(entered_in_error_at__isnull=True).count() == 1
    assert CompetencyCheck.objects.filter(entered_in_error_at__isnull=True).count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_who_may_see_trainers(role: str, records: dict[str, Any], client_as: Any) -> None:
    client = client_as(role)
    for url in view_pages(records):
        assert client.get(url).status_code == (200 if role in VIEWERS else 403), url


@pytest.mark.parametrize("role", [r for r in ROLES if r not in MANAGERS])
def test_no_other_role_may_keep_portfolios_or_providers(
    role: str, records: dict[str, Any], client_as: Any
) -> None:
    client = client_as(role)
    for url, data in manage_pages(records):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    unchanged(records)


@pytest.mark.parametrize("role", [r for r in ROLES if r not in REVIEWERS])
def test_only_the_lead_reviews_and_monitors(
    role: str, records: dict[str, Any], client_as: Any
) -> None:
    client = client_as(role)
    for url, data in review_pages(records):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    unchanged(records)


@pytest.mark.parametrize("role", MANAGERS)
def test_the_trainer_and_the_lead_open_every_write_page(
    role: str, records: dict[str, Any], client_as: Any
) -> None:
    client = client_as(role)
    pages = manage_pages(records) + (review_pages(records) if role in REVIEWERS else [])
    for url, _data in pages:
        assert client.get(url).status_code == 200, url


def test_the_lead_records_a_review_on_the_page(records: dict[str, Any],
                                               lead_client: Any) -> None:
    url, data = review_pages(records)[0]
    response = lead_client.post(url, data)
    assert response.status_code == 302
    latest = PortfolioReview.objects.order_by("-pk").first()
    assert latest is not None and latest.reviewed_on == dt.date(2026, 3, 2)
    # A problem is shown on the page, naming the field, and nothing is written.
    response = lead_client.post(url, {**data, "outcome": "actions_agreed",
                                      "reviewed_on_0": "3"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Write the actions agreed" in page
    assert PortfolioReview.objects.count() == 2


def test_the_trainer_adds_to_a_portfolio_on_the_page(
    records: dict[str, Any], client_as: Any
) -> None:
    url, data = manage_pages(records)[2]
    response = client_as("trainer").post(url, data)
    assert response.status_code == 302
    assert PortfolioEntry.objects.filter(title="New", kind="cpd").exists()


def test_a_lead_who_teaches_cannot_review_themself_on_the_pages(
    make_user: Any, make_staff: Any, make_trainer: Any, client_for: Any, organisation: Any,
    records: dict[str, Any],
) -> None:
    both = make_user(roles=("rrp_lead", "trainer"), username="lead_trainer")
    themself = make_trainer(member=make_staff("Lead Trainer", user_id=both.pk))
    client = client_for(both, organisation)
    for url, data in review_pages({**records, "trainer": themself})[:2]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    page = client.get(f"/training/trainers/{themself.pk}/").content.decode()
    assert "Record the yearly review" not in page
    other = client.get(f"/training/trainers/{records['trainer'].pk}/").content.decode()
    assert "Record the yearly review" in other
    assert not PortfolioReview.objects.filter(trainer=themself).exists()


def test_another_organisations_records_are_not_found(
    records: dict[str, Any], make_organisation: Any, make_user: Any, client_for: Any,
    make_trainer: Any, make_provider: Any, add_entry: Any,
) -> None:
    other = make_organisation(ods_code="R2B")
    theirs = make_trainer("Theirs", organisation=other)
    provider = make_provider("Their Provider", organisation=other)
    entry = add_entry(theirs, "cpd", on=dt.date(2026, 1, 5))
    lead = make_user("rrp_lead", organisation=other, username="other_lead")
    client = client_for(lead, other)
    for url in view_pages(records)[1:3] + [
        url for url, _ in manage_pages(records)[1:4] + review_pages(records)
    ]:
        assert client.get(url).status_code == 404, url
    # Their own are found.
    assert client.get(f"/training/trainers/{theirs.pk}/").status_code == 200
    assert client.get(f"/training/trainers/providers/{provider.pk}/").status_code == 200
    assert client.get(f"/training/trainers/portfolio/{entry.pk}/entered-in-error/"
                      ).status_code == 200
    listed = client.get("/training/trainers/").content.decode()
    assert "Theirs" in listed and "Ada" not in listed


def test_the_compliance_page_links_to_the_trainers(client_as: Any, clock: Any) -> None:
    assert 'href="/training/trainers/"' in client_as("trainer").get("/training/").content.decode()
    manager_page = client_as("ward_manager").get("/training/").content.decode()
    assert 'href="/training/trainers/"' not in manager_page


def test_the_trainer_changes_details_and_a_provider_on_the_pages(
    records: dict[str, Any], client_as: Any
) -> None:
    client = client_as("trainer")
    trainer, provider = records["trainer"], records["provider"]
    response = client.post(f"/training/trainers/{trainer.pk}/edit/", {
        "clinical_credibility": "RMN, twelve years", "teaching_qualification": "PGCert",
        "stopped_teaching_on_0": "31", "stopped_teaching_on_1": "3",
        "stopped_teaching_on_2": "2026"})
    assert response.status_code == 302
    trainer.refresh_from_db()
    assert trainer.stopped_teaching_on == dt.date(2026, 3, 31)
    assert trainer.clinical_credibility == "RMN, twelve years"
    response = client.post(f"/training/trainers/providers/{provider.pk}/edit/", {
        "name": "Calm Training Ltd", "indemnity_clarified_on_0": "5",
        "indemnity_clarified_on_1": "3", "indemnity_clarified_on_2": "2026"})
    assert response.status_code == 200  # the evidence is missing: said on the page
    assert "Describe the evidence of the indemnity insurance" in response.content.decode()
    response = client.post(f"/training/trainers/providers/{provider.pk}/edit/", {
        "name": "Calm Training Ltd", "indemnity_clarified_on_0": "5",
        "indemnity_clarified_on_1": "3", "indemnity_clarified_on_2": "2026",
        "indemnity_evidence": "Certificate seen"})
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.indemnity_clarified_on == dt.date(2026, 3, 5)


def test_the_board_finds_the_trainers_in_the_header(client_as: Any, clock: Any) -> None:
    # Board members hold the trainers to account (3.5.I) without the Training area; those who
    # have the Training area reach the trainers from it, so the header does not list them twice.
    def header(role: str) -> str:
        page = client_as(role).get("/").content.decode()
        return page[page.index("<header"):page.index("</header>")]

    assert 'href="/training/trainers/"' in header("board")
    assert 'href="/training/"' not in header("board")
    for role in ("trainer", "rrp_lead"):
        assert 'href="/training/trainers/"' not in header(role)
        assert 'href="/training/"' in header(role)
    assert 'href="/training/trainers/"' not in header("ward_staff")
