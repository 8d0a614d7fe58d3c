from django.urls import path

from sikumi.activities import views
from sikumi.core import views as core_views

app_name = "activities"

# URL segment (Bahasa Indonesia) of each record type served by the generic views.
SEGMENTS = {
    "product": "produk",
    "legality": "legalitas",
    "training": "pelatihan",
    "participant": "peserta-pelatihan",
    "curation": "kurasi",
    "event": "promosi",
    "eventparticipant": "peserta-promosi",
    "financing": "pembiayaan",
    "partnership": "kemitraan",
}

urlpatterns = [
    path("", views.overview, name="overview"),
    path("legalitas/kedaluwarsa/", views.expiring, name="legality-expiring"),
    # The lookup fields' search (sikumi.core.lookups), also at /cari/ ("lookup"); kept for links.
    path("cari/", core_views.lookup_json, name="lookup"),
    path("pelatihan/<int:pk>/peserta/tambah/", views.participant_add, name="participant-add"),
    path("pelatihan/<int:pk>/peserta/cari/", views.participant_search, name="participant-search"),
    path("pelatihan/<int:pk>/peserta/tempel/", views.participant_paste, name="participant-paste"),
    path(
        "promosi/<int:pk>/peserta/tempel/",
        views.event_participant_paste,
        name="eventparticipant-paste",
    ),
    path(
        "promosi/<int:pk>/peserta/tambah/",
        views.event_participant_add,
        name="eventparticipant-add",
    ),
]
for key, segment in SEGMENTS.items():
    urlpatterns += [
        path(f"{segment}/", views.entity_list, {"key": key}, name=f"{key}-list"),
        path(f"{segment}/baru/", views.entity_edit, {"key": key}, name=f"{key}-create"),
        path(f"{segment}/<int:pk>/", views.entity_detail, {"key": key}, name=f"{key}-detail"),
        path(f"{segment}/<int:pk>/ubah/", views.entity_edit, {"key": key}, name=f"{key}-edit"),
        path(
            f"{segment}/<int:pk>/arsipkan/",
            views.entity_archive,
            {"key": key},
            name=f"{key}-archive",
        ),
    ]
