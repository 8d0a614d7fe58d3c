from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "sikumi.documents"
    verbose_name = _("Arsip dokumen")

    def ready(self) -> None:
        from sikumi.accounts import access
        from sikumi.core import navigation

        navigation.register(
            "perencanaan", _("Arsip dokumen"), "documents:list", access.is_internal, 90
        )
