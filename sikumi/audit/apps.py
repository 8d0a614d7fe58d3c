from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "sikumi.audit"
    verbose_name = _("Jejak audit")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from sikumi.accounts import access
        from sikumi.core import navigation

        navigation.register("pengaturan", _("Jejak audit"), "audit:list", access.can_view_audit, 20)
