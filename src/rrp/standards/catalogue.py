"""Catalogue of the National Minimum Standards for Restrictive Interventions Reduction Plans.

Pure Python (no Django). Two halves:

* **Loader** - :func:`load_edition` reads a committed, versioned data file
  (``rrp/standards/data/<edition>.json``, shipped as package data) into frozen dataclasses.
* **Builder** - :func:`build_edition_from_seed` parses the plain text extracted from the
  standards PDF into the JSON-ready structure the loader reads. It is kept so a later
  edition can be built the same way::

      python -m rrp.standards.catalogue build /path/to/seed.txt > src/rrp/standards/data/<ed>.json

Statement ids are ``<section>.<subsection>[.<subsubsection>].<ROMAN>``, e.g. ``1.1.I``,
``1.4.1.III``, ``3.4.2.XLI``. :func:`statement_sort_key` sorts them in document order
(a subsection's own statements come before those of its numbered children, so ``1.4.VI``
precedes ``1.4.1.I``, and ``1.1.II`` precedes ``1.1.X``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

__all__ = [
    "DEFAULT_EDITION",
    "Edition",
    "PledgeActionPlan",
    "PledgePriorities",
    "PledgeStrategy",
    "PolicyAppendix",
    "Section",
    "Statement",
    "SubPoint",
    "Subsection",
    "available_editions",
    "build_edition_from_seed",
    "dump_edition_json",
    "int_to_roman",
    "load_edition",
    "normalise_text",
    "parse_statement_id",
    "roman_to_int",
    "statement_sort_key",
]

DEFAULT_EDITION = "nms-2019-12"
DEFAULT_TITLE = "National Minimum Standards for Restrictive Interventions Reduction Plans"
PLEDGE_TITLE = "Restraint Reduction Network Pledge Action Plan"

_DATA_PACKAGE = "rrp.standards"
_DATA_DIR = "data"
_EDITION_NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# ---------------------------------------------------------------------------
# Roman numerals and statement ids
# ---------------------------------------------------------------------------

_ROMAN_RE = re.compile(r"^M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_PAIRS = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)

STATEMENT_ID_RE = re.compile(r"^(?P<subsection>[1-9]\d*(?:\.[1-9]\d*)+)\.(?P<numeral>[IVXLCDM]+)$")


def roman_to_int(numeral: str) -> int:
    """Convert a canonical upper-case Roman numeral (``"XLI"``) to an int (``41``)."""
    if not numeral or not _ROMAN_RE.match(numeral):
        raise ValueError(f"not a canonical Roman numeral: {numeral!r}")
    total = 0
    for index, char in enumerate(numeral):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


def int_to_roman(number: int) -> str:
    """Convert 1..3999 to a canonical upper-case Roman numeral."""
    if not 1 <= number <= 3999:
        raise ValueError(f"cannot express {number!r} as a Roman numeral")
    parts: list[str] = []
    for value, symbol in _ROMAN_PAIRS:
        count, number = divmod(number, value)
        parts.append(symbol * count)
    return "".join(parts)


def parse_statement_id(statement_id: str) -> tuple[str, int]:
    """Split ``"1.4.1.III"`` into ``("1.4.1", 3)``; raise ``ValueError`` if malformed."""
    match = STATEMENT_ID_RE.match(statement_id)
    if match is None:
        raise ValueError(f"malformed statement id: {statement_id!r}")
    return match["subsection"], roman_to_int(match["numeral"])


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def statement_sort_key(statement_id: str) -> tuple[tuple[int, ...], int]:
    """Sort key putting statement ids in document order.

    ``1.1.II`` < ``1.1.X`` < ``1.2.I``; ``1.4.VI`` < ``1.4.1.I`` (a heading's own statements
    precede those of its numbered sub-headings); ``1.9.I`` < ``1.10.I``.
    """
    subsection, number = parse_statement_id(statement_id)
    return _number_key(subsection), number


# ---------------------------------------------------------------------------
# Frozen dataclasses (the loaded catalogue)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SubPoint:
    label: str
    text: str


@dataclass(frozen=True)
class Statement:
    id: str
    section: str
    subsection: str
    title: str
    text: str
    sub_points: tuple[SubPoint, ...] = ()

    @property
    def numeral(self) -> str:
        return self.id.rsplit(".", 1)[1]

    @property
    def number(self) -> int:
        """Position within its subsection (the Roman numeral as an int)."""
        return roman_to_int(self.numeral)

    @property
    def sort_key(self) -> tuple[tuple[int, ...], int]:
        return statement_sort_key(self.id)


@dataclass(frozen=True)
class Subsection:
    number: str
    title: str
    """The heading's own title; empty where the source numbers a heading without a title
    (3.4.1 and 3.4.2 in nms-2019-12). Statements carry an effective title, see Statement."""
    introduction: str = ""
    """Prose between the heading and its first statement (paragraphs separated by a blank
    line), e.g. the lead-in "Directors and ... ensure the following:"."""

    @property
    def section(self) -> str:
        return self.number.split(".", 1)[0]

    @property
    def parent(self) -> str:
        return self.number.rsplit(".", 1)[0]

    @property
    def introduction_paragraphs(self) -> tuple[str, ...]:
        return _paragraphs(self.introduction)


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    introduction: str
    """Thematic introduction; paragraphs separated by a blank line, single spaces within."""
    subsections: tuple[Subsection, ...]

    @property
    def introduction_paragraphs(self) -> tuple[str, ...]:
        return _paragraphs(self.introduction)


@dataclass(frozen=True)
class PolicyAppendix:
    title: str
    introduction: str
    policy_titles: tuple[str, ...]


_SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
)


@dataclass(frozen=True)
class PledgeStrategy:
    number: int
    name: str
    """As printed in the source (upper case, e.g. ``"LEADERSHIP AND GOVERNANCE"``)."""
    description: str
    prompts: tuple[str, ...]

    @property
    def display_name(self) -> str:
        """Title-cased name for display, e.g. ``"Using Data to Inform Practice"``."""
        words = self.name.lower().split()
        return " ".join(
            word if index and word in _SMALL_WORDS else word[:1].upper() + word[1:]
            for index, word in enumerate(words)
        )


@dataclass(frozen=True)
class PledgePriorities:
    columns: tuple[str, ...]
    rows: tuple[str, ...]


@dataclass(frozen=True)
class PledgeActionPlan:
    title: str
    introduction: str
    fields: tuple[str, ...]
    priorities: PledgePriorities
    strategies: tuple[PledgeStrategy, ...]

    def strategy(self, number: int) -> PledgeStrategy:
        for strategy in self.strategies:
            if strategy.number == number:
                return strategy
        raise KeyError(number)


@dataclass(frozen=True)
class Edition:
    edition: str
    title: str
    published: date
    status: str
    sections: tuple[Section, ...]
    statements: tuple[Statement, ...]
    """In document order."""
    appendix_1: PolicyAppendix
    appendix_2_pledge: PledgeActionPlan
    source_sha256: str = ""
    _by_id: Mapping[str, Statement] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )
    _subsections: Mapping[str, Subsection] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        by_id: dict[str, Statement] = {}
        for statement in self.statements:
            if statement.id in by_id:
                raise ValueError(f"duplicate statement id {statement.id!r}")
            by_id[statement.id] = statement
        subsections = {sub.number: sub for sec in self.sections for sub in sec.subsections}
        object.__setattr__(self, "_by_id", MappingProxyType(by_id))
        object.__setattr__(self, "_subsections", MappingProxyType(subsections))

    @property
    def appendix_1_policy_titles(self) -> tuple[str, ...]:
        return self.appendix_1.policy_titles

    @property
    def statement_ids(self) -> tuple[str, ...]:
        return tuple(statement.id for statement in self.statements)

    def statement(self, statement_id: str) -> Statement:
        """Look a statement up by id; ``KeyError`` if this edition has no such statement."""
        try:
            return self._by_id[statement_id]
        except KeyError:
            raise KeyError(f"{self.edition} has no statement {statement_id!r}") from None

    def has_statement(self, statement_id: str) -> bool:
        return statement_id in self._by_id

    def section(self, number: str) -> Section:
        for section in self.sections:
            if section.number == number:
                return section
        raise KeyError(f"{self.edition} has no section {number!r}")

    def subsection(self, number: str) -> Subsection:
        try:
            return self._subsections[number]
        except KeyError:
            raise KeyError(f"{self.edition} has no subsection {number!r}") from None

    def statements_in_section(self, number: str) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if s.section == number)

    def statements_in_subsection(self, number: str) -> tuple[Statement, ...]:
        """Statements sitting directly under heading ``number`` (not its sub-headings)."""
        return tuple(s for s in self.statements if s.subsection == number)

    def __iter__(self) -> Iterator[Statement]:
        return iter(self.statements)

    def __len__(self) -> int:
        return len(self.statements)


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.split("\n\n") if part)


# ---------------------------------------------------------------------------
# Loader
# ---------------------------------------------------------------------------


def _check_edition_name(edition: str) -> None:
    if not _EDITION_NAME_RE.match(edition):
        raise ValueError(f"invalid edition name: {edition!r}")


def available_editions() -> tuple[str, ...]:
    """Names of the editions shipped as package data, sorted."""
    directory = resources.files(_DATA_PACKAGE).joinpath(_DATA_DIR)
    names = (
        entry.name[: -len(".json")]
        for entry in directory.iterdir()
        if entry.name.endswith(".json") and entry.is_file()
    )
    return tuple(sorted(names))


def read_edition_json(edition: str = DEFAULT_EDITION) -> str:
    """The committed data file's text (UTF-8)."""
    _check_edition_name(edition)
    resource = resources.files(_DATA_PACKAGE).joinpath(_DATA_DIR, f"{edition}.json")
    if not resource.is_file():
        raise LookupError(f"no standards data file for edition {edition!r}")
    return resource.read_text(encoding="utf-8")


