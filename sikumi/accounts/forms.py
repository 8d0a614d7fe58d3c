from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from sikumi.accounts import throttle
from sikumi.accounts.choices import UnitFunction
from sikumi.accounts.models import Role, Unit, User
from sikumi.accounts.selectors import organisation
from sikumi.core.forms import VersionedModelForm
from sikumi.rules.identifiers import normalise_nip


class ThrottledMixin:
    """Says "too many failures" instead of "wrong password" while the login is throttled
    (sikumi.accounts.throttle refuses such a login on every path; this gives the message)."""

    request: Any
    error_messages: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            if throttle.was_throttled(self.request):
                raise forms.ValidationError(
                    self.error_messages["throttled"],
                    code="throttled",
                    params={"minutes": throttle.window_minutes()},
                ) from None
            raise


THROTTLED = _(
    "Terlalu banyak percobaan masuk yang gagal. Coba lagi setelah %(minutes)d menit, "
    "atau hubungi administrator."
)


class ThrottledAuthenticationForm(ThrottledMixin, AuthenticationForm):
    """Sikumi's login page."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau kata sandi salah. Perhatikan huruf besar/kecil."),
        "throttled": THROTTLED,
    }


class ThrottledAdminAuthenticationForm(ThrottledMixin, AdminAuthenticationForm):
    """The Django admin's login: the same throttle and message."""

    error_messages = {**AdminAuthenticationForm.error_messages, "throttled": THROTTLED}


class UnitForm(VersionedModelForm):
    functions = forms.MultipleChoiceField(
        label=_("Urusan yang dipegang"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=Unit._meta.get_field("functions").help_text,
    )

    class Meta:
        model = Unit
        fields = ["name", "short_name", "code", "kind", "parent", "order", "functions", "duties"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Unit.objects.active()
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        # Each urusan says who holds it now, so the administrator sees what is free.
        holders = organisation().holders
        choices = []
        for code, label in UnitFunction.choices:
            holder = holders.get(code)
            note: str
            if holder is None:
                note = str(_("belum dipegang unit mana pun"))
            elif holder.pk == self.instance.pk:
                note = str(_("dipegang unit ini"))
            else:
                note = str(_("dipegang %(unit)s")) % {"unit": holder.name}
            choices.append((code, f"{label} ({note})"))
        self.fields["functions"].choices = choices  # type: ignore[attr-defined]
        self.unassigned = [
            str(label) for code, label in UnitFunction.choices if code not in holders
        ]


PASSWORD_WIDGET = forms.PasswordInput(attrs={"autocomplete": "new-password"})


class PasswordPairForm(forms.Form):
    """A new password typed twice; its strength is checked by the service (Django's password
    validators), so that every path applies the same rules."""

    password = forms.CharField(label=_("Kata sandi baru"), strip=False, widget=PASSWORD_WIDGET)
    password_again = forms.CharField(
        label=_("Ulangi kata sandi baru"), strip=False, widget=PASSWORD_WIDGET
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password"), cleaned.get("password_again")
        if first and second and first != second:
            self.add_error("password_again", _("Kedua kata sandi tidak sama."))
        return cleaned


class OwnPasswordForm(PasswordPairForm):
    """Self-service: the current password first."""

    old_password = forms.CharField(
        label=_("Kata sandi saat ini"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    field_order = ["old_password", "password", "password_again"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_old_password(self) -> str:
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("Kata sandi saat ini salah."), code="password_incorrect")
        return str(value)


class UserForm(VersionedModelForm):
    """Unit and roles first (what decides what the user may do), then the person."""

    unit = forms.ModelChoiceField(
        label=_("Unit kerja"),
        queryset=Unit.objects.none(),
        empty_label=_("(pilih unit kerja)"),
        error_messages={"required": _("Pilih unit kerja pengguna ini.")},
    )
    roles = forms.ModelMultipleChoiceField(
        label=_("Peran"),
        queryset=Role.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih sedikitnya satu peran.")},
        help_text=_(
            "Staf dan Pimpinan Bidang mengubah data Bidangnya; Perencana mengelola Renstra dan "
            "laporan; Kepala Dinas dan Auditor membaca semuanya; Administrator mengatur semuanya."
        ),
    )
    # Wider than the stored 18 digits: people type a NIP in groups ("19850412 201001 1 003").
    nip = forms.CharField(
        label=_("NIP"),
        max_length=30,
        required=False,
        help_text=User._meta.get_field("nip").help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = User
        fields = [
            "unit",
            "roles",
            "first_name",
            "last_name",
            "username",
            "nip",
            "position",
            "email",
            "phone",
        ]
        labels = {
            "first_name": _("Nama depan"),
            "last_name": _("Nama belakang"),
            "username": _("Nama pengguna"),
            "position": _("Jabatan"),
            "email": _("Email"),
            "phone": _("Nomor HP"),
        }
        help_texts = {
            "username": _("Dipakai untuk masuk: huruf, angka dan @ . + - _ saja."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.active()
        if self.instance.unit_id:  # an archived unit stays visible (and is then refused)
            units = Unit.objects.filter(pk=self.instance.unit_id) | units
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["first_name"].required = True

    def clean_nip(self) -> str:
        return normalise_nip(self.cleaned_data.get("nip"))


class UserCreateForm(UserForm):
    """A new user; the temporary password is optional (without it, a one-time link)."""

    password = forms.CharField(
        label=_("Kata sandi sementara"),
        required=False,
        strip=False,
        widget=PASSWORD_WIDGET,
        help_text=_(
            "Pengguna wajib menggantinya saat pertama masuk. Kosongkan untuk membuat tautan "
            "sekali pakai setelah pengguna disimpan."
        ),
    )
    password_again = forms.CharField(
        label=_("Ulangi kata sandi sementara"), required=False, strip=False, widget=PASSWORD_WIDGET
    )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        if cleaned.get("password", "") != cleaned.get("password_again", ""):
            self.add_error("password_again", _("Kedua kata sandi tidak sama."))
        return cleaned
