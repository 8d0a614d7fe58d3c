"""The printable sheets of supervision, HTML templates rendered to PDF by
`sikumi.core.pdf.render` (cached by content): the health-assessment result and the receipt of
a service case's documents (tanda terima). Both are official outputs: letterhead and signature
block (`sikumi.core.letterhead`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from sikumi.core.letterhead import (
    SIGNATORY_PARAM,
    chosen_official,
    named_official,
    official_context,
    signatory,
)
from sikumi.core.pdf import render
from sikumi.supervision.models import HealthAssessment, ServiceCase


@lru_cache(maxsize=2)
def _stylesheet_text(path: str, mtime: float) -> str:
    return Path(path).read_text(encoding="utf-8")


def _stylesheets() -> list[str]:
    # Given as text: the PDF fetches nothing, and the text is part of the cache key.
    path = finders.find("supervision/print.css")
    if not isinstance(path, str):
        return []
    return [_stylesheet_text(path, Path(path).stat().st_mtime)]


def assessment_pdf(
    request: HttpRequest | None, assessment: HealthAssessment, inputs: list[dict[str, Any]]
) -> bytes:
    """A4 sheet with every component, aspect and the total, signed by the Kepala Dinas or
    the official named by ``?penandatangan=``; footer "Halaman X dari Y"."""
    chosen = request.GET.get(SIGNATORY_PARAM) if request is not None else None
    html = render_to_string(
        "supervision/assessment_print.html",
        {
            "assessment": assessment,
            "result": assessment.result,
            "inputs": inputs,
            "printed_at": timezone.localtime(),
            **official_context(signatory(chosen_official(chosen))),
        },
    )
    return render(html, css=_stylesheets())


def _received(requirement: Any) -> bool:
    """A requirement counts as received when its file is on record or it was checked as met."""
    return bool(requirement.file) or bool(requirement.fulfilled)


def case_receipt_pdf(request: HttpRequest, case: ServiceCase) -> bytes:
    """The tanda terima of a service case: applicant, case number, kind of service, date
    received, each requirement ticked as received or marked missing; signed by the applicant
    (handing over) and the receiving officer: the case's officer, else the user printing, or
    the official named by ``?penandatangan=``."""
    requirements = [
        {"requirement": r, "received": _received(r)}
        for r in case.requirements.active().order_by("order", "id")
    ]
    officer = named_official(request.GET.get(SIGNATORY_PARAM)) or case.officer or request.user
    missing_mandatory = [
        x["requirement"] for x in requirements if x["requirement"].mandatory and not x["received"]
    ]
    html = render_to_string(
        "supervision/case_receipt_print.html",
        {
            "case": case,
            "requirements": requirements,
            "received_count": sum(1 for x in requirements if x["received"]),
            "missing_mandatory": missing_mandatory,
            **official_context(
                signatory(
                    officer,  # type: ignore[arg-type]
                    default_position=_("Petugas Penerima Berkas"),
                    heading=_("Yang menerima,"),
                )
            ),
        },
    )
    return render(html, css=_stylesheets())