@lru_cache(maxsize=8)
def load_edition(edition: str = DEFAULT_EDITION) -> Edition:
    """Load an edition of the standards from package data (cached; the result is immutable)."""
    data = json.loads(read_edition_json(edition))
    loaded = edition_from_dict(data)
    if loaded.edition != edition:
        raise ValueError(f"data file {edition}.json declares edition {loaded.edition!r}")
    return loaded


def _str(mapping: Mapping[str, Any], key: str) -> str:
    value = mapping[key]
    if not isinstance(value, str):
        raise TypeError(f"expected a string for {key!r}, got {type(value).__name__}")
    return value


def _strs(mapping: Mapping[str, Any], key: str) -> tuple[str, ...]:
    values = mapping[key]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise TypeError(f"expected a list of strings for {key!r}")
    return tuple(values)


def edition_from_dict(data: Mapping[str, Any]) -> Edition:
    """Build the dataclasses from the JSON structure written by the builder."""
    sections = tuple(
        Section(
            number=_str(sec, "number"),
            title=_str(sec, "title"),
            introduction=_str(sec, "introduction"),
            subsections=tuple(
                Subsection(
                    number=_str(sub, "number"),
                    title=_str(sub, "title"),
                    introduction=_str(sub, "introduction"),
                )
                for sub in sec["subsections"]
            ),
        )
        for sec in data["sections"]
    )
    statements = tuple(
        Statement(
            id=_str(st, "id"),
            section=_str(st, "section"),
            subsection=_str(st, "subsection"),
            title=_str(st, "title"),
            text=_str(st, "text"),
            sub_points=tuple(
                SubPoint(label=_str(sp, "label"), text=_str(sp, "text"))
                for sp in st.get("sub_points", ())
            ),
        )
        for st in data["statements"]
    )
    appendix_1 = data["appendix_1"]
    pledge = data["appendix_2_pledge"]
    priorities = pledge["priorities"]
    return Edition(
        edition=_str(data, "edition"),
        title=_str(data, "title"),
        published=date.fromisoformat(_str(data, "published")),
        status=_str(data, "status"),
        sections=sections,
        statements=statements,
        appendix_1=PolicyAppendix(
            title=_str(appendix_1, "title"),
            introduction=_str(appendix_1, "introduction"),
            policy_titles=_strs(data, "appendix_1_policy_titles"),
        ),
        appendix_2_pledge=PledgeActionPlan(
            title=_str(pledge, "title"),
            introduction=_str(pledge, "introduction"),
            fields=_strs(pledge, "fields"),
            priorities=PledgePriorities(
                columns=_strs(priorities, "columns"), rows=_strs(priorities, "rows")
            ),
            strategies=tuple(
                PledgeStrategy(
                    number=int(strategy["number"]),
                    name=_str(strategy, "name"),
                    description=_str(strategy, "description"),
                    prompts=_strs(strategy, "prompts"),
                )
                for strategy in pledge["strategies"]
            ),
        ),
        source_sha256=str(data.get("source_sha256", "")),
    )


