"""The cooperative settings page only reads on a GET: the shipped quality rule sets are stored
by the migration and the setup command, the activity window by its form's POST."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from sikumi.audit.models import AuditEntry
from sikumi.cooperatives import selectors
from sikumi.cooperatives.models import CooperativeSettings, QualityRuleSet

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def test_opening_the_settings_page_leaves_every_table_as_it_was(personas, client_for):
    client = client_for(personas.ani)
    client.get(reverse("home"))
    before = _row_counts()
    html = client.get(reverse("cooperatives:settings")).content.decode()
    assert _row_counts() == before
    assert "Koperasi berkualitas" in html and "Koperasi modern" in html
    assert 'value="3"' in html  # the default activity window, shown without being stored
    assert not CooperativeSettings.objects.exists()


def test_an_empty_rule_set_table_stays_empty_when_the_page_is_opened(personas, client_for):
    QualityRuleSet.objects.all().delete()
    html = client_for(personas.ani).get(reverse("cooperatives:settings")).content.decode()
    assert "Aturan kualitas koperasi" in html
    assert QualityRuleSet.objects.count() == 0
    assert selectors.rule_sets() == {}  # reading the rules stores nothing either
    assert QualityRuleSet.objects.count() == 0


def test_the_setup_command_stores_the_shipped_rule_sets_once(personas):
    QualityRuleSet.objects.all().delete()
    out = StringIO()
    call_command("load_quality_rules", stdout=out)
    assert "dimuat: 2" in out.getvalue()
    assert sorted(QualityRuleSet.objects.values_list("code", flat=True)) == [
        "berkualitas",
        "modern",
    ]
    QualityRuleSet.objects.filter(code="modern").update(label="Modern versi Dinas")
    call_command("load_quality_rules", stdout=out)
    assert "dimuat: 0" in out.getvalue()
    assert QualityRuleSet.objects.get(code="modern").label == "Modern versi Dinas"


def test_saving_the_settings_still_stores_and_audits_them(personas, client_for):
    client = client_for(personas.ani)
    response = client.post(
        reverse("cooperatives:settings"), {"activity_window_years": "4"}, follow=True
    )
    assert "Pengaturan koperasi tersimpan." in response.content.decode()
    assert CooperativeSettings.load().activity_window_years == 4
    assert AuditEntry.objects.filter(after__activity_window_years=4).exists()


def test_a_bad_window_is_refused_with_a_message_and_nothing_stored(personas, client_for):
    client = client_for(personas.ani)
    response = client.post(reverse("cooperatives:settings"), {"activity_window_years": "99"})
    assert response.status_code == 200
    assert "lebih kecil dari atau sama dengan 20" in response.content.decode()
    assert not CooperativeSettings.objects.exists()
