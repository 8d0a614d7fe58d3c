from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from sikumi.accounts import access, selectors, services
from sikumi.accounts.filters import UserFilter
from sikumi.accounts.forms import (
    OwnPasswordForm,
    PasswordPairForm,
    ThrottledAuthenticationForm,
    UnitForm,
    UserCreateForm,
    UserForm,
)
from sikumi.accounts.models import Unit, User
from sikumi.accounts.tables import UserTable
from sikumi.audit.choices import Action
from sikumi.audit.services import record_personal_data_access
from sikumi.core.params import int_param
from sikumi.core.views import or_404, submit_form
from sikumi.rules.identifiers import mask_phone


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        # A temporary password given by an administrator is replaced first.
        if getattr(self.request.user, "must_change_password", False):
            return reverse("accounts:password-change")
        return super().get_success_url()


# --- organisation chart -----------------------------------------------------------------------


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    if not access.is_internal(request.user):
        raise PermissionDenied
    can_manage = access.can_manage_organisation(request.user)
    return render(
        request,
        "accounts/unit_tree.html",
        {
            "rows": selectors.unit_tree(),
            "can_manage": can_manage,
            "unassigned": [label for _code, label in selectors.unassigned_functions()],
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
        lambda: services.unit_save(
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
    try:
        services.unit_archive(actor=request.user, unit=unit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Unit kerja diarsipkan."))
    return redirect("accounts:units")


# --- users ------------------------------------------------------------------------------------


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    filterset = UserFilter(request.GET, queryset=selectors.user_list(user=request.user))
    table = UserTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "accounts/user_list.html", {"filter": filterset, "table": table})


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    shown = or_404(selectors.user_get, user=request.user, pk=pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "shown": shown,
            "roles": list(shown.roles.all()),
            "shown_phone": mask_phone(shown.phone) if shown.phone else "",
            "is_self": shown.pk == request.user.pk,
        },
    )


@login_required
def user_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    access.require(access.can_manage_users(request.user))
    user = or_404(selectors.user_get, user=request.user, pk=pk) if pk else User()
    form = (UserForm if pk else UserCreateForm)(request.POST or None, instance=user)

    def save() -> User:
        roles = form.cleaned_data["roles"]
        if pk is None:
            return services.user_create(
                actor=request.user,
                user=form.save(commit=False),
                roles=roles,
                password=form.cleaned_data.get("password", ""),
            )
        return services.user_update(
            actor=request.user,
            user=form.save(commit=False),
            roles=roles,
            expected_version=form.expected_version,
        )

    def success(saved: User) -> str:
        if pk is None and not saved.has_usable_password():
            return _(
                "Pengguna tersimpan. Agar dapat masuk, buat tautan sekali pakai atau atur kata "
                "sandi sementara untuknya."
            )
        return _("Pengguna tersimpan.")

    if done := submit_form(
        request,
        form,
        save,
        success=success,
        then=lambda saved: reverse("accounts:user-detail", args=[saved.pk]),
    ):
        return done
    if pk is not None and request.method == "GET" and user.phone:
        # The form shows the phone number in full: a personal-data view.
        record_personal_data_access(
            actor=request.user,
            action=Action.VIEW_PERSONAL,
            what=_("Nomor HP pengguna %(user)s (formulir ubah)") % {"user": user},
            instance=user,
        )
    return render(request, "accounts/user_form.html", {"form": form, "shown": user})


@login_required
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = or_404(selectors.user_get, user=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(
            actor=request.user,
            user=user,
            active=active,
            expected_version=int_param(request.POST.get("version")),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Pengguna diaktifkan kembali.") if active else _("Pengguna dinonaktifkan.")
        )
    return redirect("accounts:user-detail", pk=user.pk)


@login_required
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    """An administrator sets a temporary password (or, from the same page, makes a link)."""
    user = or_404(selectors.user_get, user=request.user, pk=pk)
    form = PasswordPairForm(request.POST or None)
    if done := submit_form(
        request,
        form,
        lambda: services.user_password_set(
            actor=request.user, user=user, password=form.cleaned_data["password"]
        ),
        success=_(
            "Kata sandi sementara tersimpan. Sampaikan kepada pengguna; ia wajib menggantinya "
            "saat masuk."
        ),
        then=lambda saved: reverse("accounts:user-detail", args=[saved.pk]),
    ):
        return done
    return render(request, "accounts/user_password.html", {"form": form, "shown": user})


@login_required
@require_POST
@never_cache
def user_password_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a one-time link and show it once (it is kept nowhere)."""
    user = or_404(selectors.user_get, user=request.user, pk=pk)
    try:
        uid, token = services.user_password_link(actor=request.user, user=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:user-detail", pk=user.pk)
    link = request.build_absolute_uri(reverse("accounts:password-reset", args=[uid, token]))
    valid_until = timezone.localtime() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    return render(
        request,
        "accounts/user_password_link.html",
        {"shown": user, "link": link, "valid_until": valid_until},
    )


# --- the user's own password ------------------------------------------------------------------


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    access.require(access.can_change_own_password(request.user))
    form = OwnPasswordForm(request.POST or None, user=request.user)

    def save() -> User:
        saved = services.user_password_change(
            actor=request.user, password=form.cleaned_data["password"]
        )
        update_session_auth_hash(request, saved)  # stay logged in on this browser
        return saved

    if done := submit_form(
        request, form, save, success=_("Kata sandi Anda sudah diganti."), then="home"
    ):
        return done
    return render(request, "accounts/password_change.html", {"form": form})


@never_cache
def password_reset(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The one-time link an administrator made: choose a password, without logging in."""
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/password_reset.html", {"valid": False}, status=404)
    form = PasswordPairForm(request.POST or None)
    if done := submit_form(
        request,
        form,
        lambda: services.user_password_change(
            actor=user,
            password=form.cleaned_data["password"],
            note=_("Kata sandi diatur lewat tautan sekali pakai."),
        ),
        success=_("Kata sandi Anda tersimpan. Silakan masuk."),
        then="login",
    ):
        return done
    return render(request, "accounts/password_reset.html", {"valid": True, "form": form})