# ---------------------------------------------------------------------------
# Builder: seed text (extracted from the PDF) -> JSON-ready dict
# ---------------------------------------------------------------------------

_SECTION_RE = re.compile(r"^\s*Section\s+(\d+)\s*:[ \t]*(.*)$")
_HEADING_RE = re.compile(r"^\s*(\d+(?:\.\d+)+)(?:[ \t]+(.*))?$")
_STATEMENT_RE = re.compile(r"^\s*([IVXLCDM]+)\.\s+(.*)$")
_SUB_POINT_RE = re.compile(r"^\s*([a-z])\.\s+(.*)$")
_APPENDIX_RE = re.compile(r"^\s*Appendix\s+(\d+)\s*$")
_BULLET_RE = re.compile(r"^\s*[\u00b7\u2022]\s+(.*)$")
_STANDALONE_URL_RE = re.compile(r"^\s*https?://\S+\s*$")
_FOOTER_RE = re.compile(
    r"^\s*(?P<status>Draft|Final|Consultation)?\s*"
    r"(?P<date>\d{1,2}\s+[A-Z][a-z]+\s+\d{4})\s+\d{1,3}\s*$"
)
_STRATEGY_RE = re.compile(r"^\s*Strategy\s+(\d+)\s*:\s*(.+?)\s*>\s*(.*)$", re.DOTALL)
_ROW_RE = re.compile(r"^\d+\.$")
# A word broken across a line end: "estab-\nlished", "non- \nexecutive".
# (The extraction sometimes puts a blank line inside a statement, so allow several breaks.)
_LINE_BREAK_HYPHEN_RE = re.compile(r"([A-Za-z]+)-([ \t]*)\n\s*([A-Za-z]+)")
# A slash-joined list broken after the slash: "spiritual/\nreligious/faith".
_LINE_BREAK_SLASH_RE = re.compile(r"(?<=\S)/[ \t]*\n\s*(?=\S)")
_WORD_RE = re.compile(r"[A-Za-z]+")
_COMPOUND_RE = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)+")


