"""Pages of API lists: a documented largest page, and an audit event for every page of
identifiable records (patients, uses of force) naming what was asked and which records were
shown (issue 11)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_PAGE = 200
DEFAULT_PAGE = 100
# Past any list's length: a larger offset is a mistake (or a probe), refused as a 422.
MAX_OFFSET = 10_000_000

# What audits one page: (request, the records shown, the page asked for).
PageAudit = Callable[[HttpRequest, list[Any], dict[str, Any]], None]


class AuditedPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(DEFAULT_PAGE, ge=1, le=MAX_PAGE,
                           description=f"How many records in the page, at most {MAX_PAGE}")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many records to skip")

    def __init__(self, *, audit: PageAudit | None = None, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)
        self.audit = audit

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest,
                          **params: Any) -> Any:
        offset, limit = pagination.offset, min(pagination.limit, MAX_PAGE)
        items = list(queryset[offset:offset + limit])
        if self.audit is not None:
            self.audit(request, items, {"limit": limit, "offset": offset,
                                        **{k: v for k, v in request.GET.items()
                                           if k not in {"limit", "offset"}}})
        return {"items": items, "count": self._items_count(queryset)}
