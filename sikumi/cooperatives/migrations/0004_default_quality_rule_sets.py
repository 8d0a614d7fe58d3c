# The shipped quality rule sets ("koperasi berkualitas", "koperasi modern") are stored when the
# database is created, so no page has to store them on a GET. Idempotent: an instance that
# already has rule sets (possibly edited by its administrator) keeps them.

from django.db import migrations


def store_shipped_rule_sets(apps, schema_editor):
    from sikumi.cooperatives.services import ensure_default_rule_sets

    ensure_default_rule_sets(apps.get_model("cooperatives", "QualityRuleSet"))


class Migration(migrations.Migration):
    dependencies = [
        ("cooperatives", "0003_lookup_prefix_indexes"),
    ]

    operations = [
        migrations.RunPython(store_shipped_rule_sets, migrations.RunPython.noop),
    ]
