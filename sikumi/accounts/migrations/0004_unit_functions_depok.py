"""The urusan and short names of the Depok units that exist already (by code); a new database
gets them from the organisation file when `load_organisation` creates the units. A unit an
administrator already gave urusan to is left as it is, and no urusan is given twice."""

from django.db import migrations

FUNCTIONS = {
    "sekretariat": ["perencanaan"],
    "bidang-kelembagaan": ["kelembagaan", "sdm"],
    "bidang-pemberdayaan": ["pemberdayaan"],
    "bidang-pengawasan": ["pengawasan"],
}
SHORT_NAMES = {
    "bidang-kelembagaan": "Bidang Kelembagaan",
    "bidang-pemberdayaan": "Bidang Pemberdayaan",
    "bidang-pengawasan": "Bidang Pengawasan",
    "uptd-balatkop": "UPTD Balatkop",
}


def forwards(apps, schema_editor):
    Unit = apps.get_model("accounts", "Unit")
    held = {
        code
        for functions in Unit.objects.filter(archived_at__isnull=True).values_list(
            "functions", flat=True
        )
        for code in functions or []
    }
    for unit in Unit.objects.filter(code__in=set(FUNCTIONS) | set(SHORT_NAMES)):
        changed = []
        wanted = [f for f in FUNCTIONS.get(unit.code, []) if f not in held]
        if wanted and not unit.functions and unit.archived_at is None:
            unit.functions = wanted
            held.update(wanted)
            changed.append("functions")
        if unit.code in SHORT_NAMES and not unit.short_name:
            unit.short_name = SHORT_NAMES[unit.code]
            changed.append("short_name")
        if changed:
            unit.save(update_fields=changed)


def backwards(apps, schema_editor):
    """The fields go away with the schema migration before this one."""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_unit_functions_user_admin_fields")]

    operations = [migrations.RunPython(forwards, backwards)]
