from django.urls import path

from sikumi.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.cascade, name="cascade"),
    path("indikator/<int:pk>/target/", views.indicator_edit, name="indicator_edit"),
    path("unsur/<int:pk>/pagu/", views.pagu_edit, name="pagu_edit"),
    path("riwayat-perubahan/", views.changes, name="changes"),
    path("pemeriksaan/", views.check, name="check"),
    path("tabel/", views.tables, name="tables"),
    path("tabel/<slug:key>.<str:fmt>", views.table_download, name="table_download"),
]
