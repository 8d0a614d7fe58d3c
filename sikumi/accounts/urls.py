from django.urls import path

from sikumi.accounts import views

app_name = "accounts"
urlpatterns = [
    path("unit/", views.unit_tree, name="units"),
    path("unit/baru/", views.unit_edit, name="unit-create"),
    path("unit/<int:pk>/ubah/", views.unit_edit, name="unit-edit"),
    path("unit/<int:pk>/arsipkan/", views.unit_archive, name="unit-archive"),
]
