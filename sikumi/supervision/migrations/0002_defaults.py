import datetime as dt

from django.db import migrations


def load_defaults(apps, schema_editor):
    from sikumi.supervision.data.defaults import CHECKLIST, REQUIREMENTS

    RequirementTemplate = apps.get_model("supervision", "RequirementTemplate")
    ChecklistTemplate = apps.get_model("supervision", "ChecklistTemplate")
    ChecklistItem = apps.get_model("supervision", "ChecklistItem")
    for kind, items in REQUIREMENTS.items():
        for order, item in enumerate(items):
            RequirementTemplate.objects.get_or_create(
                kind=kind,
                code=item["code"],
                defaults={
                    "label": item["label"],
                    "description": item.get("description", ""),
                    "mandatory": item.get("mandatory", True),
                    "syariah_only": item.get("syariah_only", False),
                    "measure": item.get("measure", ""),
                    "minimum": item.get("minimum"),
                    "order": order,
                },
            )
    template, created = ChecklistTemplate.objects.get_or_create(
        code=CHECKLIST["code"],
        revision=CHECKLIST["revision"],
        defaults={
            "title": CHECKLIST["title"],
            "valid_from": dt.date.fromisoformat(CHECKLIST["valid_from"]),
        },
    )
    if created:
        ChecklistItem.objects.bulk_create(
            ChecklistItem(template=template, code=code, text=text, mandatory=mandatory, order=i)
            for i, (code, text, mandatory) in enumerate(CHECKLIST["items"])
        )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(load_defaults, migrations.RunPython.noop)]
