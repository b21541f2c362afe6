"""The audit trail as a non-clinical administrator reads it: patients' local identifiers in
event summaries ("Patient NG00279 added") are hidden, as every other page hides them from roles
without patient access (issue 11). The stored event is never changed; only what is shown."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rrp.organisations.models import Organisation
from rrp.patients.models import Patient

HIDDEN = "[patient]"
_WORD = re.compile(r"[^\s,;:()]+")


def summaries_for(summaries: Iterable[str], organisation: Organisation, *, identifiable: bool
                  ) -> list[str]:
    """Each summary as this reader may see it: unchanged for those who may see patients, with
    every local identifier of the organisation's patients replaced by [patient] otherwise."""
    texts = list(summaries)
    if identifiable:
        return texts
    words = {word for text in texts for word in _WORD.findall(text)}
    local_ids = set(Patient.objects.filter(organisation=organisation, local_id__in=words)
                    .values_list("local_id", flat=True))
    if not local_ids:
        return texts
    return [_WORD.sub(lambda m: HIDDEN if m.group() in local_ids else m.group(), text)
            for text in texts]
