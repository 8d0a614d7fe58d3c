from django.urls import path

from sikumi.monev import views

app_name = "monev"
urlpatterns = [
    path("renja/", views.renja_list, name="renja-list"),
    path("renja/<int:pk>/", views.renja_detail, name="renja-detail"),
    path("renja/<int:pk>/tetapkan/", views.renja_adopt, name="renja-adopt"),
    path("realisasi/", views.realisation, name="realisation"),
    path(
        "realisasi/<int:renja_pk>/tw<int:quarter>/",
        views.realisation,
        name="realisation-quarter",
    ),
    path("pengajuan/<int:pk>/<slug:action>/", views.submission_action, name="submission-action"),
    path("bukti/realisasi/<int:pk>/", views.evidence_upload, name="evidence-upload"),
    path("bukti/<int:pk>/", views.evidence_file, name="evidence-file"),
    path("laporan/e81/", views.report, {"name": "e81"}, name="report-e81"),
    path("laporan/lkjip/", views.report, {"name": "lkjip"}, name="report-lkjip"),
    path("laporan/riwayat/", views.report, {"name": "history"}, name="report-history"),
    path("laporan/<slug:name>/latar/", views.report_start, name="report-start"),
    path("laporan/berkas/<int:pk>/", views.report_file, name="report-file"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("janji-wali-kota/", views.promise, name="promise"),
    path("publik/", views.public, name="public"),
]
