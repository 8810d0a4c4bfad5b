"""Reading a case or a person for display records the read in the selector itself, so no
page or API operation can show one without it."""

from nansen.audit.models import AuditEntry
from nansen.registration.selectors import case_get, person_get
from nansen.testing import register_family


def test_it_records_a_case_read_with_its_members(personas):
    case = register_family(personas.clerk, children=1)
    case_get(user=personas.officer, pk=case.pk, read="case_view")
    entry = AuditEntry.objects.get(action="case_view")
    assert (entry.user, entry.object_type, entry.object_id, entry.case_id) == (
        personas.officer,
        "case",
        case.pk,
        case.pk,
    )
    assert sorted(entry.person_ids) == sorted(m.person_id for m in case.members.all())


def test_it_records_a_person_read(personas):
    person = register_family(personas.clerk, children=0).members.first().person
    person_get(user=personas.officer, pk=person.pk, read="person_view")
    entry = AuditEntry.objects.get(action="person_view")
    assert (entry.object_type, entry.object_id, entry.person_ids) == (
        "person",
        person.pk,
        [person.pk],
    )


def test_a_fetch_to_change_a_record_is_not_a_read(personas):
    case = register_family(personas.clerk, children=0)
    before = AuditEntry.objects.count()
    case_get(user=personas.officer, pk=case.pk)
    assert AuditEntry.objects.count() == before
