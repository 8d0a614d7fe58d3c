from importlib import import_module

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from sikumi.accounts.views import LoginView
from sikumi.core import views as core_views

# One API root: each domain app exposes `router` in its api.py.
API_APPS = [
    "documents",
    "plans",
    "monev",
    "cooperatives",
    "supervision",
    "enterprises",
    "activities",
    "indicators",
    "regions",
]
api_router = DefaultRouter()
for _app in API_APPS:
    _module = import_module(f"sikumi.{_app}.api")
    api_router.registry.extend(_module.router.registry)

admin.site.site_header = "Sikumi"
admin.site.site_title = "Sikumi"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path("favicon.ico", RedirectView.as_view(url=static_url("sikumi/favicon.svg"), permanent=True)),
    path("masuk/", LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("bahasa/", set_language, name="set_language"),
    path("tugas/", core_views.inbox_page, name="inbox"),
    path("tugas/<int:pk>/", core_views.task_progress, name="task-progress"),
    path("cari/", core_views.lookup_json, name="lookup"),
    path("organisasi/", include("sikumi.accounts.urls")),
    path("audit/", include("sikumi.audit.urls")),
    path("dokumen/", include("sikumi.documents.urls")),
    path("impor/", include("sikumi.imports.urls")),
    path("renstra/", include("sikumi.plans.urls")),
    path("monev/", include("sikumi.monev.urls")),
    path("koperasi/", include("sikumi.cooperatives.urls")),
    path("pengawasan/", include("sikumi.supervision.urls")),
    path("usaha-mikro/", include("sikumi.enterprises.urls")),
    path("kegiatan/", include("sikumi.activities.urls")),
    path("indikator/", include("sikumi.indicators.urls")),
    path("wilayah/", include("sikumi.regions.urls")),
    path("api/", include(api_router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

handler403 = "sikumi.core.errors.permission_denied"
handler404 = "sikumi.core.errors.not_found"
handler500 = "sikumi.core.errors.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
