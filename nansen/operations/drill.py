"""Data for restore drills: a small office with persons, families, encrypted sensitive data,
an import and the audit chain they leave."""

from __future__ import annotations

from nansen.imports import services as imports
from nansen.imports.templates_files import template_csv
from nansen.registration.services import SensitiveInput, person_sensitive_update
from nansen.testing import make_personas, register_family


def populate(families: int = 5) -> None:
    personas = make_personas()
    for index in range(families):
        case = register_family(personas.clerk, children=index % 3, given_name=f"Drill{index}")
        principal = case.members.get(relationship="principal").person
        person_sensitive_update(
            actor=personas.officer,
            person=principal,
            expected_version=principal.version,
            data=SensitiveInput(religion="Sunni Muslim", flight_reasons=f"Summary {index}"),
        )
    data = template_csv()
    job = imports.import_job_create(actor=personas.clerk, file_name="drill.csv", data=data)
    imports.import_run(actor=personas.clerk, job=job, data=data)