@dataclass(frozen=True)
class _Vocabulary:
    """Words seen in the whole seed, used to decide how to re-join line-break hyphens."""

    words: frozenset[str]
    compounds: frozenset[str]

    @classmethod
    def from_text(cls, text: str) -> _Vocabulary:
        # Leave the broken words themselves out, so they cannot vouch for themselves.
        unbroken = _LINE_BREAK_HYPHEN_RE.sub(" ", text)
        return cls(
            words=frozenset(w.lower() for w in _WORD_RE.findall(unbroken)),
            compounds=frozenset(c.lower() for c in _COMPOUND_RE.findall(unbroken)),
        )

    def join(self, head: str, trailing_space: str, tail: str) -> str:
        """Re-join ``head-`` at a line end with ``tail`` on the next line.

        The PDF extraction leaves trailing blanks after a hyphen that was really printed
        ("non- ", "post- "), so those keep the hyphen. Otherwise the hyphen is a word split
        ("estab-lished") unless the document never uses the joined word but does use the
        hyphenated compound, or both halves as words ("organisation-wide").
        """
        joined = head + tail
        if trailing_space:
            return f"{head}-{tail}"
        if joined.lower() in self.words:
            return joined
        if f"{head}-{tail}".lower() in self.compounds:
            return f"{head}-{tail}"
        if head.lower() in self.words and tail.lower() in self.words:
            return f"{head}-{tail}"
        return joined


