from django.urls import path

from sikumi.accounts import views

app_name = "accounts"
urlpatterns = [
    path("unit/", views.unit_tree, name="units"),
    path("unit/baru/", views.unit_edit, name="unit-create"),
    path("unit/<int:pk>/ubah/", views.unit_edit, name="unit-edit"),
    path("unit/<int:pk>/arsipkan/", views.unit_archive, name="unit-archive"),
    path("pengguna/", views.user_list, name="users"),
    path("pengguna/baru/", views.user_edit, name="user-create"),
    path("pengguna/<int:pk>/", views.user_detail, name="user-detail"),
    path("pengguna/<int:pk>/ubah/", views.user_edit, name="user-edit"),
    path("pengguna/<int:pk>/status/", views.user_set_active, name="user-set-active"),
    path("pengguna/<int:pk>/kata-sandi/", views.user_password, name="user-password"),
    path(
        "pengguna/<int:pk>/tautan-kata-sandi/",
        views.user_password_link,
        name="user-password-link",
    ),
    path("kata-sandi/", views.password_change, name="password-change"),
    path(
        "atur-kata-sandi/<str:uidb64>/<str:token>/",
        views.password_reset,
        name="password-reset",
    ),
]
