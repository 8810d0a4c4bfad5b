from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nansen.accounts.roles import Action
from nansen.audit.models import Channel
from nansen.core.decorators import action_required
from nansen.core.downloads import content_disposition
from nansen.core.forms import Form
from nansen.core.permissions import NotAllowed
from nansen.procedures import services
from nansen.procedures.forms import LetterForm, NotifyForm, letter_language_for
from nansen.procedures.selectors import decision_get, letter_get
from nansen.procedures.views._common import form_step
from nansen.procedures.views.applications import application_form_post

SEE_CASES = (Action.VIEW_CASEWORK, Action.VIEW_REPRESENTED)


@action_required(Action.ISSUE_LETTER)
@require_http_methods(["GET", "POST"])
def letter_issue(request, pk: int):
    decision = decision_get(user=request.user, pk=pk, read="letter_issue_form", request=request)
    application = decision.application
    form = LetterForm(
        request.POST or None, initial={"language": letter_language_for(application.person)}
    )

    def perform(data):
        services.letter_issue(
            actor=request.user,
            decision=decision,
            language=data["language"],
            notification_on=data["notification_on"],
            addressee_kind=data["addressee_kind"],
            addressee_country=data["addressee_country"],
        )

    return form_step(
        request,
        form=form,
        template="procedures/letter_issue.html",
        context={"decision": decision, "application": application, "case": application.case},
        perform=perform,
        success=_("The letter was issued."),
        redirect_to=("procedures:application_detail", application.pk),
    )


@action_required(*SEE_CASES)
def letter_pdf(request, pk: int):
    letter = letter_get(
        user=request.user, pk=pk, read="letter_view", request=request, channel=Channel.EXPORT
    )
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(letter.filename)
    response["X-Content-SHA256"] = letter.sha256
    return response


@action_required(Action.ISSUE_LETTER)
@require_POST
def letter_notify(request, pk: int):
    letter = letter_get(user=request.user, pk=pk)
    form = NotifyForm(request.POST)

    def perform(_data):
        # The date is written out in the page, beside each letter: its absence is said.
        if not form.is_valid():
            raise NotAllowed(_("Give the date of notification."))
        services.letter_notify(
            actor=request.user, letter=letter, notified_on=form.cleaned_data["notified_on"]
        )

    return application_form_post(
        request,
        letter.decision.application,
        Form(request.POST),
        perform=perform,
        success=_("The notification was recorded."),
        bound_as="letter_notify",
    )
