"""Every number on every role's home page opens a list with exactly that many rows, filtered
the same way (who must act, ward, state), and the list page shows the filter it applies.

The whole synthetic demo is seeded once for this module (about half a minute) at a fixed moment,
inside a transaction rolled back at the end, and every demo account's home page is checked: the
doctor's "11 overdue" once opened a list of 102 duties of every role on every ward.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from rrp.demo.accounts import DEMO_ACCOUNTS, OTHER_PROVIDER_ACCOUNTS
from rrp.organisations.models import Membership, Organisation

TODAY = dt.date(2026, 11, 27)
# Half past nine on the demo's today (its records stop at midnight; _add_this_mornings_work adds
# the morning's).
MOMENT = dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC)
USERNAMES = [a["username"] for a in DEMO_ACCOUNTS + OTHER_PROVIDER_ACCOUNTS] + ["two_roles"]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Organisation]:
    from rrp.demo.generator import seed_demo

    with (
        time_machine.travel(MOMENT, tick=False),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        organisation = seed_demo(seed=7, today=TODAY)
        _add_this_mornings_work(organisation)
        yield organisation
        transaction.set_rollback(True)


def _add_this_mornings_work(organisation: Organisation) -> None:
    """What the demo's history may not have at MOMENT: duties due within the next 4 hours
    (a restraint on Oak Ward 20 minutes ago), an overdue medical review on another ward (an
    hour and a half ago on Elm Ward), and a person with two roles that own duties."""
    from rrp.audit.services import Actor
    from rrp.incidents import services
    from rrp.incidents.inputs import IncidentInput, InterventionInput, StaffInput
    from rrp.organisations import services as org_services
    from rrp.organisations.models import Ward
    from rrp.patients.models import Admission

    actor = Actor(user=None, via="cli")
    for code, minutes_ago in (("OAK", 20), ("ELM", 90)):
        ward = Ward.objects.get(organisation=organisation, code=code)
        stay = Admission.objects.filter(ward=ward, discharged_on__isnull=True).first()
        assert stay is not None, f"nobody on {code}"
        start = MOMENT - dt.timedelta(minutes=minutes_ago)
        services.incident_create(actor=actor, organisation=organisation, now=MOMENT, data=(
            IncidentInput(
                ward=ward, patient=stay.patient, started_at=start,
                ended_at=start + dt.timedelta(minutes=8), reason="10",
                description="Held standing, then on his side", efforts_to_avoid="Talking",
                outcome="Settled", notification="not_applicable", in_care_plan=False,
                interventions=[InterventionInput("07", start, start + dt.timedelta(minutes=8))],
                staff=[StaffInput("Sam Lee", "Staff nurse", "lead"),
                       StaffInput("Kim Ode", "Staff nurse", "monitoring_wellbeing")],
            )
        ))
    oak = Ward.objects.get(organisation=organisation, code="OAK")
    for role in ("ward_manager", "doctor"):
        org_services.user_add(actor=actor, username="two_roles", organisation=organisation,
                              role=role, full_name="Kit Two", home_ward=oak)


@dataclass(frozen=True)
class Count:
    title: str
    number: int
    href: str


_CARD = re.compile(r'<li class="[^"]*nhsuk-card-group__item[^"]*">(.*?)</li>', re.S)


def counts_on(home_html: str) -> list[Count]:
    """Each card of the home page: its heading, its number and where its link goes."""
    found = []
    for card in _CARD.findall(home_html):
        number = re.search(r'class="rrp-count">(\d+)<', card)
        links = re.findall(r'<a [^>]*href="([^"]+)"', card)
        title = re.sub(r"<[^>]+>|\s+", " ", re.search(r"<h2.*?</h2>", card, re.S).group(0))  # type: ignore[union-attr]
        assert number, f"a card without a number: {card}"
        assert len(links) == 1, f"a card should have one link, not {links}: {title}"
        found.append(Count(title.strip(), int(number.group(1)), links[0].replace("&amp;", "&")))
    return found


class ListPage(HTMLParser):
    """What a list page shows: the rows of the list inside the element the link's fragment
    names (the whole <main> when there is none) - table body rows, or the items of a bordered
    list - and the filters it shows as chosen (selected options, current filter links)."""

    def __init__(self, target: str | None) -> None:
        super().__init__()
        self.target = target
        self.rows = 0
        self.next_href: str | None = None
        self.chosen: set[tuple[str, str]] = set()
        self.found = False
        self._depth = 0  # how deep inside the target element the parser is (0: outside)
        self._target_tag = ""
        self._in_body = 0
        self._in_list = 0
        self._select = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if self._depth:
            if tag == self._target_tag:
                self._depth += 1
        elif (self.target and a.get("id") == self.target) or (not self.target and tag == "main"):
            self._depth, self._target_tag, self.found = 1, tag, True
        inside = self._depth > 0
        if tag == "tbody" and inside:
            self._in_body += 1
        elif tag == "tr" and self._in_body:
            self.rows += 1
        elif tag == "ul" and inside and "nhsuk-list--border" in a.get("class", ""):
            self._in_list += 1
        elif tag == "li" and self._in_list:
            self.rows += 1
        elif tag == "select":
            self._select = a.get("name", "")
        elif tag == "option" and "selected" in a and self._select:
            self.chosen.add((self._select, a.get("value", "")))
        elif tag == "input" and ("checked" in a or a.get("type") == "text"):
            self.chosen.add((a.get("name", ""), a.get("value", "")))
        elif tag == "a" and a.get("aria-current"):
            self.chosen.update(parse_qsl(urlsplit(a.get("href", "")).query))
        elif tag == "a" and a.get("rel") == "next":
            self.next_href = a.get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody" and self._in_body:
            self._in_body -= 1
        elif tag == "ul" and self._in_list:
            self._in_list -= 1
        elif tag == "select":
            self._select = ""
        if self._depth and tag == self._target_tag:
            self._depth -= 1


def rows_behind(client: Client, href: str) -> tuple[int, set[tuple[str, str]]]:
    """Follow a home page link and every "Next" page after it; the rows of the list across all
    its pages, and the filters the first page shows as chosen."""
    fragment = urlsplit(href).fragment or None
    url, total, first_chosen = href.split("#")[0], 0, None
    if re.fullmatch(r"/[\w/-]*/\d+/", url):  # one record (a single draft): the record itself
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        return 1, set()
    for _ in range(100):
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        page = ListPage(target=fragment)
        page.feed(response.content.decode())
        assert page.found, f"{url} has no #{fragment}"
        total += page.rows
        first_chosen = page.chosen if first_chosen is None else first_chosen
        if not page.next_href:
            return total, first_chosen
        url = urljoin(url, page.next_href)
    raise AssertionError(f"{href}: more than 100 pages")


@pytest.fixture
def home_of(demo: Organisation, db: None, client_for: Callable[..., Client]) -> Callable[..., Any]:
    def sign_in(username: str) -> Client:
        user = get_user_model().objects.get(username=username)
        membership = Membership.objects.filter(user=user).select_related("organisation").first()
        assert membership is not None
        return client_for(user, membership.organisation)

    return sign_in


@pytest.mark.parametrize("username", USERNAMES)
def test_every_number_on_the_home_page_opens_a_list_of_that_many(
    username: str, home_of: Callable[[str], Client]
) -> None:
    client = home_of(username)
    home = client.get("/")
    assert home.status_code == 200
    problems = []
    for count in counts_on(home.content.decode()):
        rows, chosen = rows_behind(client, count.href)
        if rows != count.number:
            problems.append(f"{count.title}: the home page says {count.number}, "
                            f"{count.href} lists {rows}")
        query = dict(parse_qsl(urlsplit(count.href).query))
        hidden = {item for item in query.items() if item not in chosen}
        if hidden:
            problems.append(f"{count.title}: {count.href} does not show its filter {hidden}")
    assert not problems, "\n".join(problems)


def test_the_clinical_home_pages_have_numbers_to_check(home_of: Callable[[str], Client]) -> None:
    """Guards the test above against passing on home pages with nothing on them."""
    titles = {
        username: [c.title for c in counts_on(home_of(username).get("/").content.decode())]
        for username in ("nurse", "manager", "doctor", "lead")
    }
    assert all(titles.values()), titles
    everything = " ".join(t for each in titles.values() for t in each)
    for expected in ("Overdue duties", "Due in the next 4 hours", "Records waiting for review",
                     "safety plan", "Physical examinations overdue"):
        assert expected in everything, titles
    # Two roles that own duties: a set of cards for each, saying which is which.
    two = [c.title for c in counts_on(home_of("two_roles").get("/").content.decode())]
    assert any("(doctors)" in t for t in two) and any("(ward managers)" in t for t in two), two
