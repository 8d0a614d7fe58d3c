"""The Dinas indicators' section of the indicators page, as a tag, so the Renstra page's view
does not change: `{% load indicators_custom %}{% custom_indicator_section %}`."""

from typing import Any

from django import template

from sikumi.accounts import access
from sikumi.indicators import selectors
from sikumi.indicators.models import CustomIndicator

register = template.Library()


@register.inclusion_tag("indicators/custom_section.html", takes_context=True)
def custom_indicator_section(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    period = context["period"]
    return {
        "rows": selectors.custom_indicator_rows(user=user, period=period),
        "period": period,
        "query": context.get("query", ""),
        "can_compute": access.can_manage_plan(user),
        "can_create": access.can_create(user, CustomIndicator),
        "csrf_token": context.get("csrf_token"),
    }
