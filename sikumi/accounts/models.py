from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sikumi.accounts.choices import RoleCode, UnitFunction, UnitKind
from sikumi.accounts.validators import validate_nip, validate_unit_functions
from sikumi.core.models import TrackedModel
from sikumi.core.validators import validate_phone
from sikumi.rules.identifiers import normalise_nip


class Unit(TrackedModel):
    """A unit of the Dinas' organisation (Sekretariat, a Bidang, a Seksi, UPTD...), as a tree."""

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(
        _("nama singkat"),
        max_length=60,
        blank=True,
        help_text=_("Untuk tabel yang sempit, misalnya 'Bidang Pengawasan'. Boleh kosong."),
    )
    kind = models.CharField(_("jenis"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    duties = models.TextField(_("tugas dan fungsi"), blank=True)
    # The urusan this unit is responsible for (UnitFunction codes): new records of an urusan
    # are owned by the active unit holding it. A list on the unit (the organisation has a few
    # dozen units) so that the audit trail and the version check cover it like any field.
    functions = models.JSONField(
        _("urusan"),
        default=list,
        blank=True,
        validators=[validate_unit_functions],
        help_text=_(
            "Data baru dari urusan ini dimiliki unit ini. Satu urusan dipegang oleh satu unit "
            "aktif; satu Bidang boleh memegang beberapa urusan."
        ),
    )

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Unit]:
        chain: list[Unit] = []
        node = self.parent
        seen = {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    @property
    def bidang(self) -> Unit | None:
        """The Bidang (or Sekretariat / UPTD) this unit belongs to: the owner of records."""
        for node in [self, *self.ancestors()]:
            if node.kind in (UnitKind.BIDANG, UnitKind.SEKRETARIAT, UnitKind.UPTD):
                return node
        return None

    @property
    def label(self) -> str:
        """The short name where there is one (narrow table columns), else the name."""
        return self.short_name or self.name

    def function_labels(self) -> list[str]:
        labels = dict(UnitFunction.choices)
        return [str(labels[code]) for code in self.functions if code in labels]

    def clean(self) -> None:
        if self.parent_id and self.pk:
            node = self.parent
            while node is not None:
                if node.pk == self.pk:
                    raise ValidationError(
                        {"parent": _("Unit tidak boleh menjadi induk dirinya sendiri.")}
                    )
                node = node.parent
        if isinstance(self.functions, list):
            # One order, no repeats: the audit trail then shows only real changes.
            self.functions = [code for code in UnitFunction.values if code in self.functions] + [
                code for code in dict.fromkeys(self.functions) if code not in UnitFunction.values
            ]
            self._check_functions_free()

    def _check_functions_free(self) -> None:
        """An urusan has one owner: refuse one that another active unit already holds."""
        if self.archived_at is not None or not self.functions:
            return
        labels = dict(UnitFunction.choices)
        problems = []
        others = Unit.objects.active().exclude(pk=self.pk).only("name", "functions")
        for other in others:
            for code in self.functions:
                if code in (other.functions or []):
                    problems.append(
                        _(
                            "Urusan “%(function)s” sudah dipegang oleh %(unit)s. "
                            "Lepaskan dulu urusan itu dari %(unit)s, lalu simpan lagi."
                        )
                        % {"function": labels.get(code, code), "unit": other.name}
                    )
        if problems:
            raise ValidationError({"functions": problems})


class Role(models.Model):
    """A role a user can hold; what each role may do is decided in sikumi.accounts.access."""

    code = models.CharField(_("kode"), max_length=16, choices=RoleCode.choices, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    description = models.TextField(_("keterangan"), blank=True)

    class Meta:
        verbose_name = _("peran")
        verbose_name_plural = _("peran")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in: belongs to one unit and holds one or more roles."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit kerja"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    roles = models.ManyToManyField(Role, verbose_name=_("peran"), blank=True, related_name="users")
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        validators=[validate_nip],
        help_text=_("18 digit, untuk ASN; kosongkan bila bukan ASN."),
    )
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True, validators=[validate_phone])
    # Set when an administrator gave a temporary password: the next login asks for a new one.
    must_change_password = models.BooleanField(_("wajib mengganti kata sandi"), default=False)
    # Edited on the Sikumi pages by several administrators: a stale edit is refused.
    version = models.PositiveIntegerField(_("versi"), default=1)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.UniqueConstraint(
                fields=["nip"],
                condition=~Q(nip=""),
                name="accounts_user_nip_unique",
                violation_error_message=_("NIP ini sudah dipakai pengguna lain."),
            )
        ]

    def clean(self) -> None:
        super().clean()
        self.nip = normalise_nip(self.nip)
        if self.nip and User.objects.exclude(pk=self.pk).filter(nip=self.nip).exists():
            raise ValidationError({"nip": _("NIP ini sudah dipakai pengguna lain.")})

    def role_codes(self) -> frozenset[str]:
        # Cached per instance: permission checks run many times per request.
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = (
                frozenset(self.roles.values_list("code", flat=True)) if self.pk else frozenset()
            )
            self._role_codes = cached
        return cached

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class LoginFailure(models.Model):
    """A failed login, kept to throttle guessing per username and per address."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("kegagalan masuk")
        verbose_name_plural = _("kegagalan masuk")

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """An API token of a user, stored only as its hash: the token is shown once, at creation."""

    user = models.ForeignKey(
        User, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nama"), max_length=100, blank=True)
    key_hash = models.CharField(_("hash token"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("awalan token"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
