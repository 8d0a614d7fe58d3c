from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sikumi.accounts"
    verbose_name = _("Organisasi dan pengguna")

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.auth.signals import user_login_failed
        from django.db.models.signals import post_delete, post_save

        from sikumi.accounts import access, selectors, throttle
        from sikumi.accounts.forms import ThrottledAdminAuthenticationForm
        from sikumi.accounts.models import Unit

        user_login_failed.connect(throttle.record_failure, dispatch_uid="sikumi-login-failed")
        # Which unit holds which urusan is cached: dropped whenever a unit changes.
        for signal in (post_save, post_delete):
            signal.connect(
                selectors.invalidate_organisation,
                sender=Unit,
                dispatch_uid=f"sikumi-organisation-{signal is post_save}",
            )
        # The admin's login page: the same throttle message as Sikumi's own.
        admin.site.login_form = ThrottledAdminAuthenticationForm
        from sikumi.core import navigation

        navigation.register("pengaturan", _("Unit kerja"), "accounts:units", access.is_internal, 10)
        navigation.register(
            "pengaturan", _("Pengguna dan peran"), "accounts:users", access.can_manage_users, 30
        )
        navigation.register(
            "pengaturan",
            _("Ubah kata sandi"),
            "accounts:password-change",
            access.can_change_own_password,
            90,
        )
