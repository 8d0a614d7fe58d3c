from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sikumi.accounts"
    verbose_name = _("Organisasi dan pengguna")

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.auth.signals import user_login_failed

        from sikumi.accounts import access, throttle
        from sikumi.accounts.forms import ThrottledAdminAuthenticationForm

        user_login_failed.connect(throttle.record_failure, dispatch_uid="sikumi-login-failed")
        # The admin's login page: the same throttle message as Sikumi's own.
        admin.site.login_form = ThrottledAdminAuthenticationForm
        from sikumi.core import navigation

        navigation.register("pengaturan", _("Unit kerja"), "accounts:units", access.is_internal, 10)
        navigation.register(
            "pengaturan",
            _("Pengguna dan peran"),
            "admin:accounts_user_changelist",
            access.can_manage_organisation,
            30,
        )
