from django.urls import path

from sikumi.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("baru/", views.enterprise_edit, name="create"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/ubah/", views.enterprise_edit, name="edit"),
    path("<int:pk>/arsipkan/", views.enterprise_archive, name="archive"),
    path("<int:pk>/omzet/", views.turnover_add, name="turnover"),
    path("pelaku/", views.person_list, name="persons"),
    path("pelaku/<int:pk>/", views.person_detail, name="person"),
    path("pelaku/<int:pk>/ubah/", views.person_edit, name="person-edit"),
    path("janji/", views.promise, name="promise"),
    path("pertumbuhan/", views.growth, name="growth"),
    path("peta/", views.kecamatan_map, name="map"),
]
