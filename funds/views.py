"""The public catalogue: which programmes are open, and what each one asks."""

from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse

from funds.arrangements import Arrangement
from funds.filters import ProgrammeFilter
from funds.models import Programme


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
            "arrangement_labels": {code: label for code, label in Arrangement.choices},
            "steps": steps_with_next(programme.step_blueprints()),
            "is_open": programme.is_open(),
            "apply_url": apply_url,
            # The fund's own staff get a link to the programme's dashboard (applications' page).
            "is_fund_staff": request.user.is_authenticated
            and programme.fund.memberships.filter(user=request.user).exists(),
        },
    )
