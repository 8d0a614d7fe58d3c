"""Start every existing service case's status history with the status it has now."""

from django.db import migrations

NOTE = "Status saat riwayat status mulai dicatat"
BATCH = 2000


def backfill(apps, schema_editor):
    ServiceCase = apps.get_model("supervision", "ServiceCase")
    CaseStatusChange = apps.get_model("supervision", "CaseStatusChange")
    rows = []
    # Read first, then write: no insert while a cursor over the same table is open.
    cases = list(
        ServiceCase.objects.filter(status_changes__isnull=True)
        .order_by("pk")
        .values_list("pk", "status", "created_at", "updated_at")
    )
    for pk, status, created_at, updated_at in cases:
        rows.append(
            CaseStatusChange(
                case_id=pk,
                from_status="",
                to_status=status,
                # A case still "diajukan" has not moved since it was recorded.
                changed_at=created_at if status == "diajukan" else updated_at,
                note=NOTE,
            )
        )
        if len(rows) >= BATCH:
            CaseStatusChange.objects.bulk_create(rows)
            rows = []
    CaseStatusChange.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0004_case_status_change")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