def normalise_text(text: str, vocabulary: _Vocabulary | None = None) -> str:
    """Re-join words split across lines and collapse all whitespace to single spaces.

    ``vocabulary`` defaults to the words of ``text`` itself; the builder passes the whole
    seed's vocabulary so that every fragment is judged against the full document.
    """
    vocab = vocabulary if vocabulary is not None else _Vocabulary.from_text(text)
    rejoined = _LINE_BREAK_HYPHEN_RE.sub(lambda m: vocab.join(m[1], m[2], m[3]), text)
    rejoined = _LINE_BREAK_SLASH_RE.sub("/", rejoined)
    return " ".join(rejoined.split())


def _is_blank(line: str) -> bool:
    return not line.strip()


def _is_page_furniture(line: str) -> bool:
    return bool(_FOOTER_RE.match(line) or _STANDALONE_URL_RE.match(line))


def _split_blocks(lines: Sequence[str]) -> list[list[str]]:
    """Group lines into blank-line separated blocks."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if _is_blank(line):
            if current:
                blocks.append(current)
                current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _paragraph_text(lines: Sequence[str], vocab: _Vocabulary) -> str:
    """Normalise prose; blank-line separated paragraphs are kept apart by one blank line."""
    return "\n\n".join(normalise_text("\n".join(block), vocab) for block in _split_blocks(lines))


def _continues_title(title_so_far: str, line: str, next_line: str | None) -> bool:
    """Whether ``line`` continues a (section or subsection) heading's title.

    Titles wrap onto a following line that starts in lower case, follows a hyphen, or is a
    short unpunctuated fragment standing alone before a blank line
    ("Team Compliance Standard"). Lead-in prose ("These should address the following:")
    and statements never continue a title.
    """
    stripped = line.strip()
    if not stripped:
        return False
    if _STATEMENT_RE.match(line) or _HEADING_RE.match(line) or _SECTION_RE.match(line):
        return False
    if title_so_far.rstrip().endswith("-") or stripped[0].islower():
        return True
    alone = next_line is None or _is_blank(next_line)
    return alone and not stripped.endswith((".", ":", ";")) and len(stripped.split()) <= 6


def _valid_next_headings(current: str | None, section: str) -> set[str]:
    """Heading numbers that may legitimately follow heading ``current`` in ``section``."""
    if current is None:
        return {f"{section}.1"}
    parts = [int(p) for p in current.split(".")]
    candidates = {".".join(map(str, parts)) + ".1"}
    for depth in range(2, len(parts) + 1):
        prefix = parts[:depth]
        prefix[-1] += 1
        candidates.add(".".join(map(str, prefix)))
    return candidates


@dataclass
class _StatementDraft:
    id: str
    section: str
    subsection: str
    title: str
    lines: list[str]


@dataclass
class _SubsectionDraft:
    number: str
    title: str
    intro_lines: list[str] = field(default_factory=list)
    statement_count: int = 0


@dataclass
class _SectionDraft:
    number: str
    title: str
    intro_lines: list[str] = field(default_factory=list)
    subsections: list[_SubsectionDraft] = field(default_factory=list)


def _read_title(
    lines: Sequence[str], start: int, first: str, vocab: _Vocabulary
) -> tuple[str, int]:
    """Read a heading title starting with ``first`` on line ``start``; return it and the
    index of the first line after the title."""
    raw = [first]
    index = start + 1
    while index < len(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        if not _continues_title("\n".join(raw), lines[index], following):
            break
        raw.append(lines[index])
        index += 1
    return normalise_text("\n".join(raw), vocab), index


def _effective_title(number: str, titles: Mapping[str, str]) -> str:
    """The heading's title, or the nearest titled ancestor's for an untitled heading."""
    candidate = number
    while "." in candidate:
        if titles.get(candidate):
            return titles[candidate]
        candidate = candidate.rsplit(".", 1)[0]
    raise ValueError(f"no titled heading at or above {number!r}")


def _statement_dict(draft: _StatementDraft, vocab: _Vocabulary) -> dict[str, Any]:
    text = normalise_text("\n".join(draft.lines), vocab)
    sub_points: list[dict[str, str]] = []
    current: list[str] | None = None
    groups: list[tuple[str, list[str]]] = []
    for line in draft.lines[1:]:
        match = _SUB_POINT_RE.match(line)
        expected = chr(ord("a") + len(groups))
        if match and match[1] == expected:
            current = [match[2]]
            groups.append((expected, current))
        elif current is not None:
            current.append(line)
    for label, group in groups:
        sub_points.append({"label": label, "text": normalise_text("\n".join(group), vocab)})
    result: dict[str, Any] = {
        "id": draft.id,
        "section": draft.section,
        "subsection": draft.subsection,
        "title": draft.title,
        "text": text,
    }
    if sub_points:
        result["sub_points"] = sub_points
    return result


def _parse_standards(
    lines: Sequence[str], vocab: _Vocabulary
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Parse the lines from the first ``Section 1:`` heading up to ``Appendix 1``."""
    sections: list[_SectionDraft] = []
    drafts: list[_StatementDraft] = []
    section: _SectionDraft | None = None
    subsection: _SubsectionDraft | None = None
    statement: _StatementDraft | None = None
    titles: dict[str, str] = {}

    index = 0
    while index < len(lines):
        line = lines[index]
        section_match = _SECTION_RE.match(line)
        heading_match = _HEADING_RE.match(line)
        statement_match = _STATEMENT_RE.match(line)

        if section_match:
            number = section_match[1]
            expected_section = str(len(sections) + 1)
            if number != expected_section:
                raise ValueError(f"expected Section {expected_section}, found {line.strip()!r}")
            title, index = _read_title(lines, index, section_match[2], vocab)
            section = _SectionDraft(number=number, title=title)
            sections.append(section)
            subsection = statement = None
            continue

        if section is None:
            raise ValueError(f"text before the first section heading: {line.strip()!r}")

        if heading_match and heading_match[1].startswith(f"{section.number}."):
            number = heading_match[1]
            current = subsection.number if subsection else None
            if number not in _valid_next_headings(current, section.number):
                raise ValueError(f"unexpected heading number {number!r} after {current!r}")
            title, index = _read_title(lines, index, heading_match[2] or "", vocab)
            subsection = _SubsectionDraft(number=number, title=title)
            section.subsections.append(subsection)
            titles[number] = title
            statement = None
            continue

        if statement_match:
            numeral = statement_match[1]
            if subsection is None:
                raise ValueError(f"statement {numeral!r} outside any numbered heading")
            expected = int_to_roman(subsection.statement_count + 1)
            if numeral != expected:
                raise ValueError(
                    f"in {subsection.number}: expected statement {expected}, "
                    f"found line {line.strip()!r}"
                )
            subsection.statement_count += 1
            statement = _StatementDraft(
                id=f"{subsection.number}.{numeral}",
                section=section.number,
                subsection=subsection.number,
                title="",  # filled in below, once all headings are known
                lines=[statement_match[2]],
            )
            drafts.append(statement)
        elif statement is not None:
            statement.lines.append(line)
        elif subsection is not None:
            subsection.intro_lines.append(line)
        else:
            section.intro_lines.append(line)
        index += 1

    statements = []
    for draft in drafts:
        draft.title = _effective_title(draft.subsection, titles)
        statements.append(_statement_dict(draft, vocab))
    section_dicts = [
        {
            "number": sec.number,
            "title": sec.title,
            "introduction": _paragraph_text(sec.intro_lines, vocab),
            "subsections": [
                {
                    "number": sub.number,
                    "title": sub.title,
                    "introduction": _paragraph_text(sub.intro_lines, vocab),
                }
                for sub in sec.subsections
            ],
        }
        for sec in sections
    ]
    return section_dicts, statements


