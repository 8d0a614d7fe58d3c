from django.urls import path

from sikumi.cooperatives import views

app_name = "cooperatives"
urlpatterns = [
    path("", views.cooperative_list, name="list"),
    path("peta/", views.cooperative_map, name="map"),
    path("tren/", views.trend_json, name="trend"),
    path("baru/", views.cooperative_edit, name="create"),
    path("pemberdayaan/", views.empowerment_list, name="empowerment-list"),
    path("pengaturan/", views.settings_view, name="settings"),
    path("pengaturan/aturan/<int:pk>/", views.rule_set_edit, name="rule-set-edit"),
    path("<int:pk>/", views.cooperative_detail, name="detail"),
    path("<int:pk>/ubah/", views.cooperative_edit, name="edit"),
    path("<int:pk>/arsipkan/", views.cooperative_archive, name="archive"),
    path("<int:pk>/bubarkan/", views.cooperative_dissolve, name="dissolve"),
    path("<int:pk>/rat/baru/", views.rat_edit, name="rat-create"),
    path("<int:pk>/rat/<int:child_pk>/", views.rat_edit, name="rat-edit"),
    path("<int:pk>/rat/<int:child_pk>/arsipkan/", views.rat_archive, name="rat-archive"),
    path("<int:pk>/pengurus/baru/", views.official_edit, name="official-create"),
    path("<int:pk>/pengurus/<int:child_pk>/", views.official_edit, name="official-edit"),
    path(
        "<int:pk>/pengurus/<int:official_pk>/sertifikat/baru/",
        views.certificate_edit,
        name="certificate-create",
    ),
    path(
        "<int:pk>/pengurus/<int:official_pk>/sertifikat/<int:child_pk>/",
        views.certificate_edit,
        name="certificate-edit",
    ),
    path("<int:pk>/penghargaan/baru/", views.award_edit, name="award-create"),
    path("<int:pk>/penghargaan/<int:child_pk>/", views.award_edit, name="award-edit"),
    path("<int:pk>/pemeringkatan/baru/", views.rating_edit, name="rating-create"),
    path("<int:pk>/pemeringkatan/<int:child_pk>/", views.rating_edit, name="rating-edit"),
    path("<int:pk>/pemberdayaan/baru/", views.empowerment_edit, name="empowerment-create"),
    path("<int:pk>/pemberdayaan/<int:child_pk>/", views.empowerment_edit, name="empowerment-edit"),
]
