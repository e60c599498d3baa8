"""The spelling vocabulary of the search documents (``catalog.SearchWord``), filled from the
documents already there. The word pattern is a frozen copy of ``catalog.spelling._WORD`` as of
2026-12: a migration imports nothing from dpghub, so that it runs the same in a year."""

import re
from collections import Counter

from django.db import migrations, models

_WORD = re.compile(r"[^\W\d_]{3,40}")


def _fill(apps, schema_editor):
    document = apps.get_model("catalog", "SearchDocument")
    word = apps.get_model("catalog", "SearchWord")
    counts = Counter()
    for title, body in document.objects.values_list("title", "body").iterator(chunk_size=2000):
        counts.update(set(_WORD.findall((title + "\n" + body).lower())))
    word.objects.bulk_create((word(word=w, documents=n) for w, n in counts.items()), batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0005_field_owners"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("documents", models.PositiveIntegerField()),
            ],
        ),
        migrations.RunPython(_fill, migrations.RunPython.noop),
    ]
