from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from sikumi.accounts import access
from sikumi.core.views import file_response, submit_form
from sikumi.documents import selectors, services
from sikumi.documents.filters import DocumentFilter
from sikumi.documents.forms import DocumentForm
from sikumi.documents.models import Document
from sikumi.documents.tables import DocumentTable


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    access.require(access.can_view(request.user, Document))
    filterset = DocumentFilter(request.GET, queryset=selectors.document_list(user=request.user))
    table = DocumentTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "documents/list.html",
        {
            "filter": filterset,
            "table": table,
            "can_create": access.can_create(request.user, Document),
        },
    )


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        document = selectors.document_get(user=request.user, pk=pk)
    except Document.DoesNotExist:
        return render(request, "404.html", status=404)
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "can_edit": access.can_edit(request.user, document),
        },
    )


@login_required
def document_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        access.require(access.can_create(request.user, Document))
        document = Document()
    else:
        document = selectors.document_get(user=request.user, pk=pk)
        access.require(access.can_edit(request.user, document))
    form = DocumentForm(
        request.POST or None, request.FILES or None, instance=document, user=request.user
    )

    def save() -> Document:
        if pk is None:
            return services.document_create(actor=request.user, document=form.save(commit=False))
        return services.document_update(
            actor=request.user,
            document=form.save(commit=False),
            expected_version=form.expected_version,
        )

    if done := submit_form(
        request,
        form,
        save,
        success=_("Dokumen tersimpan."),
        then=lambda saved: reverse("documents:detail", args=[saved.pk]),
    ):
        return done
    return render(request, "documents/form.html", {"form": form, "document": document})


@login_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    document = selectors.document_get(user=request.user, pk=pk)
    return file_response(document.file)


@login_required
@require_POST
def document_archive(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get(user=request.user, pk=pk)
    if not access.can_archive(request.user, document):
        raise PermissionDenied
    services.document_archive(actor=request.user, document=document)
    messages.success(request, _("Dokumen diarsipkan."))
    return redirect("documents:list")
