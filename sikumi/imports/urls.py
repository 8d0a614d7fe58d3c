from django.urls import path

from sikumi.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("<slug:kind>/unggah/", views.upload, name="upload"),
    path("<slug:kind>/templat/", views.template, name="template"),
    path("batch/<int:pk>/", views.batch_detail, name="batch"),
    path("batch/<int:pk>/berkas/", views.batch_file, name="file"),
    path("batch/<int:pk>/baris-bermasalah/", views.batch_errors, name="errors"),
    path("batch/<int:pk>/konfirmasi/", views.batch_confirm, name="confirm"),
    path("batch/<int:pk>/batalkan/", views.batch_revert, name="revert"),
    path("batch/<int:pk>/keputusan/", views.batch_decide, name="decide"),
    path("batch/<int:pk>/pemetaan/", views.mapping_save, name="mapping"),
]
