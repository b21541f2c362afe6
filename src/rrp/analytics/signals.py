"""What the figures announce, for whoever draws from them (issue 12: "a house without a
circle"). rrp.analytics.summaries keeps the figures and knows nothing of charts; it sends
these signals, and drawing (rrp.analytics.drawing_ahead) listens, connected in apps.ready.

Both are sent inside the writer's transaction; a listener that acts later uses
transaction.on_commit, so nothing happens for a write that rolls back.
"""

from __future__ import annotations

from django.dispatch import Signal

# The summaries must catch up with a change: `marker` is the SummaryDirty just saved.
summaries_marked_dirty = Signal()

# The first read of a new month found the summaries' open month behind: `organisation_id`.
new_month_reached = Signal()
