from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sikumi.core"
    verbose_name = _("Inti")

    def ready(self) -> None:
        # Django 6.1's empty choice of every select reads "- Select an option -", which has no
        # Indonesian translation yet; Django reads this module attribute when a field is built.
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = _("- Pilih -")

        from sikumi.core import inbox, navigation

        navigation.register(
            "kerja", _("Tugas saya"), "inbox", inbox.has_sources, order=10, count=inbox.menu_count
        )
