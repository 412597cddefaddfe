"""The volunteer's journey, walked in one language, recording every text it looks up.

``walk(language)`` builds a small world (a fund with an open programme, a network reading
``language``), then goes where a volunteer goes with Django's test client: the public pages, the
one-minute check (once it exists), signing in, starting a network and an application, writing
and submitting the Idea step; and it has the fund act (comment, ask for changes, accept, decline
with a referral) and the daily reminders run, so every e-mail a network member receives is
rendered too. The fund's own screens are not visited: they stay Dutch and English.

While it walks, every ``gettext``/``ngettext`` (and so ``pgettext``/``npgettext``, templates'
``{% translate %}`` and ``{% blocktranslate %}``, lazy strings) is recorded, with whether the
language's OWN catalogue knows it. Django falls back to Dutch for a text missing from the Turkish
catalogue, so a page "works" while half of it is Dutch: this is how we see that.
"""

import dataclasses
import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

import polib
from django.conf import settings
from django.core import mail
from django.test import Client, TestCase
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import trans_real

ROOT = Path(__file__).resolve().parents[2]
#: pgettext looks up "context\x04message" (Django's CONTEXT_SEPARATOR).
CONTEXT_SEPARATOR = "\x04"


@dataclasses.dataclass(frozen=True)
class Lookup:
    """One text the journey showed: its msgid (and context, plural), and where it was seen."""

    msgid: str
    msgctxt: str = ""
    msgid_plural: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.msgctxt, self.msgid)


@dataclasses.dataclass
class Journey:
    language: str
    #: Every text looked up in ``language`` -> whether its own catalogue translates it.
    lookups: dict[Lookup, bool] = dataclasses.field(default_factory=dict)
    #: Where each text was first seen (a page or an e-mail), for the failure message.
    seen_at: dict[Lookup, str] = dataclasses.field(default_factory=dict)
    #: The pages and e-mails walked, in order.
    places: list[str] = dataclasses.field(default_factory=list)
    #: E-mails to a network member that were not written in ``language`` at all.
    mails_in_another_language: list[str] = dataclasses.field(default_factory=list)
    place: str = ""

    def ours(self) -> dict[Lookup, bool]:
        """Only the project's own texts (Django's and libraries' own are theirs to translate)."""
        return {lookup: done for lookup, done in self.lookups.items() if lookup.key in project()}

    def untranslated(self) -> list[Lookup]:
        return [lookup for lookup, done in self.ours().items() if not done]


def _catalogue_keys(path: Path) -> set[tuple[str, str]]:
    if not path.exists():
        return set()
    return {(e.msgctxt or "", e.msgid) for e in polib.pofile(str(path)) if not e.obsolete}


@cache
def project() -> set[tuple[str, str]]:
    """The project's own msgids: what makemessages found in our code (any of our catalogues)."""
    keys = set()
    for language, _name in settings.LANGUAGES:
        keys |= _catalogue_keys(ROOT / "locale" / language / "LC_MESSAGES" / "django.po")
    return keys


def _split(message: str) -> tuple[str, str]:
    if CONTEXT_SEPARATOR in message:
        context, msgid = message.split(CONTEXT_SEPARATOR, 1)
        return context, msgid
    return "", message


@contextmanager
def recording(journey: Journey) -> Iterator[Journey]:
    """Patch the translation class so that every lookup in ``journey.language`` is recorded."""
    translation_class = trans_real.DjangoTranslation
    original_gettext = translation_class.gettext
    original_ngettext = translation_class.ngettext

    def note(self, lookup: Lookup, known: bool) -> None:
        if self.language() != journey.language:
            return  # a fallback, or a message to someone reading another language
        journey.lookups[lookup] = journey.lookups.get(lookup, True) and known
        journey.seen_at.setdefault(lookup, journey.place)

    def gettext(self, message):
        context, msgid = _split(message)
        note(self, Lookup(msgid, context), message in self._catalog)
        return original_gettext(self, message)

    def ngettext(self, msgid1, msgid2, n):
        context, msgid = _split(msgid1)
        note(self, Lookup(msgid, context, msgid2), (msgid1, 0) in self._catalog)
        return original_ngettext(self, msgid1, msgid2, n)

    translation_class.gettext = gettext
    translation_class.ngettext = ngettext
    try:
        yield journey
    finally:
        translation_class.gettext = original_gettext
        translation_class.ngettext = original_ngettext


