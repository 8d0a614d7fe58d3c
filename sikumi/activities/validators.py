"""Checks of an activities record shared by the model's `clean()`, forms, the API and the
imports: each rule between fields lives here once, over plain values."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from sikumi.activities import choices as c


def participant_problems(*, attendance: Any, outcome: Any) -> dict[str, list[str]]:
    """Problems between a training participant's attendance and outcome."""
    if outcome == c.Outcome.BERSERTIFIKAT and attendance != c.Attendance.HADIR:
        return {"outcome": [_("Peserta yang tidak hadir tidak dapat bersertifikat.")]}
    return {}
