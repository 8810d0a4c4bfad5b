"""Decision letters: the text extracted from the PDF states the decision, the reasons, the
body to appeal to and the exact last day, in English, Japanese and Arabic."""

import hashlib
import re
import shutil
import subprocess
import unicodedata
from datetime import date

import pytest

from nansen.audit.models import AuditEntry, CaseEvent
from nansen.core.permissions import NotAllowed
from nansen.procedures import services
from nansen.procedures.models import Deadline
from nansen.procedures.tests.conftest import at
from nansen.testing import skip_or_fail

REASONS = "The account of the arrest in 2019 is inconsistent with the documents."


def pdf_text(pdf: bytes) -> str:
    """The letter's text as pdftotext reads it, normalised: format characters (bidi marks)
    and Arabic vowel marks dropped, spaces collapsed."""
    if shutil.which("pdftotext") is None:
        skip_or_fail("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        [shutil.which("pdftotext"), "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Mn"))
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def refusal(time_machine, personas, family, members, assessments_drafted):
    time_machine.move_to(at("2025-04-28 09:00"), tick=False)
    (application,) = services.application_lodge(
        actor=personas.clerk, case=family, persons=members[:1], lodged_on=date(2025, 2, 3)
    )
    return services.decision_record(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        outcome="rejected",
        decided_on=date(2025, 4, 25),
        reasons=REASONS,
        without_interview_reason="The applicant declined the interview in writing.",
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "Refusal of refugee status",
                REASONS,
                "the Minister of Justice",
                "7 May 2025",
                "(2025-05-07)",
                "Your right to appeal",
                "within 7 days",
            ],
        ),
        (
            "ja",
            [
                "難民の認定をしない処分",
                REASONS,
                "法務大臣",
                "2025年5月7日",
                "(2025-05-07)",
                "審査請求",
                "7日以内",
            ],
        ),
        (
            "ar",
            ["رفض الاعتراف بصفة اللاجئ", "2019", "وزير العدل", "مايو", "2025-05-07", "أيام"],
        ),
    ],
)
def test_the_letter_states_decision_reasons_body_and_last_day(
    personas, refusal, language, expected
):
    letter = services.letter_issue(actor=personas.officer, decision=refusal, language=language)
    text = pdf_text(bytes(letter.pdf))
    for phrase in expected:
        assert phrase in text, (language, phrase, text)
    assert letter.last_day == date(2025, 5, 7) and letter.rule == "review-request"
    assert letter.sha256 == hashlib.sha256(bytes(letter.pdf)).hexdigest()


def test_the_letter_headings_are_translated(personas, refusal):
    texts = {
        language: pdf_text(
            bytes(
                services.letter_issue(
                    actor=personas.officer, decision=refusal, language=language
                ).pdf
            )
        )
        for language in ("ja", "ar")
    }
    assert "理由" in texts["ja"] and "最終日" in texts["ja"]
    assert "الأسباب" in texts["ar"] and "آخر يوم" in texts["ar"]


@pytest.mark.usefixtures("assessments_drafted")
def test_a_unhcr_letter_states_the_late_appeal_day(time_machine, personas, family, members):
    time_machine.move_to(at("2025-01-10 09:00"), tick=False)
    (application,) = services.application_lodge(
        actor=personas.clerk,
        case=family,
        persons=members[:1],
        lodged_on=date(2024, 11, 4),
        profile="unhcr-mandate",
        processing_mode="merged",
    )
    # UNHCR rejects no claim without an interview (Procedural Standards §4.3.1).
    services.application_record_interview(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        interview_on=date(2024, 11, 4),
    )
    application.refresh_from_db()
    refusal = services.decision_record(
        actor=personas.officer,
        application=application,
        expected_version=application.version,
        outcome="rejected",
        decided_on=date(2025, 1, 10),
        reasons=REASONS,
    )
    letter = services.letter_issue(actor=personas.officer, decision=refusal, language="en")
    text = pdf_text(bytes(letter.pdf))
    assert "Rejection of the application for refugee status" in text
    assert "9 February 2025 (2025-02-09)" in text
    assert "23 March 2025 (2025-03-23)" in text
    assert "took no part in" in text


def test_issue_and_notification_are_in_the_history_and_start_the_period(personas, refusal):
    letter = services.letter_issue(actor=personas.officer, decision=refusal, language="en")
    with pytest.raises(NotAllowed, match="issue a new letter"):
        services.letter_notify(actor=personas.officer, letter=letter, notified_on=date(2025, 4, 27))
    services.letter_notify(actor=personas.officer, letter=letter, notified_on=date(2025, 4, 28))
    issued = CaseEvent.objects.get(verb="letter_issued")
    assert issued.details["sha256"] == letter.sha256
    notified = CaseEvent.objects.get(verb="decision_notified")
    assert notified.details["deadlines"] == {"review-request": "2025-05-07"}
    assert Deadline.objects.get(rule="review-request").due_on == date(2025, 5, 7)
    with pytest.raises(NotAllowed, match="already notified"):
        services.letter_issue(actor=personas.officer, decision=refusal, language="ja")


def test_a_letter_never_goes_to_the_authorities_of_the_country_of_origin(personas, refusal):
    with pytest.raises(NotAllowed, match=r"Syria.*Nothing about an applicant is ever disclosed"):
        services.letter_issue(
            actor=personas.officer,
            decision=refusal,
            language="en",
            addressee_kind="authority",
            addressee_country="SYR",
        )
    refused = AuditEntry.objects.get(action="guard_refused")
    assert (refused.details["road"], refused.details["country"]) == ("letter", "SYR")
    assert refused.object_type == "decision" and refused.object_id == refusal.pk
    copy = services.letter_issue(
        actor=personas.officer,
        decision=refusal,
        language="en",
        addressee_kind="authority",
        addressee_country="JPN",
    )
    assert copy.addressee_country == "JPN"