def _parse_appendix_1(lines: Sequence[str], vocab: _Vocabulary) -> dict[str, Any]:
    """Appendix 1: a title line, an introduction, then ``·`` bulleted policy titles
    (a bullet's wrapped continuation lines belong to it)."""
    first = next((i for i, line in enumerate(lines) if not _is_blank(line)), None)
    if first is None:
        raise ValueError("Appendix 1 is empty")
    title = normalise_text(lines[first], vocab)
    intro: list[str] = []
    items: list[list[str]] = []
    for line in lines[first + 1 :]:
        bullet = _BULLET_RE.match(line)
        if bullet:
            items.append([bullet[1]])
        elif items:
            if not _is_blank(line):
                items[-1].append(line)
        else:
            intro.append(line)
    if not items:
        raise ValueError("Appendix 1 has no bulleted policy titles")
    return {
        "title": title,
        "introduction": _paragraph_text(intro, vocab),
        "policy_titles": [normalise_text("\n".join(item), vocab) for item in items],
    }


def _parse_pledge(lines: Sequence[str], vocab: _Vocabulary) -> dict[str, Any]:
    """Appendix 2: the Restraint Reduction Network Pledge Action Plan form.

    Layout: title; introduction paragraphs; short form fields (one per block); a line
    holding the two column headings of the priorities table, then its numbered rows; then
    one block per core strategy ("Strategy N: NAME > description") followed by its prompt
    blocks ("What is the main priority in this area:" ...).
    """
    if not lines or normalise_text(lines[0], vocab) != PLEDGE_TITLE:
        raise ValueError(f"Appendix 2 should start with {PLEDGE_TITLE!r}")
    title = PLEDGE_TITLE
    rest = [normalise_text("\n".join(block), vocab) for block in _split_blocks(lines[1:])]

    first_row = next((i for i, block in enumerate(rest) if _ROW_RE.match(block)), None)
    if first_row is None or first_row == 0:
        raise ValueError("Appendix 2: no numbered priorities table found")
    header = rest[first_row - 1]
    columns = re.split(r"\s+(?=Our\b)", header)
    if len(columns) < 2:
        raise ValueError(f"Appendix 2: cannot split priorities header {header!r}")
    rows: list[str] = []
    index = first_row
    while index < len(rest) and _ROW_RE.match(rest[index]):
        rows.append(rest[index])
        index += 1

    preamble = rest[: first_row - 1]
    intro = [block for block in preamble if len(block.split()) > 12]
    fields = [block for block in preamble if len(block.split()) <= 12]
    if preamble[: len(intro)] != intro:
        raise ValueError("Appendix 2: introduction and form fields are interleaved")

    strategies: list[dict[str, Any]] = []
    for block in rest[index:]:
        match = _STRATEGY_RE.match(block)
        if match:
            strategies.append(
                {
                    "number": int(match[1]),
                    "name": match[2],
                    "description": match[3],
                    "prompts": [],
                }
            )
        elif strategies:
            strategies[-1]["prompts"].append(block)
        else:
            raise ValueError(f"Appendix 2: unexpected text before the strategies: {block!r}")
    numbers = [strategy["number"] for strategy in strategies]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"Appendix 2: strategies out of order: {numbers}")
    return {
        "title": title,
        "introduction": "\n\n".join(intro),
        "fields": fields,
        "priorities": {"columns": columns, "rows": rows},
        "strategies": strategies,
    }


