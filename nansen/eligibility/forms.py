from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from nansen.core.forms import Form
from nansen.eligibility import rules
from nansen.eligibility.models import (
    Assessment,
    Conclusion,
    Credibility,
    EvidenceKind,
    Exclusion,
    ExclusionClause,
    Finding,
    Ground,
    HarmAgent,
    MaterialFact,
    Part,
    Protection,
    Relocation,
    ReviewOutcome,
)
from nansen.eligibility.selectors import conclusions_for
from nansen.eligibility.services import FactInput, GroundInput

YES_NO_UNKNOWN = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]


def _yes_no(value) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _yes_no_initial(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def reasons_field(label=None, required=False, rows=5):
    return forms.CharField(
        label=label or _("Reasons"),
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=50_000,
    )


class StartForm(Form):
    language = forms.ChoiceField(
        label=_("Language of the reasons"),
        choices=settings.LANGUAGES,
        help_text=_("The decision letter quotes the reasons in this language."),
    )
    risk_profile = forms.ChoiceField(label=_("Profile of the claim"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk_profile"].choices = [
            ("", "—"),
            *((p.id, p.label) for p in rules.RISK_PROFILES),
        ]


class GeneralForm(StartForm):
    @classmethod
    def for_assessment(cls, assessment: Assessment, data=None):
        return cls(
            data,
            prefix="general",
            initial={"language": assessment.language, "risk_profile": assessment.risk_profile},
        )


class PartForm(Form):
    """A part with its own fields; ``values()`` gives them as services.PART_FIELDS reads."""

    part: str = ""

    @classmethod
    def for_assessment(cls, assessment: Assessment, data=None):
        return cls(data, prefix=cls.part, initial=cls.initial_from(assessment))

    @classmethod
    def initial_from(cls, assessment: Assessment) -> dict:
        return {name: getattr(assessment, name) for name in cls.base_fields}

    def values(self) -> dict:
        return dict(self.cleaned_data)


class FearForm(PartForm):
    part = Part.FEAR
    fear = forms.ChoiceField(
        label=_("Is there a reasonable possibility of persecution on return?"),
        choices=[
            (Finding.ESTABLISHED, _("Yes: the fear is well-founded")),
            (Finding.NOT_ESTABLISHED, _("No: the fear is not well-founded")),
        ],
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Forward-looking, on the facts accepted (UNHCR Handbook paras. 38-42)."),
    )
    fear_reasons = reasons_field()


class PersecutionForm(PartForm):
    part = Part.PERSECUTION
    harm = forms.CharField(
        label=_("The harm feared"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=50_000,
    )
    harm_agent = forms.ChoiceField(
        label=_("By whom"), choices=HarmAgent.choices, widget=forms.RadioSelect, required=False
    )
    harm_serious = forms.ChoiceField(
        label=_("Serious enough to amount to persecution?"),
        choices=YES_NO_UNKNOWN,
        required=False,
    )
    harm_cumulative = forms.BooleanField(
        label=_("Persecution on cumulative grounds (UNHCR Handbook paras. 53-55)"),
        required=False,
    )
    persecution = forms.ChoiceField(
        label=_("Finding"), choices=Finding.choices, widget=forms.RadioSelect, required=False
    )
    persecution_reasons = reasons_field()

    @classmethod
    def initial_from(cls, assessment):
        initial = super().initial_from(assessment)
        initial["harm_serious"] = _yes_no_initial(assessment.harm_serious)
        return initial

    def values(self):
        values = dict(self.cleaned_data)
        values["harm_serious"] = _yes_no(values["harm_serious"])
        return values


class ProtectionForm(PartForm):
    part = Part.PROTECTION
    protection = forms.ChoiceField(
        label=_("State protection"),
        choices=Protection.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Is protection available to the applicant, and would it be effective?"),
    )
    protection_reasons = reasons_field()


class RelocationForm(PartForm):
    part = Part.RELOCATION
    relocation = forms.ChoiceField(
        label=_("Internal flight or relocation alternative"),
        choices=Relocation.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Relevance, then reasonableness (UNHCR Guidelines No. 4)."),
    )
    relocation_area = forms.CharField(label=_("Proposed area"), required=False, max_length=200)
    relocation_reasons = reasons_field()


class ExclusionForm(PartForm):
    part = Part.EXCLUSION
    exclusion = forms.ChoiceField(
        label=_("Screening"),
        choices=Exclusion.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    exclusion_clauses = forms.MultipleChoiceField(
        label=_("Clauses that may apply"),
        choices=ExclusionClause.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    exclusion_reasons = reasons_field()


class ConclusionForm(PartForm):
    part = Part.CONCLUSION
    conclusion = forms.ChoiceField(
        label=_("Conclusion"),
        choices=Conclusion.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    conclusion_reasons = reasons_field()

    def __init__(self, *args, allowed=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["conclusion"].choices = [c for c in Conclusion.choices if c[0] in allowed]

    @classmethod
    def for_assessment(cls, assessment, data=None):
        return cls(
            data,
            prefix=cls.part,
            initial=cls.initial_from(assessment),
            allowed=conclusions_for(assessment.application.procedure),
        )


PART_FORMS: dict[str, type[PartForm]] = {
    f.part: f
    for f in (
        FearForm,
        PersecutionForm,
        ProtectionForm,
        RelocationForm,
        ExclusionForm,
        ConclusionForm,
    )
}


class GroundsForm(Form):
    """The Convention grounds (``nexus``) or the complementary grounds, one fieldset each."""

    def __init__(self, *args, grounds, with_claim: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.grounds = grounds  # [(id, label)]
        self.with_claim = with_claim
        for ground, _label in grounds:
            if with_claim:
                self.fields[f"{ground}-claimed"] = forms.BooleanField(
                    label=_("Claimed by the applicant"), required=False
                )
            self.fields[f"{ground}-finding"] = forms.ChoiceField(
                label=_("Finding"),
                choices=[("", "—"), *Finding.choices],
                required=False,
            )
            if with_claim:
                self.fields[f"{ground}-imputed"] = forms.BooleanField(
                    label=_("Imputed by the persecutor"), required=False
                )
            self.fields[f"{ground}-reasons"] = reasons_field(rows=3)

    def rows(self):
        """(ground, label, the finding and its checkboxes, the reasons) for each ground."""
        for ground, label in self.grounds:
            fields = [f for f in self if f.name.startswith(f"{ground}-")]
            yield ground, label, fields[:-1], fields[-1]

    def inputs(self) -> list[GroundInput]:
        data = self.cleaned_data
        return [
            GroundInput(
                ground=ground,
                finding=data.get(f"{ground}-finding", ""),
                reasons=data.get(f"{ground}-reasons", ""),
                claimed=data.get(f"{ground}-claimed", False),
                imputed=data.get(f"{ground}-imputed", False),
            )
            for ground, _label in self.grounds
        ]

    @classmethod
    def nexus(cls, assessment, data=None):
        initial = {}
        for n in assessment.nexus.all():
            initial.update(
                {
                    f"{n.ground}-claimed": n.claimed,
                    f"{n.ground}-finding": n.finding,
                    f"{n.ground}-imputed": n.imputed,
                    f"{n.ground}-reasons": n.reasons,
                }
            )
        return cls(
            data, prefix=Part.NEXUS, initial=initial, with_claim=True, grounds=list(Ground.choices)
        )

    @classmethod
    def complementary(cls, assessment, data=None):
        initial = {}
        for c in assessment.complementary.all():
            initial.update({f"{c.ground}-finding": c.finding, f"{c.ground}-reasons": c.reasons})
        grounds = [
            (g.id, g.label) for g in rules.complementary_grounds(assessment.application.profile)
        ]
        return cls(
            data, prefix=Part.COMPLEMENTARY, initial=initial, with_claim=False, grounds=grounds
        )


class FactForm(Form):
    statement = forms.CharField(
        label=_("The fact claimed"), widget=forms.Textarea(attrs={"rows": 2}), max_length=50_000
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=50_000,
    )
    evidence_kinds = forms.MultipleChoiceField(
        label=_("Kinds of evidence"),
        choices=EvidenceKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    credibility = forms.ChoiceField(
        label=_("Credibility finding"),
        choices=Credibility.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    reasons = reasons_field()
    inconsistency = forms.CharField(
        label=_("If rejected: the inconsistency it rests on"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=50_000,
    )
    explanation_sought = forms.ChoiceField(
        label=_("If rejected: was the applicant given the chance to explain it?"),
        choices=YES_NO_UNKNOWN,
        required=False,
    )
    explanation = forms.CharField(
        label=_("If rejected: the applicant's explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=50_000,
    )

    @classmethod
    def for_fact(cls, fact: MaterialFact | None, data=None):
        if fact is None:
            return cls(data, prefix="fact-new")
        initial = {name: getattr(fact, name) for name in cls.base_fields}
        initial["explanation_sought"] = _yes_no_initial(fact.explanation_sought)
        return cls(data, prefix=f"fact-{fact.pk}", initial=initial)

    def input(self) -> FactInput:
        data = dict(self.cleaned_data)
        data["explanation_sought"] = _yes_no(data["explanation_sought"])
        return FactInput(**data)


class CiteForm(Form):
    part = forms.ChoiceField(choices=Part.choices, widget=forms.HiddenInput)
    source = forms.IntegerField(widget=forms.HiddenInput)
    passage = forms.IntegerField(widget=forms.HiddenInput, required=False)
    fact = forms.IntegerField(label=_("For the fact no."), required=False, min_value=1)
    page = forms.CharField(label=_("Page"), required=False, max_length=20)
    paragraph = forms.CharField(label=_("Paragraph"), required=False, max_length=20)
    quote = forms.CharField(
        label=_("Passage quoted"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )


class SubmitForm(Form):
    pass


class ReviewForm(Form):
    outcome = forms.ChoiceField(
        label=_("Your review"), choices=ReviewOutcome.choices, widget=forms.RadioSelect
    )
    comments = forms.CharField(
        label=_("Comments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=50_000,
    )


class PolicyForm(Form):
    review_required = forms.BooleanField(
        label=_("Every assessment needs a supervisor's review"), required=False
    )
    review_profiles = forms.MultipleChoiceField(
        label=_("Assessments under these procedures need a review"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    review_conclusions = forms.MultipleChoiceField(
        label=_("Assessments with these conclusions need a review"),
        choices=Conclusion.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    stale_after_months = forms.IntegerField(
        label=_("Flag cited sources older than (months)"), min_value=1, max_value=240
    )

    def __init__(self, *args, **kwargs):
        from nansen.procedures import profiles

        super().__init__(*args, **kwargs)
        self.fields["review_profiles"].choices = profiles.choices()
