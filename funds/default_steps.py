"""The four steps every programme uses unless it defines its own.

Texts are data in each language (not gettext strings) because they are copied into each
application's steps, so that later edits to a programme never change what an application was
asked. Dutch and English here; Turkish and Arabic, for the volunteer's journey, in
``funds.default_step_texts``.
"""

from funds.default_step_texts import MORE_LANGUAGES


def q(key, type_, nl, en, help_nl="", help_en="", required=True):
    question = {"key": key, "type": type_, "label": {"nl": nl, "en": en}, "required": required}
    if help_nl or help_en:
        question["help"] = {"nl": help_nl, "en": help_en}
    return question


DEFAULT_STEPS = [
    {
        "key": "idea",
        "title": {"nl": "Idee", "en": "Idea"},
        "intro": {
            "nl": "Vertel kort wat u wilt doen. Een paar zinnen per vraag is genoeg.",
            "en": "Tell us briefly what you want to do. A few sentences per question is enough.",
        },
        "questions": [
            q("what", "textarea", "Wat wilt u doen?", "What do you want to do?"),
            q("why", "textarea", "Waarom is dit nodig?", "Why is this needed?"),
            q(
                "for_whom",
                "textarea",
                "Voor wie doet u het?",
                "Who is it for?",
                "Bijvoorbeeld: buurtbewoners, jongeren, ouderen in de wijk.",
                "For example: neighbours, young people, older people in the area.",
            ),
        ],
    },
    {
        "key": "plan",
        "title": {"nl": "Plan", "en": "Plan"},
        "intro": {
            "nl": "Beschrijf hoe u het gaat aanpakken en wat u onderling afspreekt.",
            "en": "Describe how you will go about it and what you agree among yourselves.",
        },
        "questions": [
            q("goal", "textarea", "Wat is uw doel?", "What is your goal?"),
            q("audience", "textarea", "Wie wilt u bereiken?", "Whom do you want to reach?"),
            q("method", "textarea", "Hoe gaat u te werk?", "How will you work?"),
            q(
                "coordination",
                "textarea",
                "Hoe stemt u af met instellingen en de gemeente?",
                "How do you coordinate with institutions and the municipality?",
            ),
            q(
                "agreements",
                "textarea",
                "Welke afspraken maakt u binnen het netwerk?",
                "What agreements do you make within the network?",
                "Wie beslist er, wie tekent er, en hoe houdt u iedereen op de hoogte?",
                "Who decides, who signs, and how do you keep everyone informed?",
            ),
            q(
                "earning_model",
                "textarea",
                "Verdient u zelf ook geld of steun? Hoe?",
                "Do you earn money or support yourselves? How?",
                "Bijvoorbeeld een kleine bijdrage van deelnemers. Dit geeft een fonds vertrouwen.",
                "For example a small fee from participants. This builds a fund's trust.",
                required=False,
            ),
        ],
    },
    {
        "key": "budget",
        "title": {"nl": "Begroting en behoeften", "en": "Budget and needs"},
        "intro": {
            "nl": "Denk niet eerst aan geld: wat heeft u nodig? Geef per regel aan of het ook "
            "in natura kan, bijvoorbeeld uren hulp of spullen.",
            "en": "Don't think in money first: what do you need? Say for each line whether it "
            "could be given in kind instead, such as hours of help or goods.",
        },
        "questions": [
            q("needs", "budget_lines", "Wat heeft u nodig?", "What do you need?"),
            q(
                "other_sources",
                "funding_sources",
                "Andere bronnen",
                "Other sources",
                "Eigen bijdrage, crowdfunding, lokale bedrijven of andere fondsen.",
                "Own contribution, crowdfunding, local businesses or other funds.",
                required=False,
            ),
        ],
    },
    {
        "key": "accountability",
        "title": {"nl": "Verantwoording", "en": "Accountability"},
        "intro": {
            "nl": "Een fonds wil weten dat het geld goed terechtkomt. U hoeft daarvoor geen "
            "stichting of vereniging te zijn: kies wat bij uw netwerk past.",
            "en": "A fund wants to know the money is well spent. You don't need a foundation or "
            "association for that: choose what fits your network.",
        },
        "questions": [
            q(
                "arrangement",
                "arrangement",
                "Welke afspraak stelt u voor?",
                "Which arrangement do you propose?",
            ),
            q(
                "explanation",
                "textarea",
                "Toelichting",
                "Explanation",
                "Bijvoorbeeld wie er tekenen of welke organisatie het geld beheert.",
                "For example who will sign, or which organisation will manage the money.",
                required=False,
            ),
        ],
    },
]


def _add_languages(value):
    """Give every ``{"nl", "en"}`` text of the default steps its Turkish and Arabic too."""
    if isinstance(value, dict):
        if isinstance(value.get("en"), str) and "nl" in value:
            value.update(MORE_LANGUAGES.get(value["en"], {}))
        else:
            for item in value.values():
                _add_languages(item)
    elif isinstance(value, list):
        for item in value:
            _add_languages(item)


_add_languages(DEFAULT_STEPS)
