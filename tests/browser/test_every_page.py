"""Every page of the journeys, on the demo's data, at a phone's width and a desktop's.

For each role (volunteer, officer, manager, signatory, provider) the pages it walks are opened at
360×780 and at 1280×900. At 360 px: nothing wider than the screen, axe-core finds nothing, and every
visible link, button and field is at least 24×24 px (WCAG 2.5.8, measured as axe's ``target-size``
rule does: a link inside a sentence is exempt, and so is a small target with room around it); on a
step page the volunteer writes, the first field in ``<main>`` is an answer. At 1280 px: axe finds
nothing. Each test collects every page's failures and reports them together.
"""

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from agreements import services as agreement_services
from agreements.actions import AGREEMENT_ACTIONS
from agreements.models import Agreement
from agreements.signing import signing_token
from applications.models import Application, NetworkMember
from applications.queue_tabs import tabs
from funds.models import Programme
from pools.models import Allocation, SupportPool
from tests.browser.conftest import VIEWPORTS

pytestmark = pytest.mark.django_db(transaction=True)

PHONE, DESKTOP = VIEWPORTS["phone"], VIEWPORTS["desktop"]

#: The page's width against the screen's: anything wider scrolls sideways on a phone.
OVERFLOW_JS = "() => [document.documentElement.scrollWidth, window.innerWidth]"

