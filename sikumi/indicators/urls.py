from django.urls import path

from sikumi.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("hitung/", views.indicator_compute, name="compute"),
    path("ekspor/", views.indicator_export, name="export"),
    path("usulkan/", views.indicator_propose, name="propose"),
    path("peta/", views.indicator_map, name="map"),
    path("peta/data/", views.indicator_map_data, name="map-data"),
    path("ukuran/", views.measure_list, name="measures"),
    path("angka-manual/", views.manual_list, name="manual"),
    path("angka-manual/baru/", views.manual_edit, name="manual-create"),
    path("angka-manual/<int:pk>/", views.manual_edit, name="manual-edit"),
    path("dinas/", views.custom_list, name="custom-list"),
    path("dinas/baru/", views.custom_edit, name="custom-create"),
    path("dinas/hitung/", views.custom_compute, name="custom-compute"),
    path("dinas/peta/", views.custom_map, name="custom-map"),
    path("dinas/<int:pk>/", views.custom_detail, name="custom-detail"),
    path("dinas/<int:pk>/ubah/", views.custom_edit, name="custom-edit"),
    path("dinas/<int:pk>/arsipkan/", views.custom_archive, name="custom-archive"),
    path("dinas/<int:pk>/rincian/", views.custom_records, name="custom-records"),
    path("<int:pk>/", views.indicator_detail, name="detail"),
    path("<int:pk>/rincian/", views.indicator_records, name="records"),
    path("<int:pk>/pengukuran/", views.binding_edit, name="binding-edit"),
]
