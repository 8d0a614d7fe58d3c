from django.urls import path

from sikumi.supervision import views

app_name = "supervision"
urlpatterns = [
    # layanan kelembagaan
    path("layanan/", views.case_list, name="case-list"),
    path("layanan/baru/", views.case_edit, name="case-create"),
    path("layanan/waktu-layanan/", views.service_time, name="service-time"),
    path("layanan/<int:pk>/", views.case_detail, name="case-detail"),
    path("layanan/<int:pk>/tanda-terima.pdf", views.case_receipt, name="case-receipt"),
    path("layanan/<int:pk>/ubah/", views.case_edit, name="case-edit"),
    path("layanan/<int:pk>/status/", views.case_transition, name="case-transition"),
    path("layanan/<int:pk>/keputusan/", views.case_decide, name="case-decide"),
    path("layanan/<int:pk>/persyaratan/", views.case_requirements, name="case-requirements"),
    path("layanan/persyaratan/<int:pk>/berkas/", views.requirement_file, name="requirement-file"),
    # supervision
    path("rencana/", views.plan_list, name="plan-list"),
    path("rencana/baru/", views.plan_edit, name="plan-create"),
    path("rencana/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("rencana/<int:pk>/ubah/", views.plan_edit, name="plan-edit"),
    path("pemeriksaan/", views.inspection_list, name="inspection-list"),
    path("pemeriksaan/baru/", views.inspection_edit, name="inspection-create"),
    path("pemeriksaan/<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("pemeriksaan/<int:pk>/ubah/", views.inspection_edit, name="inspection-edit"),
    path("pemeriksaan/<int:inspection_pk>/temuan/baru/", views.finding_edit, name="finding-create"),
    path(
        "pemeriksaan/<int:inspection_pk>/temuan/<int:pk>/", views.finding_edit, name="finding-edit"
    ),
    path(
        "temuan/<int:finding_pk>/tindak-lanjut/baru/",
        views.follow_up_edit,
        name="follow-up-create",
    ),
    path(
        "temuan/<int:finding_pk>/tindak-lanjut/<int:pk>/",
        views.follow_up_edit,
        name="follow-up-edit",
    ),
    path("temuan/", views.finding_list, name="finding-list"),
    path("tindak-lanjut/<int:pk>/selesai/", views.follow_up_done, name="follow-up-done"),
    path("sanksi/baru/", views.sanction_edit, name="sanction-create"),
    path("sanksi/<int:pk>/", views.sanction_edit, name="sanction-edit"),
    # health
    path("kesehatan/", views.assessment_list, name="assessment-list"),
    path("kesehatan/baru/", views.assessment_edit, name="assessment-create"),
    path("kesehatan/kalkulator/", views.calculator, name="calculator"),
    path("kesehatan/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("kesehatan/<int:pk>/ubah/", views.assessment_edit, name="assessment-edit"),
    path("kesehatan/<int:pk>/pdf/", views.assessment_pdf, name="assessment-pdf"),
]
