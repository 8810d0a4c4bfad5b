"""A source's address is http or https only (nansen.core.weblinks).

The API used to store any address, so a source may hold ``javascript:`` or ``data:`` from
before: such an address is cleared, and kept as text at the end of the source's note on
reliability (shown escaped, never as a link), so that nothing written is lost silently."""

from django.db import migrations, models

import nansen.core.weblinks


def clear_other_schemes(apps, schema_editor):
    Source = apps.get_model("coi", "Source")
    for source in Source.objects.exclude(url="").only("pk", "url", "reliability_note", "version"):
        if nansen.core.weblinks.is_web_url(source.url):
            continue
        removed = "".join(ch if ch.isprintable() else "?" for ch in source.url)
        note = source.reliability_note.rstrip()
        note += ("\n\n" if note else "") + f"[Address removed, not http or https: {removed}]"
        Source.objects.filter(pk=source.pk).update(
            url="", reliability_note=note, version=source.version + 1
        )


class Migration(migrations.Migration):
    dependencies = [
        ("coi", "0002_full_text_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="source",
            name="url",
            field=models.URLField(
                blank=True,
                max_length=1000,
                validators=[nansen.core.weblinks.validate_web_url],
                verbose_name="address (URL)",
            ),
        ),
        migrations.RunPython(clear_other_schemes, migrations.RunPython.noop),
    ]