#: Visible targets under 24×24 px that neither sit inside a sentence nor have room around them
#: (a 24 px circle around the target's centre touches no other target), as axe's target-size.
SMALL_TARGETS_JS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])';
  const visible = (el) => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && r.right > 0
      && r.left < document.documentElement.clientWidth + 2000 && !el.closest('[hidden], details:not([open]) > :not(summary)');
  };
  const inSentence = (el) => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    if (!block) return false;
    const own = (block.innerText || '').replace(/\\s+/g, ' ').trim();
    let others = '';
    block.querySelectorAll(selector).forEach((t) => { others += (t.innerText || ''); });
    return own.replace(/\\s+/g, '').length > others.replace(/\\s+/g, '').length;
  };
  const targets = [...document.querySelectorAll(selector)].filter(visible)
    .filter((el) => !el.closest('.skip-link'))
    // A target inside another (a button in a summary) counts as that one.
    .filter((el, _i, all) => !all.some((o) => o !== el && o.contains(el) && o.matches('a, button, summary')));
  const rects = targets.map((el) => el.getBoundingClientRect());
  const distance = (x, y, r) => Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
  const small = [];
  targets.forEach((el, i) => {
    const r = rects[i];
    if (r.width >= 23.95 && r.height >= 23.95) return;
    if (inSentence(el)) return;
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const crowded = rects.some((o, j) => j !== i && !targets[j].contains(el) && !el.contains(targets[j]) && distance(x, y, o) < 12);
    if (!crowded) return;
    const name = (el.innerText || el.getAttribute('aria-label') || el.name || el.id || '').trim().slice(0, 40);
    small.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(r.width)}×${Math.round(r.height)}`);
  });
  return small;
}"""

#: The first field a person can fill in ``<main>`` (buttons and hidden fields are not fields).
FIRST_FIELD_JS = """() => {
  const fields = [...document.querySelectorAll('main textarea, main select, main input:not([type=hidden]):not([type=submit]):not([type=button])')]
    .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; });
  if (!fields.length) return null;
  const f = fields[0];
  return {name: f.name, id: f.id, answer: !!f.closest('.question, [data-question], section.question') && !/comment/i.test(f.name) && !f.closest('form[action*="comments"]')};
}"""


class Walk:
    """Opens pages as one person and keeps every failure, so one report lists them all."""

    def __init__(self, page, live_server, check_page):
        self.page, self.live_server, self.check_page = page, live_server, check_page
        self.failures: list[str] = []
        self.visited = 0

    def as_user(self, username: str | None) -> None:
        self.page.context.clear_cookies()
        cookies = [{"name": "django_language", "value": "en", "url": self.live_server.url}]
        if username:
            client = Client()
            client.force_login(get_user_model().objects.get(username=username))
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies.append(
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session,
                    "url": self.live_server.url,
                }
            )
        self.page.context.add_cookies(cookies)

    def fail(self, path: str, width: int, problem: str) -> None:
        self.failures.append(f"{path} at {width} px: {problem}")

    def visit(self, path: str, *, writes_answers: bool = False) -> None:
        page = self.page
        self.visited += 1
        page.set_viewport_size(PHONE)
        response = page.goto(self.live_server.url + path)
        if response is None or response.status != 200:
            self.fail(path, PHONE["width"], f"answered {response and response.status}")
            return
        scroll_width, screen = page.evaluate(OVERFLOW_JS)
        if scroll_width > screen:
            self.fail(path, PHONE["width"], f"the page is {scroll_width} px wide")
        self.axe(path, PHONE["width"])
        if small := page.evaluate(SMALL_TARGETS_JS):
            self.fail(path, PHONE["width"], "targets under 24×24 px: " + "; ".join(small))
        if writes_answers:
            first = page.evaluate(FIRST_FIELD_JS)
            if not first or not first["answer"]:
                self.fail(path, PHONE["width"], f"the first field is not an answer: {first}")
        page.set_viewport_size(DESKTOP)
        self.axe(path, DESKTOP["width"])

    def axe(self, path: str, width: int) -> None:
        try:
            self.check_page(self.page)
        except AssertionError as error:
            self.fail(path, width, str(error)[:3000])

    def done(self) -> None:
        assert self.visited, "no page was visited"
        assert not self.failures, "\n\n".join(self.failures)


@pytest.fixture
def walk(page, live_server, check_page):
    call_command("demo", stdout=StringIO())
    return Walk(page, live_server, check_page)


def application(title: str) -> Application:
    return Application.objects.get(title=title)


def step_paths(app: Application) -> list[str]:
    return [reverse("step_detail", args=[app.pk, step.key]) for step in app.steps.all()]


def test_every_volunteer_page(walk):
    oost = Programme.objects.get(slug="samen-in-de-buurt")
    walk.as_user(None)
    walk.visit(reverse("home"))
    walk.visit(reverse("programme_detail", args=[oost.slug]))
    walk.visit(reverse("login"))

    # Anna coordinates the community garden: changes were asked on one application.
    walk.as_user("anna")
    changes = application("Moestuin op het pleintje")
    awarded = application("Zomerfeest op het plein")
    walk.visit(reverse("dashboard"))
    walk.visit(reverse("network_detail", args=[changes.network_id]))
    walk.visit(reverse("network_create"))
    walk.visit(reverse("application_detail", args=[changes.pk]))
    walk.visit(
        reverse("step_detail", args=[changes.pk, changes.current_step.key]), writes_answers=True
    )
    walk.visit(reverse("application_detail", args=[awarded.pk]))
    for path in step_paths(awarded):
        walk.visit(path)
    # Its agreement is signed and its progress report is late: the report form.
    walk.visit(reverse("report_create", args=[awarded.agreements.get().pk]))
    # Declined with referrals from the directory; Anna applied elsewhere with her answers.
    declined = Application.objects.get(title="Buurtkrant", state=Application.State.DECLINED)
    walk.visit(reverse("application_detail", args=[declined.pk]))
    warm = Application.objects.get(title="Buurtkrant", referral__isnull=False)
    walk.visit(reverse("application_detail", args=[warm.pk]))
    walk.visit(reverse("step_detail", args=[warm.pk, warm.current_step.key]), writes_answers=True)
    walk.visit(reverse("network_edit", args=[declined.network_id]))
    walk.visit(reverse("check"))
    walk.visit(reverse("programme_check", args=["kleine-buurtideeen"]))
    walk.visit(reverse("notification_list"))
    walk.visit(reverse("account"))
    walk.visit(reverse("my_data"))
    walk.visit(reverse("personal_tokens"))

    # Eva is writing the plan of a new application: a step that is still a draft.
    walk.as_user("eva")
    draft = application("Taalmaatjes voor nieuwkomers")
    walk.visit(reverse("application_start", args=[oost.slug]))
    walk.visit(reverse("application_detail", args=[draft.pk]))
    walk.visit(reverse("step_detail", args=[draft.pk, draft.current_step.key]), writes_answers=True)
    walk.done()


def test_every_officer_page(walk):
    walk.as_user("fenna")
    walk.visit(reverse("queue"))
    for tab in tabs():
        walk.visit(f"{reverse('queue')}?tab={tab.key}")
    changes = application("Moestuin op het pleintje")
    walk.visit(reverse("application_detail", args=[changes.pk]))
    for path in step_paths(changes):
        walk.visit(path)
    ready = application("Gereedschapsbibliotheek")
    walk.visit(reverse("application_detail", args=[ready.pk]))
    walk.visit(reverse("programme_dashboard", args=["samen-in-de-buurt"]))
    walk.visit(reverse("pool_list"))
    walk.visit(reverse("pool_detail", args=[SupportPool.objects.get().slug]))
    walk.visit(reverse("credentials_home"))
    walk.visit(reverse("webhooks_home"))
    walk.visit(reverse("notification_list"))
    # The fund's own screens behind the staff items: keys, webhooks, retention periods.
    fund = Programme.objects.get(slug="samen-in-de-buurt").fund_id
    walk.visit(reverse("fund_keys", args=[fund]))
    walk.visit(reverse("webhook_fund", args=[fund]))
    walk.visit(reverse("personal_token_create"))
    walk.visit(reverse("fund_retention", args=[fund]))
    walk.visit(reverse("privacy"))
    # The referral directory every fund shares, and declining with it.
    walk.visit(reverse("directory_list"))
    walk.visit(reverse("directory_add"))
    walk.visit(reverse("application_transition", args=[changes.pk, "decline"]))

    # Sanne helps Buurtkeuken Slotervaart write its application: what a helper sees.
    walk.as_user("sanne")
    helped = application("Samen koken voor de buren")
    walk.visit(reverse("dashboard"))
    walk.visit(reverse("application_detail", args=[helped.pk]))
    walk.visit(reverse("step_detail", args=[helped.pk, helped.current_step.key]))

    # Olaf has a submitted budget step waiting: the review page and its transition pages.
    walk.as_user("olaf")
    waiting = application("Reparatiemiddagen in de bibliotheek")
    walk.visit(reverse("step_detail", args=[waiting.pk, waiting.current_step.key]))
    for action in ("request_changes", "decline"):
        walk.visit(reverse("application_transition", args=[waiting.pk, action]))
    walk.done()


def test_every_manager_page(walk):
    walk.as_user("max")
    ready = application("Gereedschapsbibliotheek")
    walk.visit(reverse("application_detail", args=[ready.pk]))
    walk.visit(reverse("application_transition", args=[ready.pk, "award"]))
    to_prepare = application("Boekenkast op straat")
    walk.visit(reverse("application_detail", args=[to_prepare.pk]))
    walk.visit(reverse("agreement_prepare", args=[to_prepare.pk]))
    for agreement in Agreement.objects.filter(application__programme__slug="samen-in-de-buurt"):
        walk.visit(reverse("agreement_detail", args=[agreement.pk]))
        walk.visit(reverse("agreement_preview", args=[agreement.pk]))
    for report in Agreement.objects.get(application__title="Repair Café op tournee").reports.all():
        walk.visit(reverse("report_detail", args=[report.pk]))
    # A manager's forms for the back office: a new key, a new webhook.
    walk.visit(reverse("fund_key_create", args=[ready.programme.fund_id]))
    walk.visit(reverse("webhook_create", args=[ready.programme.fund_id]))
    walk.done()


def send_agreement(title: str) -> Agreement:
    """The demo leaves one award without a contract: its manager prepares and sends it."""
    app = application(title)
    manager = get_user_model().objects.get(username="max")  # the demo's manager of this fund
    agreement = agreement_services.agreement_prepare(
        application=app, actor=manager, arrangement="cooperation_agreement"
    )
    coordinator = app.network.members.get(role=NetworkMember.Role.COORDINATOR).user
    agreement_services.agreement_update(
        agreement=agreement,
        actor=manager,
        payee_name=coordinator.get_full_name(),
        iban="NL91ABNA0417164300",
    )
    # The budget's money lines need not add up to the award: the manager confirms with a note.
    note = "Checked with the network."
    AGREEMENT_ACTIONS.run("send", agreement, actor=manager, data={"confirmed": True, "note": note})
    agreement.refresh_from_db()
    return agreement


def test_every_signatory_page(walk):
    agreement = send_agreement("Boekenkast op straat")
    walk.as_user(None)
    signatory = agreement.signatories.order_by("pk").first()
    walk.visit(reverse("agreement_sign", args=[signing_token(signatory)]))
    walk.visit(reverse("contract_verify"))
    walk.done()


def test_every_provider_page(walk):
    walk.as_user("petra")
    walk.visit(reverse("dashboard"))
    walk.visit(reverse("pool_list"))
    allocations = Allocation.objects.filter(provider__user__username="petra")
    assert allocations.exists()
    for allocation in allocations:
        walk.visit(reverse("allocation_detail", args=[allocation.pk]))
    walk.done()