# ---------------------------------------------------------------------------------------------
# Walking.


class Walker:
    """A browser tab of one person, reading ``journey.language``; it records each place."""

    def __init__(self, journey: Journey, user=None):
        self.journey = journey
        self.client = Client()
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = journey.language
        if user is not None:
            self.client.force_login(user)

    def at(self, place: str) -> None:
        self.journey.place = place
        self.journey.places.append(place)

    def get(self, place: str, url: str, *, ok=(HTTPStatus.OK,)):
        self.at(f"{place}: GET {url}")
        response = self.client.get(url)
        assert response.status_code in ok, f"{place}: {url} answered {response.status_code}"
        return response

    def post(self, place: str, url: str, data: dict, *, ok=(HTTPStatus.OK, HTTPStatus.FOUND)):
        self.at(f"{place}: POST {url}")
        with committed():
            response = self.client.post(url, data)
        assert response.status_code in ok, f"{place}: {url} answered {response.status_code}"
        if response.status_code == HTTPStatus.FOUND:
            location = response["Location"]
            self.get(f"{place} (after)", location, ok=(HTTPStatus.OK, HTTPStatus.FOUND))
        return response


@contextmanager
def committed():
    """Run what the change does after its commit (the e-mails) as production would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


def filled(form, **given) -> dict:
    """POST data for ``form``: ``given`` values, else each field's initial or first choice."""
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if name in given:
            data[key] = given[name]
            continue
        value = form.initial.get(name, field.initial)
        if value in (None, "") and getattr(field, "choices", None):
            value = next((c for c, _label in field.choices if c not in ("", None)), "")
        if value not in (None, ""):
            data[key] = value.pk if hasattr(value, "pk") else value
    return {**data, **{k: v for k, v in given.items() if k not in form.fields}}


