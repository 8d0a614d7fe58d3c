from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sikumi.accounts"
    verbose_name = _("Organisasi dan pengguna")

    def ready(self) -> None:
        from sikumi.accounts import access
        from sikumi.core import navigation

        navigation.register("pengaturan", _("Unit kerja"), "accounts:units", access.is_internal, 10)
        navigation.register(
            "pengaturan",
            _("Pengguna dan peran"),
            "admin:accounts_user_changelist",
            access.can_manage_organisation,
            30,
        )
