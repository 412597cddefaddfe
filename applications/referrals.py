"""Where a declined network can go next: the rules for one referral, asked by the decline
service (``applications.services.review.application_decline``), the decline form and the API,
so a bad phone number or a programme the network cannot apply to is refused in the same words
everywhere, at the field."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from applications.models import Application, Referral
from applications.services.starting import eligibility_refusal
from funds.models import Programme

REFERRAL_FIELDS = ("programme", "organisation", "contact_name", "phone", "email", "url", "note")
#: The longest note on a referral.
MAX_REFERRAL_NOTE = 2000


def referral_programmes(application: Application) -> QuerySet[Programme]:
    """The programmes a declined network may be referred to: open now, not the one it applied
    to, and ones it could apply to (``eligibility_refusal``: a foundations-only programme is
    not offered to an informal network). The decline form offers these; ``referral_check``
    refuses any other."""
    programmes = (
        Programme.objects.open_on().select_related("fund").exclude(pk=application.programme_id)
    )
    network = application.network
    allowed = [
        programme.pk
        for programme in programmes
        if eligibility_refusal(network=network, programme=programme) is None
    ]
    return programmes.filter(pk__in=allowed)


def referral_check(*, application: Application, data: dict) -> Referral:
    """One referral of a decline, built and checked: an unsaved Referral (its phone number in
    E.164), or a ValidationError naming the field. The decline runs it for every referral;
    the web form and the API run it on each row first, so the message sits at the field."""
    referral = _build_referral(application, data)
    # Referral.clean() states the check constraint's rule in words a user can act on;
    # validating the constraint as well would add its internal name as a second message.
    referral.full_clean(exclude=["application"], validate_constraints=False)
    if referral.programme is not None and (
        refusal := eligibility_refusal(network=application.network, programme=referral.programme)
    ):
        raise ValidationError(
            {
                "programme": _("The network cannot apply to this programme. %(reason)s")
                % {"reason": refusal}
            }
        )
    return referral


def _build_referral(application: Application, data: dict) -> Referral:
    """A Referral from service input; a programme may be given as an instance or an id."""
    if not isinstance(data, dict) or set(data) - set(REFERRAL_FIELDS):
        raise ValidationError(
            _("Use only these fields: %(fields)s.") % {"fields": ", ".join(REFERRAL_FIELDS)}
        )
    values = {key: value for key, value in data.items() if key != "programme"}
    values = {key: (value or "").strip() for key, value in values.items()}
    url = values.get("url", "")
    if url and "://" not in url:
        # People write "www.buurtwerk.nl"; web and API accept it alike, as https.
        values["url"] = f"https://{url}"
    if len(values.get("note", "")) > MAX_REFERRAL_NOTE:
        raise ValidationError(
            {"note": _("Keep it under %(n)s characters.") % {"n": MAX_REFERRAL_NOTE}}
        )
    programme = data.get("programme")
    if programme is not None and not isinstance(programme, Programme):
        programme = (
            Programme.objects.filter(pk=programme).first() if str(programme).isdigit() else None
        )
        if programme is None:
            raise ValidationError({"programme": _("That programme does not exist.")})
    if programme is not None and not programme.is_open():
        raise ValidationError({"programme": _("Refer to a programme that is open now.")})
    return Referral(application=application, programme=programme, **values)