def _find_line(lines: Sequence[str], pattern: re.Pattern[str], start: int = 0) -> int:
    for index in range(start, len(lines)):
        if pattern.match(lines[index]):
            return index
    raise ValueError(f"no line matching {pattern.pattern!r} after line {start + 1}")


def _publication(lines: Sequence[str]) -> tuple[str | None, str | None]:
    """(ISO date, status) from the running page footer, e.g. ``Draft 14 December 2019  13``."""
    for line in lines:
        match = _FOOTER_RE.match(line)
        if match:
            published = datetime.strptime(" ".join(match["date"].split()), "%d %B %Y").date()
            status = (match["status"] or "final").lower()
            return published.isoformat(), status
    return None, None


def build_edition_from_seed(
    text: str,
    *,
    edition: str = DEFAULT_EDITION,
    title: str = DEFAULT_TITLE,
    published: str | None = None,
    status: str | None = None,
) -> dict[str, Any]:
    """Parse the text extracted from the standards PDF into the edition structure.

    ``published`` (ISO date) and ``status`` default to what the page footer says
    ("Draft 14 December 2019" -> ``"2019-12-14"``, ``"draft"``). Raises ``ValueError`` on
    anything unexpected (numbering gaps, unknown headings) rather than guessing.
    """
    _check_edition_name(edition)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    all_lines = text.split("\n")
    vocab = _Vocabulary.from_text(text)

    footer_date, footer_status = _publication(all_lines)
    published = published or footer_date
    status = status or footer_status
    if published is None or status is None:
        raise ValueError("publication date/status not found in the text; pass them explicitly")
    date.fromisoformat(published)

    lines = [line for line in all_lines if not _is_page_furniture(line)]
    start = _find_line(lines, _SECTION_RE)
    appendix_1_start = _find_line(lines, re.compile(r"^\s*Appendix\s+1\s*$"), start)
    pledge_start = _find_line(
        lines, re.compile(rf"^\s*{re.escape(PLEDGE_TITLE)}\s*$"), appendix_1_start
    )
    appendix_2_label = _find_line(lines, re.compile(r"^\s*Appendix\s+2\s*$"), pledge_start)

    sections, statements = _parse_standards(lines[start:appendix_1_start], vocab)
    appendix_1 = _parse_appendix_1(lines[appendix_1_start + 1 : pledge_start], vocab)
    # The "Appendix 2" page label was extracted after the form's first page; drop it.
    pledge_lines = [*lines[pledge_start:appendix_2_label], *lines[appendix_2_label + 1 :]]
    pledge = _parse_pledge(pledge_lines, vocab)

    return {
        "edition": edition,
        "title": title,
        "published": published,
        "status": status,
        "sections": sections,
        "statements": statements,
        "appendix_1": {"title": appendix_1["title"], "introduction": appendix_1["introduction"]},
        "appendix_1_policy_titles": appendix_1["policy_titles"],
        "appendix_2_pledge": pledge,
        "source_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }


def dump_edition_json(edition: Mapping[str, Any]) -> str:
    """Serialise an edition dict exactly as the committed data files are written."""
    return json.dumps(edition, indent=2, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m rrp.standards.catalogue",
        description="Build a standards edition data file from the seed text (JSON to stdout).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="parse a seed text file")
    build.add_argument("seed", help="path to the text extracted from the standards PDF")
    build.add_argument("--edition", default=DEFAULT_EDITION)
    build.add_argument("--title", default=DEFAULT_TITLE)
    build.add_argument("--published", default=None, help="ISO date; default from page footer")
    build.add_argument("--status", default=None, help="default from page footer (e.g. draft)")
    args = parser.parse_args(argv)

    with open(args.seed, encoding="utf-8") as handle:
        seed = handle.read()
    edition = build_edition_from_seed(
        seed,
        edition=args.edition,
        title=args.title,
        published=args.published,
        status=args.status,
    )
    sys.stdout.buffer.write(dump_edition_json(edition).encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
