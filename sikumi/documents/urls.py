from django.urls import path

from sikumi.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("baru/", views.document_edit, name="create"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/ubah/", views.document_edit, name="edit"),
    path("<int:pk>/berkas/", views.document_file, name="file"),
    path("<int:pk>/arsipkan/", views.document_archive, name="archive"),
]
