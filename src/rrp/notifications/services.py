"""Telling people: in-app notifications, and email when RRP_EMAIL_HOST is set.

Every write here is audited in its own transaction, like every other write in RRP. Email is
sent at most once an hour to a person (what arrives meanwhile waits for the next one) and says
only where to look: ward, reference and duty, never a patient's name (DSPT; the subject line
is what a locked phone shows).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, Final

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from rrp.audit.models import AuditAction
from rrp.audit.services import Actor, audit_record, system_actor
from rrp.notifications.models import Notification

logger = logging.getLogger(__name__)

EMAIL_AT_MOST_EVERY: Final = dt.timedelta(hours=1)
EMAIL_NOTHING_OLDER_THAN: Final = dt.timedelta(hours=24)


def people_with_roles(organisation: Any, ward: Any, roles: Iterable[str]) -> list[Any]:
    """Who holds each role for this ward: those whose home ward it is; where nobody with a
    role works on the ward, everyone with that role and no home ward (doctors on call, the
    lead), so a duty never goes unheard."""
    User = get_user_model()
    found: dict[int, Any] = {}
    for role in roles:
        members = User.objects.filter(
            is_active=True, memberships__organisation=organisation, memberships__role=role,
            memberships__is_active=True,
        )
        on_ward = list(members.filter(memberships__home_ward=ward).distinct())
        people = on_ward or list(members.filter(memberships__home_ward__isnull=True).distinct())
        for person in people:
            found[person.pk] = person
    return [found[pk] for pk in sorted(found)]


def notify(
    *,
    organisation: Any,
    recipients: Sequence[Any],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    duty: Any = None,
    now: dt.datetime | None = None,
    actor: Actor | None = None,
) -> list[Notification]:
    """One notification to each recipient who has not already had this one for this duty."""
    now = now or timezone.now()
    made: list[Notification] = []
    with transaction.atomic():
        for person in recipients:
            if duty is not None and Notification.objects.filter(
                recipient=person, duty=duty, kind=kind
            ).exists():
                continue
            try:
                with transaction.atomic():
                    made.append(Notification.objects.create(
                        organisation=organisation, recipient=person, kind=kind, title=title,
                        body=body, link=link, duty=duty, created_at=now,
                    ))
            except IntegrityError:
                continue  # another worker told them in the same moment
        if made:
            audit_record(
                actor=actor or system_actor(), action=AuditAction.CREATE,
                organisation=organisation, object_type="notifications.notification",
                object_id=made[0].pk,
                summary=f"{title}: {len(made)} notified",
                after={"recipients": [n.recipient_id for n in made], "kind": kind},
            )
    return made


def unread_count(user: Any, organisation: Any) -> int:
    if organisation is None or not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.for_organisation(organisation).filter(
        recipient=user, read_at__isnull=True).count()


def mark_read(
    *, actor: Actor, organisation: Any, ids: Iterable[int] | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Mark the actor's own notifications read (all of them when `ids` is None)."""
    now = now or timezone.now()
    with transaction.atomic():
        mine = Notification.objects.for_organisation(organisation).filter(
            recipient=actor.user, read_at__isnull=True)  # type: ignore[misc]
        if ids is not None:
            mine = mine.filter(pk__in=list(ids))
        count = mine.update(read_at=now)
        if count:
            audit_record(actor=actor, action=AuditAction.CHANGE, organisation=organisation,
                         object_type="notifications.notification",
                         summary=f"{count} notifications marked read")
    return count


def send_emails(*, now: dt.datetime | None = None) -> int:
    """Email each person what they have not yet been emailed, unless they were emailed in
    the last hour. Returns how many emails were sent. Nothing happens without
    RRP_EMAIL_HOST."""
    if not settings.EMAIL_HOST:
        return 0
    now = now or timezone.now()
    waiting = (
        Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True,
                                    created_at__gte=now - EMAIL_NOTHING_OLDER_THAN)
        .exclude(Q(recipient__email="") | Q(recipient__email__isnull=True))
        .select_related("recipient", "organisation")
        .order_by("created_at", "pk")
    )
    by_person: dict[int, list[Notification]] = defaultdict(list)
    for item in waiting:
        by_person[item.recipient_id].append(item)
    if not by_person:
        return 0
    last_sent = dict(
        Notification.objects.filter(recipient_id__in=list(by_person), emailed_at__isnull=False)
        .values("recipient_id").annotate(last=Max("emailed_at")).values_list("recipient_id",
                                                                           "last")
    )
    sent = 0
    for person_id, items in by_person.items():
        last = last_sent.get(person_id)
        if last is not None and now - last < EMAIL_AT_MOST_EVERY:
            continue
        person = items[0].recipient
        subject, message = email_text(items)
        try:
            send_mail(subject=subject, message=message, from_email=settings.DEFAULT_FROM_EMAIL,
                      recipient_list=[person.email])
        except Exception:  # noqa: BLE001 - the in-app list still has them; try next round
            logger.exception("notification email to user %s could not be sent", person_id)
            continue
        with transaction.atomic():
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=now)
            audit_record(actor=system_actor(), action=AuditAction.CHANGE,
                         organisation=items[0].organisation,
                         object_type="notifications.notification", object_id=items[0].pk,
                         summary=f"{len(items)} notifications emailed to user {person_id}")
        sent += 1
    return sent


def email_text(items: Sequence[Notification]) -> tuple[str, str]:
    """The subject and text of one email: a count in the subject, the titles (wards,
    references, duties; never a name) and links in the text."""
    count = len(items)
    subject = (f"RRP: {count} things need your attention" if count > 1
               else "RRP: 1 thing needs your attention")
    site = settings.RRP_SITE_URL.rstrip("/")
    lines = [f"- {n.title}" + (f"\n  {site}{n.link}" if n.link else "") for n in items]
    message = ("These need you in RRP:\n\n" + "\n".join(lines)
               + f"\n\nAll your notifications: {site}/notifications/\n")
    return subject, message
