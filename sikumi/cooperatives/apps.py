from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperativesConfig(AppConfig):
    name = "sikumi.cooperatives"
    verbose_name = _("Koperasi")

    def ready(self) -> None:
        from sikumi.accounts import access
        from sikumi.cooperatives import bridge, importer, lookups, selectors, timeline  # noqa: F401
        from sikumi.core import navigation

        timeline.register("cooperatives", selectors.registry_events)
        bridge.register()
        lookups.register()
        from sikumi.cooperatives import inbox

        inbox.register()
        navigation.register(
            "koperasi", _("Daftar koperasi"), "cooperatives:list", access.is_internal, 10
        )
        navigation.register(
            "koperasi", _("Peta koperasi"), "cooperatives:map", access.is_internal, 20
        )
        navigation.register(
            "koperasi",
            _("Pemberdayaan koperasi"),
            "cooperatives:empowerment-list",
            access.is_internal,
            30,
        )
        navigation.register(
            "pengaturan", _("Pengaturan koperasi"), "cooperatives:settings", access.is_admin, 50
        )
