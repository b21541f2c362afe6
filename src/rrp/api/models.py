"""What the API keeps for itself (not clinical records): the answers to POSTs sent with an
Idempotency-Key, so a client that retries after losing the answer gets the first one instead
of a second record (rrp.api.idempotency, issue 11)."""

from __future__ import annotations

from django.db import models


class IdempotentRequest(models.Model):
    # Whose key: the hash of the bearer token it came with (the token itself is never kept).
    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    body_sha256 = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    # The first answer as sent. It holds what the record it created holds, so it is kept only
    # for RETENTION (rrp.api.idempotency) and then deleted: it is a copy, not the record.
    response = models.TextField()
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="api_idempotency_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"
