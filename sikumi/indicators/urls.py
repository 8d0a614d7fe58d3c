from django.urls import path

from sikumi.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("hitung/", views.indicator_compute, name="compute"),
    path("ekspor/", views.indicator_export, name="export"),
    path("usulkan/", views.indicator_propose, name="propose"),
    path("peta/", views.indicator_map, name="map"),
    path("ukuran/", views.measure_list, name="measures"),
    path("angka-manual/", views.manual_list, name="manual"),
    path("angka-manual/baru/", views.manual_edit, name="manual-create"),
    path("angka-manual/<int:pk>/", views.manual_edit, name="manual-edit"),
    path("<int:pk>/", views.indicator_detail, name="detail"),
    path("<int:pk>/rincian/", views.indicator_records, name="records"),
    path("<int:pk>/pengukuran/", views.binding_edit, name="binding-edit"),
]
