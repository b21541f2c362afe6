"""Organisation scoping: every record of a provider is read through its organisation.

`OrganisationScopedQuerySet.for_organisation(org)` is the only way views and the API load
clinical records; `get_in_organisation` turns another provider's id into a 404, never a 403,
so ids reveal nothing.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


class OrganisationScopedQuerySet(models.QuerySet[M]):
    def for_organisation(self, organisation: Any) -> OrganisationScopedQuerySet[M]:
        if organisation is None:
            return self.none()
        return self.filter(organisation=organisation)


def get_in_organisation(queryset: models.QuerySet[M], organisation: Any, **lookup: Any) -> M:
    if organisation is None:
        raise Http404("No organisation")
    try:
        return queryset.filter(organisation=organisation).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None
