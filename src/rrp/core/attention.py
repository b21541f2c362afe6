"""What needs a person's attention, for the home page.

Each capability registers a function that looks at the current organisation and the user's
roles and returns the things they should act on. The home page shows them in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class AttentionItem:
    title: str
    detail: str
    href: str
    count: int
    urgent: bool = False


AttentionSource = Callable[[HttpRequest], list[AttentionItem]]
SOURCES: list[AttentionSource] = []


def register(source: AttentionSource) -> AttentionSource:
    SOURCES.append(source)
    return source


def attention_for(request: HttpRequest) -> list[AttentionItem]:
    items = [item for source in SOURCES for item in source(request)]
    return sorted(items, key=lambda item: not item.urgent)
