from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "sikumi.plans"
    verbose_name = _("Renstra")

    def ready(self) -> None:
        from sikumi.accounts import access
        from sikumi.core.navigation import register

        register("perencanaan", _("Renstra"), "plans:cascade", access.is_internal, order=10)
        register("perencanaan", _("Pemeriksa Renstra"), "plans:check", access.is_internal, order=11)
        register("laporan", _("Tabel Renstra"), "plans:tables", access.is_internal, order=10)
