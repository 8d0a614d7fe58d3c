from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sikumi.accounts import access
from sikumi.accounts.forms import ThrottledAuthenticationForm, UnitForm
from sikumi.accounts.models import Unit
from sikumi.accounts.services import unit_save
from sikumi.core import services as core
from sikumi.core.params import int_param
from sikumi.core.views import submit_form


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    if not access.is_internal(request.user):
        raise PermissionDenied
    units = list(Unit.objects.active().select_related("parent"))
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)

    def build(parent_id: int | None, depth: int) -> list[tuple[Unit, int]]:
        rows: list[tuple[Unit, int]] = []
        for unit in children.get(parent_id, []):
            rows.append((unit, depth))
            rows.extend(build(unit.pk, depth + 1))
        return rows

    return render(
        request,
        "accounts/unit_tree.html",
        {
            "rows": build(None, 0),
            "can_manage": access.can_manage_organisation(request.user),
        },
    )


@login_required
def unit_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    access.require(access.can_manage_organisation(request.user))
    unit = get_object_or_404(Unit.objects.active(), pk=pk) if pk else Unit()
    parent = int_param(request.GET.get("parent"))
    if pk is None and parent is not None:
        unit.parent = Unit.objects.active().filter(pk=parent).first()
    form = UnitForm(request.POST or None, instance=unit)
    if done := submit_form(
        request,
        form,
        lambda: unit_save(
            actor=request.user,
            unit=form.save(commit=False),
            expected_version=form.expected_version,
        ),
        success=_("Unit kerja tersimpan."),
        then="accounts:units",
    ):
        return done
    return render(request, "accounts/unit_form.html", {"form": form, "unit": unit})


@login_required
@require_POST
def unit_archive(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_manage_organisation(request.user))
    unit = get_object_or_404(Unit.objects.active(), pk=pk)
    if unit.children.filter(archived_at__isnull=True).exists():
        messages.error(
            request, _("Unit ini masih memiliki sub unit aktif; arsipkan sub unitnya dulu.")
        )
    elif unit.users.filter(is_active=True).exists():
        messages.error(
            request, _("Unit ini masih memiliki pengguna aktif; pindahkan penggunanya dulu.")
        )
    else:
        core.record_archive(actor=request.user, instance=unit)
        messages.success(request, _("Unit kerja diarsipkan."))
    return redirect("accounts:units")
