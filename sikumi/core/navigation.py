"""The main menu, grouped by the Dinas' work. Apps register their pages in AppConfig.ready();
a section with nothing the user may open is not shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SECTIONS: list[tuple[str, Promise]] = [
    ("kerja", _("Kerja saya")),
    ("perencanaan", _("Perencanaan & Kinerja")),
    ("koperasi", _("Koperasi")),
    ("usaha-mikro", _("Usaha Mikro")),
    ("pelatihan", _("Pelatihan & Kegiatan")),
    ("laporan", _("Laporan")),
    ("pengaturan", _("Pengaturan")),
]


@dataclass
class MenuItem:
    section: str
    label: Promise | str
    url_name: str
    allowed: Callable[[Any], bool]
    order: int = 100
    # How many things wait behind the entry for this user (the menu shows it as a badge); it runs
    # on every page, so it must be cheap: one COUNT per kind of thing, or a cached figure.
    count: Callable[[Any], int] | None = None


@dataclass
class Section:
    code: str
    label: Promise | str
    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def active(self) -> bool:
        """Holds the page shown (its section starts open in the phone menu)."""
        return any(item["active"] for item in self.items)

    @property
    def count(self) -> int:
        """Things waiting behind the section's entries (shown on the closed phone menu)."""
        return sum(item.get("count") or 0 for item in self.items)


_ITEMS: list[MenuItem] = []


def register(
    section: str,
    label: Promise | str,
    url_name: str,
    allowed: Callable[[Any], bool],
    order: int = 100,
    count: Callable[[Any], int] | None = None,
) -> None:
    if section not in dict(SECTIONS):
        raise ValueError(f"unknown menu section {section!r}")
    if any(i.url_name == url_name and i.section == section for i in _ITEMS):
        return
    _ITEMS.append(MenuItem(section, label, url_name, allowed, order, count))


def menu_for(user: Any, current_path: str = "") -> list[Section]:
    sections = []
    for code, label in SECTIONS:
        section = Section(code, label)
        for item in sorted((i for i in _ITEMS if i.section == code), key=lambda i: i.order):
            if not item.allowed(user):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            section.items.append(
                {
                    "label": item.label,
                    "url": url,
                    "active": current_path.startswith(url),
                    "count": item.count(user) if item.count is not None else None,
                }
            )
        if section.items:
            sections.append(section)
    return sections