def exists(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def _one_minute_check(walker: Walker, programme) -> None:
    """The one-minute check, where the site has it: /check/ and /programmes/<slug>/check/."""
    for url in ("/check/", f"{reverse('programme_detail', args=[programme.slug])}check/"):
        if not exists(url):
            continue
        response = walker.get("one-minute check", url)
        form = (response.context or {}).get("form") if response.context else None
        walker.post("one-minute check, nothing answered", url, {})
        if form is not None:
            walker.post("one-minute check, answered", url, filled(form))


def _route(name: str, *args) -> str | None:
    """The address of a page another part of the issue adds, or None while it is not there."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _helper_invitation(walker: Walker, application) -> None:
    """The coordinator invites a helper to write along; the helper opens the invitation."""
    if not (invite := _route("helper_invite", application.pk)):
        return
    before = len(mail.outbox)
    walker.post("invite a helper", invite, {"email": "helper@example.org"})
    for message in _mails_since(before):
        walker.journey.places.append(f"e-mail: helper invitation: {message.subject}")
        if found := re.search(r"/help/([^/\s]+)/", message.body):
            Walker(walker.journey).get(
                "helper invitation", reverse("helper_respond", args=[found[1]])
            )


def _warm_referral(walker: Walker, application) -> None:
    """After a no: the button that starts an application where the fund referred the network."""
    referral = application.referrals.exclude(programme=None).first()
    if referral is None or not (apply := _route("referral_apply", application.pk, referral.pk)):
        return
    walker.post("warm referral", apply, {})


def _mails_since(count: int) -> list:
    return mail.outbox[count:]


def _expect_mail(journey: Journey, what: str, before: int, address: str) -> list:
    """The e-mails ``address`` got since ``before``; each must be written in the language."""
    received = [m for m in _mails_since(before) if address in m.to]
    assert received, f"{what}: no e-mail to {address}"
    for message in received:
        journey.places.append(f"e-mail: {what}: {message.subject}")
    return received


def walk(language: str) -> Journey:  # noqa: PLR0915 - one journey, read top to bottom
    """Walk the volunteer's journey in ``language``; needs the database (a pytest django_db)."""
    from applications import services
    from applications.models import Application, NetworkMember
    from applications.reminders import remind_idle_drafts
    from funds.models import FundMembership
    from notifications.models import Preference
    from tests.applications.factories import COMPLETE_ANSWERS, NetworkFactory, NetworkMemberFactory
    from tests.applications.helpers import CONTACT_REFERRAL
    from tests.funds.factories import FundMembershipFactory, ProgrammeFactory

    journey = Journey(language)
    programme = ProgrammeFactory(title="Together in the street")
    #: Where the fund refers the network when it says no (the warm referral).
    elsewhere = ProgrammeFactory(title="Green corners", fund=programme.fund)
    officer = FundMembershipFactory(fund=programme.fund, role=FundMembership.Role.OFFICER).user
    Preference.objects.create(user=officer, language="nl")
    network = NetworkFactory(name="Street garden", language=language)
    coordinator = NetworkMemberFactory(network=network, role=NetworkMember.Role.COORDINATOR).user
    member = NetworkMemberFactory(network=network, role=NetworkMember.Role.MEMBER).user
    for person in (coordinator, member):
        Preference.objects.create(user=person, language=language)
    # An older draft nobody touched: the daily job reminds the coordinator of it.
    silent = services.application_create(
        network=network,
        programme=ProgrammeFactory(title="Small things"),
        actor=coordinator,
        title="Benches",
        requested_amount="300",
    )

    with recording(journey):
        # Anonymous: from the home page to a sign-in link.
        visitor = Walker(journey)
        visitor.get("home", reverse("home"))
        visitor.get("programme", reverse("programme_detail", args=[programme.slug]))
        _one_minute_check(visitor, programme)
        visitor.get("sign in", reverse("login"))
        visitor.get("sign-in link", reverse("magic_link"))
        visitor.post("sign-in link, no address", reverse("magic_link"), {"email": ""})
        before = len(mail.outbox)
        visitor.post("sign-in link sent", reverse("magic_link"), {"email": member.email})
        (link_mail,) = _expect_mail(journey, "sign-in link", before, member.email)
        link = re.search(r"https?://\S+", link_mail.body).group(0)
        opened = urlsplit(link)
        visitor.get("sign-in link opened", f"{opened.path}?{opened.query}")

        # The coordinator: a network, a member invited, an application started and written.
        you = Walker(journey, coordinator)
        you.get("landing", reverse("home"))
        you.get("dashboard", reverse("dashboard"))
        create = you.get("new network", reverse("network_create"))
        you.post("new network, no name", reverse("network_create"), {"name": ""})
        you.post(
            "new network",
            reverse("network_create"),
            filled(create.context["form"], name="Repair café", legal_status="none"),
        )
        you.get("network", reverse("network_detail", args=[network.pk]))
        invite = reverse("network_invite", args=[network.pk])
        # The invitation form is on the network's page; a wrong address answers with the page.
        you.post(
            "invite, wrong address",
            invite,
            {"email": "not an address", "role": "member"},
            ok=(HTTPStatus.BAD_REQUEST,),
        )
        before = len(mail.outbox)
        you.post("invite", invite, {"email": "new.person@example.org", "role": "member"})
        (invitation,) = _expect_mail(journey, "invitation", before, "new.person@example.org")
        token = re.search(r"/invitations/([^/\s]+)/", invitation.body).group(1)
        Walker(journey).get("invitation", reverse("invitation_respond", args=[token]))

        start = reverse("application_start", args=[programme.slug])
        you.get("start an application", start)
        you.post("start an application, no title", start, {"network": network.pk, "title": ""})
        you.post(
            "start an application",
            start,
            {"network": network.pk, "title": "Garden", "requested_amount": "1000"},
        )
        application = Application.objects.get(title="Garden")
        detail = reverse("application_detail", args=[application.pk])
        step = reverse("step_detail", args=[application.pk, "idea"])
        answers = {f"q-{key}": value for key, value in COMPLETE_ANSWERS["idea"].items()}
        you.get("application", detail)
        _helper_invitation(you, application)
        you.get("Idea step", step)
        you.post(
            "Idea step, a question left open", step, {**answers, "q-why": "", "action": "submit"}
        )
        you.post("Idea step, saved", step, {**answers, "action": "save"})
        before = len(mail.outbox)
        you.post("Idea step, submitted", step, {**answers, "action": "submit"})
        _expect_mail(journey, "step submitted (receipt)", before, member.email)
        you.get("application, submitted", detail)

        # The fund answers; every message reaches the network's members in their language.
        application.refresh_from_db()
        idea = application.current_step
        before = len(mail.outbox)
        with committed():
            services.comment_create(step=idea, actor=officer, body="Which street?")
        _expect_mail(journey, "comment from the fund", before, member.email)
        before = len(mail.outbox)
        with committed():
            services.application_request_changes(
                application=application, actor=officer, comment="Say more about the neighbours."
            )
        _expect_mail(journey, "changes requested", before, member.email)
        you.get("Idea step, changes asked", step)
        you.post("Idea step, submitted again", step, {**answers, "action": "submit"})
        before = len(mail.outbox)
        with committed():
            services.application_accept_step(application=application, actor=officer)
        _expect_mail(journey, "step accepted", before, member.email)
        application.refresh_from_db()
        you.get("application, next step", detail)
        you.get(
            "next step", reverse("step_detail", args=[application.pk, application.current_step.key])
        )

        # A plain member's view of the same.
        plain = Walker(journey, member)
        plain.get("member: dashboard", reverse("dashboard"))
        plain.get("member: network", reverse("network_detail", args=[network.pk]))
        plain.get("member: application", detail)
        plain.get("member: Idea step", step)

        # The fund says no, with advice and a referral; and the daily job's reminder.
        before = len(mail.outbox)
        with committed():
            services.application_decline(
                application=application,
                actor=officer,
                reason="Outside our region.",
                advice="Ask the district fund.",
                referrals=[CONTACT_REFERRAL, {"programme": elsewhere.pk}],
            )
        _expect_mail(journey, "declined with a referral", before, member.email)
        you.get("application, declined", detail)
        _warm_referral(you, application)
        before = len(mail.outbox)
        with committed():
            remind_idle_drafts(timezone.now() + datetime.timedelta(days=60))
        _expect_mail(journey, "reminder: a silent draft", before, coordinator.email)
        assert silent.pk  # the draft the reminder is about

        # Messages and account.
        you.get("messages", reverse("notification_list"))
        plain.get("member: messages", reverse("notification_list"))
        you.get("account", reverse("account"))

    _check_mail_languages(journey, member, coordinator)
    return journey


def _check_mail_languages(journey: Journey, *people) -> None:
    """A member's e-mail whose subject is a Dutch text was not written in their language."""
    if journey.language == "nl":
        return
    addresses = {person.email for person in people}
    for message in mail.outbox:
        subject = " ".join(message.subject.split())
        if addresses & set(message.to) and any(p.fullmatch(subject) for p in dutch_texts()):
            journey.mails_in_another_language.append(f"{message.to[0]}: {message.subject}")


@cache
def dutch_texts() -> tuple[re.Pattern, ...]:
    """The Dutch catalogue's texts as patterns: a placeholder stands for any words."""
    catalogue = polib.pofile(str(ROOT / "locale/nl/LC_MESSAGES/django.po"))
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]")
    patterns = []
    for entry in catalogue:
        if not entry.msgstr or entry.msgstr == entry.msgid or len(entry.msgstr) < 12:
            continue
        parts = placeholder.split(" ".join(entry.msgstr.split()))
        patterns.append(re.compile(".+?".join(re.escape(part) for part in parts)))
    return tuple(patterns)
