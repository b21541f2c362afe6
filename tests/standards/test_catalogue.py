"""Tests for the National Minimum Standards catalogue (pure Python, no Django).

The committed data file ``src/rrp/standards/data/nms-2019-12.json`` is checked against the
seed text it was built from, kept in the repository as
``docs/sources/national-minimum-standards-2019-12.txt``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from rrp.standards.catalogue import (
    DEFAULT_EDITION,
    STATEMENT_ID_RE,
    Edition,
    available_editions,
    build_edition_from_seed,
    dump_edition_json,
    edition_from_dict,
    int_to_roman,
    load_edition,
    normalise_text,
    parse_statement_id,
    read_edition_json,
    roman_to_int,
    statement_sort_key,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_PATH = REPO_ROOT / "docs" / "sources" / "national-minimum-standards-2019-12.txt"
DATA_PATH = REPO_ROOT / "src" / "rrp" / "standards" / "data" / "nms-2019-12.json"

EXPECTED_PER_SECTION = {"1": 74, "2": 62, "3": 73}

# Every numbered heading, in document order, with the number of statements directly under it
# (counted by hand from the seed text).
EXPECTED_SUBSECTIONS = {
    "1.1": 6,
    "1.2": 6,
    "1.3": 2,
    "1.4": 6,
    "1.4.1": 7,
    "1.5": 6,
    "1.6": 4,
    "1.7": 1,
    "1.8": 3,
    "1.9": 2,
    "1.10": 2,
    "1.11": 1,
    "1.11.1": 5,
    "1.11.2": 6,
    "1.11.3": 3,
    "1.12": 3,
    "1.13": 4,
    "1.14": 2,
    "1.15": 3,
    "1.15.1": 2,
    "2.1": 4,
    "2.2": 5,
    "2.3": 21,
    "2.4": 7,
    "2.5": 0,
    "2.5.1": 8,
    "2.5.2": 17,
    "3.1": 15,
    "3.2": 0,
    "3.3": 0,
    "3.4": 4,
    "3.4.1": 0,
    "3.4.2": 41,
    "3.5": 13,
}


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED_PATH.is_file():
        pytest.fail(
            f"Seed text for the standards is missing: expected it at {SEED_PATH} "
            "(docs/sources/ in the repository). The catalogue data file "
            "is verified against it, so this test cannot pass without it.",
            pytrace=False,
        )
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def edition() -> Edition:
    return load_edition()


def _squash(text: str) -> str:
    """Independent of the builder: drop all whitespace and hyphens, so that a word split
    across lines ("estab-\\nlished") and a real hyphen broken at a line end ("non- \\nexecutive")
    compare equal however the builder re-joined them."""
    return re.sub(r"[\s\-]+", "", text)


# --- data file and loader ---------------------------------------------------------------


def test_builder_reproduces_committed_data_file(seed_text: str) -> None:
    rebuilt = dump_edition_json(build_edition_from_seed(seed_text))
    committed = DATA_PATH.read_text(encoding="utf-8")
    assert rebuilt == committed, (
        "src/rrp/standards/data/nms-2019-12.json differs from a fresh build; regenerate with "
        f"`PYTHONPATH=src python -m rrp.standards.catalogue build {SEED_PATH} > {DATA_PATH}`"
    )


def test_data_file_is_pretty_utf8_json_with_stable_top_level_keys() -> None:
    raw = DATA_PATH.read_bytes()
    text = raw.decode("utf-8")
    assert "\\u2019" not in text and "\u2019" in text  # stored as UTF-8, not escaped
    assert text.endswith("}\n")
    assert text.startswith('{\n  "edition": "nms-2019-12",\n')
    data = json.loads(text)
    assert list(data) == [
        "edition",
        "title",
        "published",
        "status",
        "sections",
        "statements",
        "appendix_1",
        "appendix_1_policy_titles",
        "appendix_2_pledge",
        "source_sha256",
    ]
    assert read_edition_json() == text


def test_edition_metadata(edition: Edition) -> None:
    assert edition.edition == DEFAULT_EDITION == "nms-2019-12"
    assert edition.title == (
        "National Minimum Standards for Restrictive Interventions Reduction Plans"
    )
    assert edition.published == date(2019, 12, 14)
    assert edition.status == "draft"
    assert "nms-2019-12" in available_editions()


def test_loader_returns_frozen_dataclasses(edition: Edition) -> None:
    statement = edition.statement("1.1.I")
    with pytest.raises(AttributeError):
        statement.text = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        edition.statements = ()  # type: ignore[misc]
    assert isinstance(edition.statements, tuple)
    assert load_edition() is edition  # cached


def test_loader_round_trips_the_json(edition: Edition) -> None:
    data = json.loads(DATA_PATH.read_text(encoding="utf-8"))
    assert edition_from_dict(data) == edition


def test_unknown_edition_and_statement() -> None:
    with pytest.raises(LookupError):
        load_edition("nms-1999-01")
    with pytest.raises(ValueError):
        load_edition("../secrets")
    with pytest.raises(KeyError):
        load_edition().statement("1.1.VII")


# --- statement count and ids --------------------------------------------------------------


def test_exactly_209_statements(edition: Edition) -> None:
    assert len(edition.statements) == 209
    assert len(edition) == 209


def test_statements_per_section(edition: Edition) -> None:
    counts = Counter(statement.section for statement in edition.statements)
    assert dict(counts) == EXPECTED_PER_SECTION
    for number, expected in EXPECTED_PER_SECTION.items():
        assert len(edition.statements_in_section(number)) == expected


def test_ids_unique_and_well_formed(edition: Edition) -> None:
    ids = [statement.id for statement in edition.statements]
    assert len(set(ids)) == len(ids)
    for statement in edition.statements:
        assert STATEMENT_ID_RE.match(statement.id), statement.id
        subsection, number = parse_statement_id(statement.id)
        assert subsection == statement.subsection
        assert statement.section == subsection.split(".")[0]
        assert statement.id == f"{subsection}.{int_to_roman(number)}"
        assert statement.number == number


def test_subsections_and_their_statement_counts(edition: Edition) -> None:
    headings = [sub.number for section in edition.sections for sub in section.subsections]
    assert headings == list(EXPECTED_SUBSECTIONS)
    for number, expected in EXPECTED_SUBSECTIONS.items():
        assert len(edition.statements_in_subsection(number)) == expected, number


def test_numerals_consecutive_from_one_within_each_subsection(edition: Edition) -> None:
    by_subsection: dict[str, list[int]] = {}
    for statement in edition.statements:
        by_subsection.setdefault(statement.subsection, []).append(statement.number)
    for subsection, numbers in by_subsection.items():
        assert numbers == list(range(1, len(numbers) + 1)), subsection


def test_first_and_last_statement_of_each_subsection(edition: Edition) -> None:
    for number, count in EXPECTED_SUBSECTIONS.items():
        if count == 0:
            assert not edition.has_statement(f"{number}.I")
            continue
        assert edition.has_statement(f"{number}.I"), number
        assert edition.has_statement(f"{number}.{int_to_roman(count)}"), number
        assert not edition.has_statement(f"{number}.{int_to_roman(count + 1)}"), number


@pytest.mark.parametrize(
    ("statement_id", "starts_with"),
    [
        ("1.1.I", "Board approves an evidence-based strategy informed by organisational risk "),
        ("1.4.1.III", "Governance structures are in place to monitor incident reports"),
        ("1.15.1.II", "Peer review learning processes are considered best practice"),
        ("2.3.XXI", "Review dates should be stated in the individual’s care plan."),
        ("2.5.2.XI", "Any person subject to physical restraint is medically assessed within one"),
        ("3.1.I", "the experience of people who use services"),
        ("3.4.2.XLI", "Injuries or incidents are audited and reviewed on a regular basis."),
        ("3.5.XIII", "All trainers as quality assured and subject to annual competency"),
    ],
)
def test_spot_checks(edition: Edition, statement_id: str, starts_with: str) -> None:
    assert edition.statement(statement_id).text.startswith(starts_with)


def test_document_order_and_endpoints(edition: Edition) -> None:
    ids = edition.statement_ids
    assert ids[0] == "1.1.I"
    assert ids[-1] == "3.5.XIII"
    assert sorted(ids, key=statement_sort_key) == list(ids)
    assert ids.index("1.4.VI") + 1 == ids.index("1.4.1.I")
    assert ids.index("1.9.II") < ids.index("1.10.I")
    assert ids.index("3.4.IV") + 1 == ids.index("3.4.2.I")


def test_titles(edition: Edition) -> None:
    assert [section.title for section in edition.sections] == [
        "Board Level Organisational Compliance Standard",
        "Effective Care Planning and Multidisciplinary Team Compliance Standard",
        "Training and Trainer Content Compliance Standard",
    ]
    assert edition.statement("1.2.I").title == (
        "Involvement of people who receive services and their carers in strategy development "
        "and implementation"
    )
    assert edition.statement("1.4.1.I").title == (
        "Responsibilities of directors and the executive and non-executive lead"
    )
    assert edition.statement("2.5.1.I").title == (
        "Physical health preparedness standards for all people receiving services"
    )
    assert edition.subsection("3.3").title == "Physical intervention – avoidance of pain compliance"
    # 3.4.1 and 3.4.2 are numbered without a title in the source; statements under 3.4.2
    # take the title of the enclosing checklist.
    assert edition.subsection("3.4.2").title == ""
    assert edition.subsection("3.4.2").introduction == "The TNA should outline the following:"
    assert edition.statement("3.4.2.I").title == "Training standard checklist"
    for statement in edition.statements:
        assert statement.title


def test_section_introductions(edition: Edition) -> None:
    first = edition.section("1").introduction
    assert first.startswith("Section 1 of the Standards provides positive practice indicators")
    assert first.endswith("to demonstrate a well-led organisation.")
    assert len(edition.section("2").introduction_paragraphs) == 4
    third = edition.section("3")
    assert third.introduction.startswith("Effective training that is informed by contemporary")
    assert "https://restraintreductionnetwork.org/know-the-standard/" in third.introduction
    assert third.introduction.endswith(
        "This may require more regular but shorter practice sessions."
    )
    for section in edition.sections:
        for paragraph in section.introduction_paragraphs:
            assert paragraph == " ".join(paragraph.split())


def test_sub_points_of_3_4_2_xiv(edition: Edition) -> None:
    statement = edition.statement("3.4.2.XIV")
    assert [(p.label, p.text) for p in statement.sub_points] == [
        ("a", "address any pre-existing conditions that may impact on participation"),
        ("b", "inform staff of the range of movement and activity required to participate safely"),
    ]
    assert statement.text == (
        "Staff attending training complete an occupational health checklist prior to commencing "
        "physical aspects of training. This should: a. address any pre-existing conditions that "
        "may impact on participation b. inform staff of the range of movement and activity "
        "required to participate safely"
    )
    others = [s.id for s in edition.statements if s.sub_points and s.id != "3.4.2.XIV"]
    assert others == []


# --- fidelity to the seed text ------------------------------------------------------------


def test_texts_are_whitespace_normalised_and_free_of_page_furniture(edition: Edition) -> None:
    for statement in edition.statements:
        text = statement.text
        assert text == " ".join(text.split()), statement.id
        assert "Draft 14 December" not in text, statement.id
        assert "http" not in text, statement.id
        assert not re.search(r"[A-Za-z]- [a-z]", text), statement.id  # no "assess- ment"
        assert not re.match(r"^[IVXLC]+\. ", text), statement.id


def test_line_break_hyphens_rejoined_correctly(edition: Edition) -> None:
    # words the PDF split across lines
    assert "clinical risk assessment should be carried out" in edition.statement("2.2.I").text
    assert "practice developments and" in edition.statement("3.4.2.XVIII").text
    assert "decision-making and practice" in edition.statement("2.5.2.VII").text
    assert "spiritual/religious/faith groups" in edition.statement("1.13.II").text
    # real hyphens that happened to fall at a line end
    assert "person specific post-incident monitoring" in edition.statement("2.3.XVII").text
    assert "organisation-wide approach" in edition.subsection("3.5").introduction


def test_every_text_occurs_in_the_seed(edition: Edition, seed_text: str) -> None:
    squashed_seed = _squash(seed_text)
    normalised_seed = normalise_text(seed_text)
    texts: list[tuple[str, str]] = []
    for statement in edition.statements:
        texts.append((statement.id, statement.text))
        texts.extend((statement.id, point.text) for point in statement.sub_points)
        texts.append((statement.id, statement.title))
    for section in edition.sections:
        texts.append((section.number, section.title))
        texts.extend((section.number, p) for p in section.introduction_paragraphs)
        for sub in section.subsections:
            texts.append((sub.number, sub.title))
            texts.extend((sub.number, p) for p in sub.introduction_paragraphs)
    texts.extend(("appendix 1", title) for title in edition.appendix_1_policy_titles)
    pledge = edition.appendix_2_pledge
    texts.extend(("appendix 2", p) for p in pledge.introduction.split("\n\n"))
    texts.extend(("appendix 2", f) for f in (*pledge.fields, *pledge.priorities.columns))
    for strategy in pledge.strategies:
        texts.extend(("appendix 2", t) for t in (strategy.name, strategy.description))
        texts.extend(("appendix 2", prompt) for prompt in strategy.prompts)
    for where, text in texts:
        # Whitespace- and hyphen-insensitive, independent of the builder's re-joining...
        assert _squash(text) in squashed_seed, (where, text)
        # ...and word for word against the seed normalised the same way.
        assert text in normalised_seed, (where, text)


# --- appendices ---------------------------------------------------------------------------


def test_appendix_1_policy_titles(edition: Edition) -> None:
    titles = edition.appendix_1_policy_titles
    assert edition.appendix_1.title == "Exemplar titles for supporting policies"
    assert len(titles) == 44
    assert len(set(titles)) == 44
    assert titles[0] == "Access to independent advocates"
    assert titles[-1] == "Use of long-term segregation"
    assert "Human Rights Act (1998)" in titles
    assert "Mental Health Act – The Code of Practice (2015)" in titles
    assert "Post-incident support, review and reconciliation" in titles
    # wrapped item in the source: its second line is kept, capital "In" and all
    assert (
        "Terms of reference for inclusion of people with lived experience In organisational "
        "decision making"
    ) in titles


def test_appendix_2_pledge_six_core_strategies(edition: Edition) -> None:
    pledge = edition.appendix_2_pledge
    assert pledge.title == "Restraint Reduction Network Pledge Action Plan"
    assert [s.number for s in pledge.strategies] == [1, 2, 3, 4, 5, 6]
    assert [s.name for s in pledge.strategies] == [
        "LEADERSHIP AND GOVERNANCE",
        "USING DATA TO INFORM PRACTICE",
        "STAFF TRAINING AND DEVELOPMENT",
        "PREVENTATIVE MEASURES AND PERSONALISED SUPPORT",
        "INVOLVING THOSE WHO RECEIVE YOUR SERVICES",
        "CONTINUOUS IMPROVEMENT",
    ]
    assert pledge.strategy(2).display_name == "Using Data to Inform Practice"
    assert pledge.strategies[0].description.startswith("The organisation develops an organisation")
    for strategy in pledge.strategies:
        assert strategy.prompts == (
            "What is the main priority in this area:",
            "What we have done so far:",
            "What we plan to do next in this area:",
        )
    assert pledge.fields == (
        "Organisation name",
        "Sector (eg academy trust, NHS trust)",
        "Restraint reduction lead",
        "Contact email",
        "Date",
    )
    assert pledge.priorities.columns == (
        "Our top priorities for the next 12 months",
        "Our measure of success",
    )
    assert pledge.priorities.rows == ("1.", "2.", "3.")
    assert "https://bit.ly/2KqJRRi" in pledge.introduction


# --- Roman numerals and sort key ----------------------------------------------------------


def test_roman_numerals() -> None:
    assert [roman_to_int(int_to_roman(n)) for n in range(1, 200)] == list(range(1, 200))
    assert roman_to_int("XLI") == 41
    assert roman_to_int("XXXVIII") == 38
    assert int_to_roman(14) == "XIV"
    for bad in ["", "IIII", "IL", "VX", "xiv", "ABC"]:
        with pytest.raises(ValueError):
            roman_to_int(bad)


def test_sort_key() -> None:
    ids = ["1.1.X", "1.10.I", "1.4.1.I", "1.1.II", "1.4.VI", "2.1.I", "1.2.I", "1.1.IX"]
    assert sorted(ids, key=statement_sort_key) == [
        "1.1.II",
        "1.1.IX",
        "1.1.X",
        "1.2.I",
        "1.4.VI",
        "1.4.1.I",
        "1.10.I",
        "2.1.I",
    ]
    for bad in ["1.I", "1.1", "1.1.i", "0.1.I", "1.1.IIII", "A.1.I"]:
        with pytest.raises(ValueError):
            statement_sort_key(bad)


# --- builder refuses to guess -------------------------------------------------------------


def test_builder_rejects_a_numbering_gap(seed_text: str) -> None:
    broken = seed_text.replace("\nIII. The strategy emphasises", "\nIV. The strategy emphasises")
    assert broken != seed_text
    with pytest.raises(ValueError, match="expected statement III"):
        build_edition_from_seed(broken)
