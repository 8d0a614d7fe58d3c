from django.urls import path

from sikumi.regions import views

app_name = "regions"
urlpatterns = [
    path("batas/<str:level>.geojson", views.boundaries, name="boundaries"),
    path("kelurahan/", views.kelurahan_options, name="kelurahan-options"),
]
