"""The printable result sheet of a health assessment: HTML template -> PDF with WeasyPrint."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from sikumi.supervision.models import HealthAssessment


def assessment_pdf(
    request: HttpRequest | None, assessment: HealthAssessment, inputs: list[dict[str, Any]]
) -> bytes:
    """A4 sheet with every component, aspect and the total; footer "Halaman X dari Y"."""
    from weasyprint import CSS, HTML

    html = render_to_string(
        "supervision/assessment_print.html",
        {
            "assessment": assessment,
            "result": assessment.result,
            "inputs": inputs,
            "printed_at": timezone.localtime(),
        },
        request=request,
    )
    stylesheet = finders.find("supervision/print.css")
    stylesheets = [CSS(filename=stylesheet)] if isinstance(stylesheet, str) else []
    return HTML(
        string=html, base_url=str(request.build_absolute_uri("/")) if request else None
    ).write_pdf(stylesheets=stylesheets)
