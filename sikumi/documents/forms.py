from typing import Any

from sikumi.accounts import access
from sikumi.core.forms import DateInput, VersionedModelForm
from sikumi.documents.models import Document


class DocumentForm(VersionedModelForm):
    class Meta:
        model = Document
        fields = ["title", "category", "number", "date", "owner_unit", "file", "notes"]
        widgets = {"date": DateInput()}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = access.editable_units(user)  # type: ignore[attr-defined]
