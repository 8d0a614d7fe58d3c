from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "sikumi.enterprises"
    verbose_name = _("Usaha mikro")

    def ready(self) -> None:
        from sikumi.accounts import access
        from sikumi.core.navigation import register
        from sikumi.enterprises import importer  # noqa: F401  (registers the "enterprises" kind)

        register("usaha-mikro", _("Daftar usaha mikro"), "enterprises:list", access.can_view, 10)
        register("usaha-mikro", _("Janji wali kota"), "enterprises:promise", access.can_view, 20)
        register(
            "usaha-mikro", _("Naik omzet & naik kelas"), "enterprises:growth", access.can_view, 30
        )
        register("usaha-mikro", _("Peta per kecamatan"), "enterprises:map", access.can_view, 40)
        register("usaha-mikro", _("Pelaku usaha"), "enterprises:persons", access.can_view, 50)
        register("usaha-mikro", _("Impor data"), "imports:list", access.is_internal, 90)
