"""The public catalogue: which programmes are open, what each one asks, and the one-minute
check "Is this a fit for us?" (no account, nothing stored: a GET form)."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core.models import Province
from funds import eligibility
from funds.arrangements import Arrangement
from funds.filters import ProgrammeFilter
from funds.models import Programme
from funds.questions import normalise_amount

#: More than any programme gives: an amount above it is a typing slip, said at the field.
MOST_ASKED = Decimal("10000000")
#: More people than ever sign one agreement.
MOST_PEOPLE = 500


def arrangement_labels(programme: Programme) -> list[str]:
    return [Arrangement(code).label for code in programme.accepted_arrangements]


def steps_with_next(blueprints: list[dict]) -> list[dict]:
    """Each step with the title of the one after it (``None`` for the last), so the page can say
    what opens when the fund accepts a step."""
    following = [blueprint["title"] for blueprint in blueprints[1:]] + [None]
    return [
        {**blueprint, "next": next_title}
        for blueprint, next_title in zip(blueprints, following, strict=True)
    ]


class CheckForm(forms.Form):
    """The one-minute check's questions. It only shapes input: ``funds.eligibility`` decides."""

    legal_form = forms.ChoiceField(
        label=_("Does your group have a foundation or association?"),
        choices=eligibility.LegalForm.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the two.")},
    )
    people = forms.IntegerField(
        label=_("How many people in your group would sign?"),
        help_text=_("Each of them needs their own e-mail address."),
        min_value=0,
        max_value=MOST_PEOPLE,
        error_messages={
            "required": _("Enter a number, for example 3."),
            "invalid": _("Enter a whole number, for example 3."),
            "min_value": _("Enter 0 or more."),
            "max_value": _("Enter at most %(limit_value)s."),
        },
    )
    province = forms.ModelChoiceField(
        label=_("Province where you are active"),
        queryset=Province.objects.all(),
        required=False,
        empty_label=_("I'd rather not say"),
    )
    place = forms.CharField(
        label=_("Place (town, village or neighbourhood)"), required=False, max_length=200
    )
    amount = forms.CharField(
        label=_("How much money do you need? (€)"),
        required=False,
        help_text=_("An estimate is fine, for example 2500."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    def clean_amount(self) -> Decimal | None:
        text = self.cleaned_data["amount"].strip()
        if not text:
            return None
        try:
            amount = Decimal(normalise_amount(text))
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite():
            raise ValidationError(_("Enter an amount in euros, for example 2500."))
        if amount < 0:
            raise ValidationError(_("Enter an amount of 0 or more."))
        if amount > MOST_ASKED:
            raise ValidationError(_("That is more than any programme gives. Check the amount."))
        return amount

    def facts(self) -> eligibility.Facts:
        data = self.cleaned_data
        return eligibility.Facts(
            legal_form=data["legal_form"],
            people=data["people"],
            province=data["province"],
            amount=data["amount"],
        )


def programme_check(request, slug):
    """ "Is this a fit for us?" for one programme: yes, or not yet with the reasons, and the
    open programmes that do fit."""
    programme = get_object_or_404(
        Programme.objects.select_related("fund").prefetch_related("provinces"), slug=slug
    )
    return _check(request, programme)


def check(request):
    """The same questions for every open programme: the ones that fit."""
    return _check(request, None)


def _check(request, programme: Programme | None):
    # Answered once any question came in; an empty GET is the questions alone.
    form = CheckForm(request.GET or None)
    context = {"form": form, "programme": programme, "answered": False}
    if programme is not None:
        context["contact"] = eligibility.fund_contact(programme.fund)
    if form.is_bound and form.is_valid():
        facts = form.facts()
        context["answered"] = True
        context["fitting"] = eligibility.fitting_programmes(facts, exclude=programme)
        if programme is not None:
            context["reasons"] = eligibility.refusals(programme, facts)
    return render(request, "funds/check.html", context)


def catalogue(request):
    programmes = Programme.objects.open_on().select_related("fund")
    filterset = ProgrammeFilter(request.GET, queryset=programmes)
    cards = [
        {"programme": programme, "accepts": arrangement_labels(programme)}
        for programme in filterset.qs
    ]
    return render(
        request,
        "funds/catalogue.html",
        {"filter": filterset, "form": filterset.form, "cards": cards},
    )


def programme_detail(request, slug):
    programme = get_object_or_404(Programme.objects.select_related("fund"), slug=slug)
    apply_url = None
    if programme.is_open():
        try:
            apply_url = reverse("application_start", kwargs={"slug": programme.slug})
        except NoReverseMatch:  # the application screens are not installed
            apply_url = None
    return render(
        request,
        "funds/programme_detail.html",
        {
            "programme": programme,
            "fund": programme.fund,
            "themes": programme.fund.themes.all(),
            "accepts": arrangement_labels(programme),
            "rules": eligibility.rules_in_words(programme),
            "contact": eligibility.fund_contact(programme.fund),
            "arrangement_labels": {code: label for code, label in Arrangement.choices},
            "steps": steps_with_next(programme.step_blueprints()),
            "is_open": programme.is_open(),
            "apply_url": apply_url,
            # The fund's own staff get a link to the programme's dashboard (applications' page).
            "is_fund_staff": request.user.is_authenticated
            and programme.fund.memberships.filter(user=request.user).exists(),
        },
    )
