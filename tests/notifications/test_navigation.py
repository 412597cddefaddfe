"""The header's navigation: staff items only for fund staff, the unread badge outside the folded
menu, and personal tokens reachable from the account page for everyone."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from applications.models import NetworkMember
from funds.models import FundMembership
from notifications.models import Notification
from tests.applications.factories import NetworkMemberFactory
from tests.funds.factories import FundMembershipFactory

pytestmark = pytest.mark.django_db

STAFF_ITEMS = ["queue", "pool_list", "webhooks_home", "credentials_home"]


class Header(HTMLParser):
    """The header's links, each with whether it sits inside the folded menu (``<details>``)."""

    def __init__(self):
        super().__init__()
        self.in_header = self.in_menu = False
        self.links: dict[str, bool] = {}
        self.badge_in_menu: bool | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "header":
            self.in_header = True
        elif self.in_header and tag == "details" and "nav-menu" in attrs.get("class", ""):
            self.in_menu = True
        elif self.in_header and tag == "a":
            self.links[attrs["href"]] = self.in_menu
        elif self.in_header and tag == "span" and "badge" in attrs.get("class", ""):
            self.badge_in_menu = self.in_menu

    def handle_endtag(self, tag):
        if tag == "details":
            self.in_menu = False
        elif tag == "header":
            self.in_header = False


def header(client, path="/account/") -> Header:
    parser = Header()
    parser.feed(client.get(path).content.decode())
    return parser


def unread_message(user):
    Notification.objects.create(
        recipient=user, email=user.email, language="en", kind="x", subject="s", text="t", path="/"
    )


def test_a_volunteer_sees_no_staff_items_and_no_api_access(client):
    volunteer = NetworkMemberFactory(role=NetworkMember.Role.COORDINATOR).user
    client.force_login(volunteer)
    links = header(client).links
    for name in STAFF_ITEMS:
        assert reverse(name) not in links, name
    assert links[reverse("dashboard")] is True  # in the menu
    assert links[reverse("account")] is True


def test_fund_staff_see_the_staff_items_in_the_menu(client):
    officer = FundMembershipFactory(role=FundMembership.Role.OFFICER).user
    client.force_login(officer)
    links = header(client).links
    assert all(links.get(reverse(name)) is True for name in STAFF_ITEMS)


def test_the_unread_badge_shows_outside_the_folded_menu(client):
    volunteer = NetworkMemberFactory().user
    unread_message(volunteer)
    client.force_login(volunteer)
    parsed = header(client)
    assert parsed.links[reverse("notification_list")] is False
    assert parsed.badge_in_menu is False


def test_someone_signed_out_gets_no_menu_only_sign_in(client):
    page = client.get(reverse("home")).content.decode()
    assert 'class="nav-menu"' not in page
    assert header(client, reverse("home")).links.keys() >= {reverse("login"), reverse("home")}


def test_personal_tokens_stay_reachable_from_the_account_page(client):
    volunteer = NetworkMemberFactory().user
    client.force_login(volunteer)
    page = client.get(reverse("account")).content.decode()
    main = page[page.index("<main") :]
    assert f'href="{reverse("personal_tokens")}"' in main
    assert client.get(reverse("personal_tokens")).status_code == 200
