from typing import Any

from django.conf import settings
from django.http import HttpRequest

from sikumi.core.navigation import menu_for


def sikumi(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    menu = menu_for(user, request.path) if user is not None and user.is_authenticated else []
    return {
        "instance_name": settings.SIKUMI_INSTANCE_NAME,
        "menu": menu,
        # On a phone the menu is closed: its toggle shows how many things wait behind it.
        "menu_count": sum(section.count for section in menu),
    }
