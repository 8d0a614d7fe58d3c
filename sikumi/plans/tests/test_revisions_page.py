import pytest
from django.urls import reverse

from sikumi.audit.models import AuditEntry
from sikumi.plans.models import PlanRevision

pytestmark = pytest.mark.django_db


def test_a_perencana_opens_a_renstra_perubahan_with_its_reason_and_staf_cannot(
    plan, personas, client_for
):
    url = reverse("plans:changes")
    data = {"date": "2026-11-20", "reason": "Penyesuaian target setelah evaluasi paruh waktu"}
    assert client_for(personas.sari).post(url, data).status_code == 403
    assert not PlanRevision.objects.exists()
    response = client_for(personas.putri).post(url, data)
    assert response.status_code == 302
    revision = PlanRevision.objects.get(plan=plan)
    assert (revision.number, revision.created_by) == (1, personas.putri)
    page = client_for(personas.kartika).get(url).content.decode()
    assert "Penyesuaian target setelah evaluasi paruh waktu" in page
    assert AuditEntry.objects.filter(content_type__model="planrevision", action="create").exists()
