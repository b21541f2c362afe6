"""Writing audit events. Every service that changes or reveals a record calls `audit_record`
inside its own transaction, so the record and its audit event commit or fail together."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models, transaction
from django.utils import timezone

from rrp.audit import chain
from rrp.audit.models import AuditAction, AuditEvent


@dataclass(frozen=True)
class Actor:
    """Who is acting, from where. Built once per request, API call or CLI command."""

    user: AbstractBaseUser | None
    ip_address: str | None = None
    via: str = "web"

    @property
    def username(self) -> str:
        if self.user is None or isinstance(self.user, AnonymousUser):
            return ""
        return str(self.user.get_username())


def system_actor() -> Actor:
    return Actor(user=None, via="cli")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """The stored field values of a model, as JSON-safe data for before/after."""
    skip = set(exclude)
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in skip:
            continue
        data[field.attname] = _plain(getattr(instance, field.attname))
    return data


def audit_record(
    *,
    actor: Actor,
    action: AuditAction | str,
    organisation: models.Model | None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    summary: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    user = actor.user if actor.user is not None and actor.user.is_authenticated else None
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor_id=user.pk if user is not None else None,
        actor_username=actor.username,
        organisation_id=organisation.pk if organisation is not None else None,
        action=str(action),
        object_type=object_type,
        object_id=str(object_id),
        summary=summary[:300],
        before=_plain(dict(before)) if before is not None else None,
        after=_plain(dict(after)) if after is not None else None,
        ip_address=actor.ip_address,
        via=actor.via,
    )
    with transaction.atomic():
        _lock_chain()
        event.previous_hash = chain_head()
        event.hash = chain.event_hash(_content(event))
        event.save()
    return event


# Any constant: the key of the PostgreSQL advisory lock that puts audit events in one line.
_CHAIN_LOCK = 0x52525041  # "RRPA"


def _lock_chain() -> None:
    """One writer at a time takes the chain's head until its transaction ends, so two events
    never link to the same predecessor. SQLite's IMMEDIATE transactions already hold the
    database's write lock; PostgreSQL needs a transaction-scoped advisory lock."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])


def chain_head() -> str:
    """The hash of the newest audit event (the genesis value before the first)."""
    newest = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    return newest or chain.GENESIS


def _content(event: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in chain.CONTENT_FIELDS}


def audit_verify() -> chain.Verdict:
    """Check the whole trail's chain, oldest first, reading it in pages."""
    fields = ("id", "hash", *chain.CONTENT_FIELDS)

    def events() -> Iterator[dict[str, Any]]:
        after = 0
        while True:
            newer = AuditEvent.objects.filter(id__gt=after).order_by("id")
            page = list(newer.values(*fields)[:2000])
            if not page:
                return
            yield from page
            after = page[-1]["id"]

    return chain.verify(events())


def audit_created(
    *, actor: Actor, organisation: models.Model | None, obj: models.Model, summary: str
) -> AuditEvent:
    """A record was added: the event keeps all of it, as it was saved."""
    return audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        organisation=organisation,
        obj=obj,
        summary=summary,
        after=snapshot(obj),
    )


def audit_changed(
    *,
    actor: Actor,
    organisation: models.Model | None,
    obj: models.Model,
    summary: str,
    before: Mapping[str, Any],
) -> AuditEvent:
    """A record was changed: the event keeps it as it was (`before`, a `snapshot` taken before
    the change) and as it now is."""
    return audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        organisation=organisation,
        obj=obj,
        summary=summary,
        before=before,
        after=snapshot(obj),
    )


@transaction.atomic
def audit_view(
    *, actor: Actor, organisation: models.Model, obj: models.Model, summary: str = ""
) -> AuditEvent:
    """Every view of a patient-identifiable page or API record leaves an event."""
    return audit_record(
        actor=actor, action=AuditAction.VIEW, organisation=organisation, obj=obj, summary=summary
    )


def audit_list_view(
    *,
    actor: Actor,
    organisation: models.Model,
    object_type: str,
    summary: str,
    query: Mapping[str, Any],
    ids: Iterable[int],
) -> AuditEvent:
    """A list or search that showed identifiable records (patients, uses of force): one event
    with the query asked and the ids of every record shown (issue 11: a 1,000-patient API read
    left no trace)."""
    shown = list(ids)
    return audit_record(
        actor=actor, action=AuditAction.VIEW, organisation=organisation,
        object_type=object_type, summary=f"{summary}: {len(shown)} shown",
        after={"query": {str(k): v for k, v in query.items()}, "ids": shown},
    )
