"""The last guard of the one set of text limits (rrp.core.signals, issue 11): whatever path a
write takes, text that one database would refuse and the other store is refused before either
sees it, naming the field. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from rrp.core.limits import UNREADABLE_CHARACTERS
from rrp.organisations.models import Ward


@pytest.mark.parametrize("name", ["Oak\x00Ward", "Oak \udc80 Ward"])
def test_unreadable_text_is_refused_on_save_naming_the_field(
    organisation: Any, name: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        Ward(organisation=organisation, code="NEW", name=name, beds=10).save()
    assert refused.value.message_dict == {"name": [UNREADABLE_CHARACTERS]}
    assert not Ward.objects.filter(code="NEW").exists()


def test_text_over_the_column_is_refused_on_save_on_sqlite_too(organisation: Any) -> None:
    limit = Ward._meta.get_field("code").max_length
    with pytest.raises(ValidationError) as refused:
        Ward(organisation=organisation, code="W" * 100_000, name="Long", beds=10).save()
    assert refused.value.message_dict == {
        "code": [f"This is too long: at most {limit:,} characters"]
    }
