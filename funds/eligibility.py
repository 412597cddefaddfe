"""Eligibility before effort: can these people apply to this programme at all?

The one home of a programme's rules as a network meets them before it writes anything: the
rules in plain words for the public page (:func:`rules_in_words`), the reasons a group cannot
apply (:func:`refusals`) and the open programmes that do fit (:func:`fitting_programmes`).
The one-minute check on the public pages asks with what a visitor tells; the start of an
application (``applications.services.starting.eligibility_refusal``) asks with what the network's
record knows. Both build :class:`Facts`, so the answer is the same rule in the same words.

What is unknown is never a reason to refuse: a network without a province, a visitor who gives
no amount. What can only be checked on the agreement itself (ages, addresses, names) is stated
here in words, and checked by the agreements app when people sign.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.models import Province
from core.money import format_euros
from core.phones import format_phone
from funds.arrangements import INFORMAL_ARRANGEMENTS, Arrangement
from funds.models import Fund, Programme


class LegalForm(models.TextChoices):
    """What the check asks, and what a network's legal status comes down to for applying."""

    NONE = "none", gettext_lazy("We have no foundation or association")
    ENTITY = "entity", gettext_lazy("We are a foundation or association")


@dataclass(frozen=True)
class Facts:
    """What is known about the group that wants to apply; ``None`` is "not known"."""

    legal_form: str
    #: How many people of the network could sign: members with an e-mail address of their own.
    people: int | None = None
    province: Province | None = None
    amount: Decimal | None = None

    @property
    def has_legal_entity(self) -> bool:
        return self.legal_form == LegalForm.ENTITY


class Refusal(str):
    """A reason in plain words that also knows which rule gave it (``kind``), so a page can add
    the way out: an invitation link for too few signatories, other programmes for the rest."""

    LEGAL_FORM = "legal_form"
    PEOPLE = "people"
    REGION = "region"
    AMOUNT = "amount"
    CLOSED = "closed"

    kind: str
    people_short: int

    def __new__(cls, kind: str, message: str, *, people_short: int = 0):
        refusal = super().__new__(cls, message)
        refusal.kind = kind
        refusal.people_short = people_short
        return refusal


def people_needed(arrangement: str, programme: Programme) -> int:
    """How many people of the network must sign, per arrangement (as ``agreements.rules`` checks
    an agreement before it is sent; funds may not import agreements, so it is stated here):

    - legal entity: none of the members personally, the foundation or association signs;
    - cooperation agreement: the programme's ``min_signatories`` members, each with an e-mail
      address (each signs with their own link);
    - host organisation: none, the host organisation's representative signs;
    - support only: one member accepts the support (an agreement needs one person who signs).
    """
    if arrangement == Arrangement.COOPERATION_AGREEMENT:
        return programme.min_signatories
    if arrangement == Arrangement.SUPPORT_ONLY:
        return 1
    return 0


def open_arrangements(programme: Programme, facts: Facts) -> list[str]:
    """The programme's arrangements this group could use: a group without a foundation or
    association only the informal ones; a foundation or association every one."""
    accepted = programme.accepted_arrangements
    if facts.has_legal_entity:
        return accepted
    return [code for code in accepted if code in INFORMAL_ARRANGEMENTS]


def people_short(programme: Programme, facts: Facts) -> int:
    """How many more people must sign before any open arrangement is possible; 0 when enough
    (or when the number is not known, or no arrangement is open at all)."""
    arrangements = open_arrangements(programme, facts)
    if facts.people is None or not arrangements:
        return 0
    fewest = min(people_needed(code, programme) for code in arrangements)
    return max(fewest - facts.people, 0)


def refusals(programme: Programme, facts: Facts, *, day=None) -> list[Refusal]:
    """Every reason this group cannot apply to ``programme`` now; empty when it can."""
    found = []
    if not programme.is_open(day):
        found.append(Refusal(Refusal.CLOSED, _closed(programme)))
    if not open_arrangements(programme, facts):
        found.append(
            Refusal(
                Refusal.LEGAL_FORM,
                _(
                    "This programme only supports foundations and associations. Look for a "
                    "programme that accepts groups without one."
                ),
            )
        )
    short = people_short(programme, facts)
    if short:
        found.append(Refusal(Refusal.PEOPLE, _people(programme, facts, short), people_short=short))
    # An unknown province refuses nothing, so the programme's provinces are not even asked.
    provinces = list(programme.provinces.all()) if facts.province is not None else []
    if provinces and facts.province not in provinces:
        found.append(
            Refusal(
                Refusal.REGION,
                _(
                    "This programme is only for groups in %(provinces)s. Look for a programme "
                    "in your province, or one for the whole country."
                )
                % {"provinces": either(p.name for p in provinces)},
            )
        )
    if facts.amount is not None and facts.amount > programme.max_amount:
        found.append(
            Refusal(
                Refusal.AMOUNT,
                _(
                    "This programme gives at most %(max)s per application. Ask for less, or "
                    "find other money for the rest."
                )
                % {"max": format_euros(programme.max_amount)},
            )
        )
    return found


