from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "sikumi.activities"
    verbose_name = _("Pelatihan dan kegiatan")

    def ready(self) -> None:
        from sikumi.accounts import access
        from sikumi.core import navigation

        internal = access.is_internal
        for label, url_name, order in [
            (_("Ringkasan kegiatan"), "activities:overview", 10),
            (_("Pelatihan"), "activities:training-list", 20),
            (_("Kegiatan promosi"), "activities:event-list", 30),
            (_("Kurasi produk"), "activities:curation-list", 40),
            (_("Fasilitasi pembiayaan"), "activities:financing-list", 50),
            (_("Kemitraan"), "activities:partnership-list", 60),
        ]:
            navigation.register("pelatihan", label, url_name, internal, order)
        for label, url_name, order in [
            (_("Produk"), "activities:product-list", 60),
            (_("Legalitas produk"), "activities:legality-list", 61),
            (_("Sertifikat akan kedaluwarsa"), "activities:legality-expiring", 62),
        ]:
            navigation.register("usaha-mikro", label, url_name, internal, order)
        from sikumi.activities import importer, inbox, lookups, timeline  # noqa: F401 (registers)

        timeline.register_providers()
        lookups.register()
        inbox.register()
