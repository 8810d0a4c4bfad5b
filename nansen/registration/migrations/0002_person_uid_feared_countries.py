import uuid

from django.db import migrations, models


def give_each_person_a_uid(apps, schema_editor):
    Person = apps.get_model("registration", "Person")
    for person in Person.objects.filter(uid__isnull=True).only("pk").iterator():
        Person.objects.filter(pk=person.pk).update(uid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("registration", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="uid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_each_person_a_uid, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="person",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="person",
            name="feared_countries",
            field=models.JSONField(
                blank=True, default=list, verbose_name="other countries the person fears",
                help_text="Nothing about the person is ever disclosed to their authorities.",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="anonymised_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