def fitting_programmes(facts: Facts, *, day=None, exclude: Programme | None = None):
    """The programmes open now that this group could apply to, by closing date."""
    programmes = Programme.objects.open_on(day).select_related("fund").prefetch_related("provinces")
    if exclude is not None:
        programmes = programmes.exclude(pk=exclude.pk)
    return [programme for programme in programmes if not refusals(programme, facts, day=day)]


def rules_in_words(programme: Programme) -> list[tuple[str, str]]:
    """``(label, sentence)`` per rule, for the public programme page."""
    rules = [
        (_("Who may apply"), _who_may_apply(programme)),
        (_("Who signs"), _who_signs(programme)),
    ]
    if programme.accepts_cooperation_agreement and programme.signatories_min_age:
        rules.append(
            (
                _("Minimum age"),
                _("Everyone who signs a cooperation agreement is at least %(age)s years old.")
                % {"age": programme.signatories_min_age},
            )
        )
    if programme.accepts_cooperation_agreement and programme.signatories_distinct_addresses:
        rules.append(
            (
                _("Different addresses"),
                _("The people who sign a cooperation agreement each live at another address."),
            )
        )
    rules += [
        (_("Region"), region_in_words(programme)),
        (
            _("Maximum amount"),
            _("At most %(max)s per application.") % {"max": format_euros(programme.max_amount)},
        ),
        (
            _("Reply time"),
            ngettext(
                "The fund answers a step you send within %(days)s working day.",
                "The fund answers a step you send within %(days)s working days.",
                programme.reply_working_days,
            )
            % {"days": programme.reply_working_days},
        ),
    ]
    return rules


def region_in_words(programme: Programme) -> str:
    provinces = [province.name for province in programme.provinces.all()]
    if not provinces:
        return _("Groups from the whole country.")
    return _("Only groups in %(provinces)s.") % {"provinces": either(provinces)}


def fund_contact(fund: Fund) -> dict[str, str]:
    """Whom to call or write at the fund, as every refusal shows it: nobody leaves without a
    phone number. ``phone`` as people read it, ``tel`` for the link."""
    return {
        "fund": fund.name,
        "name": fund.contact_name,
        "phone": format_phone(fund.contact_phone) if fund.contact_phone else "",
        "tel": "".join(fund.contact_phone.split()),
        "email": fund.contact_email,
        "website": fund.website,
    }


def either(names) -> str:
    """ "Utrecht", "Utrecht or Gelderland", "Utrecht, Flevoland or Gelderland"."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    return _("%(some)s or %(last)s") % {"some": ", ".join(names[:-1]), "last": names[-1]}


def _closed(programme: Programme) -> str:
    return _("This programme is open from %(opens)s to %(closes)s.") % {
        "opens": formats.date_format(programme.opens_on, "DATE_FORMAT"),
        "closes": formats.date_format(programme.closes_on, "DATE_FORMAT"),
    }


def _people(programme: Programme, facts: Facts, short: int) -> str:
    more = ngettext(
        "%(count)s more person is needed to sign.",
        "%(count)s more people are needed to sign.",
        short,
    ) % {"count": short}
    arrangements = open_arrangements(programme, facts)
    if min(arrangements, key=lambda code: people_needed(code, programme)) != (
        Arrangement.COOPERATION_AGREEMENT
    ):
        return more
    why = ngettext(
        "In this programme at least %(needed)s member signs, with their own e-mail address.",
        "In this programme at least %(needed)s members sign together, each with their own "
        "e-mail address.",
        programme.min_signatories,
    ) % {"needed": programme.min_signatories}
    return f"{more} {why}"


def _who_may_apply(programme: Programme) -> str:
    if programme.accepts_informal_networks:
        # A foundation or association may also sign a cooperation agreement or use a host.
        return _("Groups without a foundation or association, and foundations and associations.")
    return _("Only a foundation or association with a KvK number.")


def _who_signs(programme: Programme) -> str:
    sentences = []
    if programme.accepts_legal_entity:
        sentences.append(_("A foundation or association signs itself."))
    if programme.accepts_cooperation_agreement:
        sentences.append(
            ngettext(
                "Without one, at least %(n)s member of the group signs a cooperation agreement.",
                "Without one, at least %(n)s members of the group sign a cooperation agreement "
                "together.",
                programme.min_signatories,
            )
            % {"n": programme.min_signatories}
        )
    if programme.accepts_host_organisation:
        sentences.append(_("Or an organisation you trust signs and receives the money for you."))
    if programme.accepts_support_only:
        sentences.append(_("For support without money, one member signs."))
    return " ".join(sentences)
