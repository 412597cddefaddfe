"""Seed a demo that can be walked by hand: three funds, five networks (one working in Turkish,
with a helper), a referral directory, applications in every open and closed state. Safe to run again: nothing is duplicated, dates stay current.

For the API, every demo user gets a personal access token and every demo fund a read+write key
(acting as a manager of the fund), printed by ``--json``. Their secrets are derived from a fixed
string, so they are the same on every machine and the README's examples work as written: they
are as public as the demo password, so never load the demo into a real installation.
"""

import datetime
import hashlib
import json
import re
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from agreements import services as agreement_services
from agreements.actions import AGREEMENT_ACTIONS, REPORT_ACTIONS, TRANCHE_ACTIONS
from agreements.models import Agreement
from agreements.signing import signing_token
from applications import services
from applications.actions import APPLICATION_ACTIONS
from applications.models import Application, Network, NetworkMember
from core import regions
from core.models import Province
from demo import directory as directory_demo
from demo import helping as helping_demo
from demo import pools as pool_demo
from funds.models import Fund, FundMembership, Programme, Theme
from integrations.models import FundAPIKey, PersonalAccessToken, Scope
from notifications.models import Preference
from notifications.reminders import send_reminders

PASSWORD = "eigenwijs-demo"
STAFF_GROUP = "Fund staff"
#: Seed of the demo's API secrets (see the module's docstring).
API_SEED = "eigenwijs-demo-api"

FUNDS = [
    {
        "slug": "buurtfonds-oost",
        "name": "Buurtfonds Oost",
        "region": "Amsterdam",
        "description": "Steunt bewoners die samen iets doen voor hun buurt, ook zonder stichting.",
        "themes": ["Buurt", "Groen", "Ontmoeting"],
        "contact": ("Fenna de Vries", "fenna@buurtfonds-oost.example", "020 555 0100"),
        "officer": ("fenna", "Fenna", "de Vries"),
        "officer_phone": "020 555 0111",
        "manager": ("max", "Max", "Jansen"),
        # A second manager: the one who awarded may not countersign the agreement (four eyes).
        "countersigner": ("noor", "Noor", "Peters"),
        "programme": {
            "slug": "samen-in-de-buurt",
            "title": "Samen in de buurt",
            "description": "Voor informele netwerken. U kunt ook zonder stichting aanvragen: "
            "met een samenwerkingsovereenkomst, via een gastorganisatie of alleen met steun.",
            "budget": Decimal("50000"),
            "max_amount": Decimal("5000"),
            "accepts_legal_entity": True,
            "accepts_cooperation_agreement": True,
            "accepts_host_organisation": True,
            "accepts_support_only": True,
            "provinces": ["NL-NH"],
        },
    },
    {
        "slug": "stadsfonds",
        "name": "Stichting Stadsfonds",
        "region": "Amsterdam",
        "description": "Steunt projecten van stichtingen en verenigingen in de stad.",
        "themes": ["Cultuur", "Duurzaamheid"],
        "contact": ("Olaf Visser", "olaf@stadsfonds.example", "020 555 0200"),
        "officer": ("olaf", "Olaf", "Visser"),
        "officer_phone": "",
        "manager": ("mira", "Mira", "Bakker"),
        "countersigner": ("ravi", "Ravi", "Kok"),
        "programme": {
            "slug": "stadsprojecten",
            "title": "Stadsprojecten",
            "description": "Voor stichtingen en verenigingen met een KvK-nummer.",
            "budget": Decimal("100000"),
            "max_amount": Decimal("15000"),
            "accepts_legal_entity": True,
            "accepts_cooperation_agreement": False,
            "accepts_host_organisation": False,
            "accepts_support_only": False,
        },
    },
    {
        "slug": "zorgzame-buurt",
        "name": "Fonds Zorgzame Buurt",
        "region": "Noord-Holland",
        "description": "Kleine bedragen, snel beslist, voor buren die voor elkaar zorgen.",
        "themes": ["Buurt", "Zorg"],
        "contact": ("Sofie de Wit", "sofie@zorgzame-buurt.example", "020 555 0300"),
        "officer": ("sofie", "Sofie", "de Wit"),
        "officer_phone": "",
        "manager": ("tom", "Tom", "Brouwer"),
        "programme": {
            "slug": "kleine-buurtideeen",
            "title": "Kleine buurtideeën",
            "description": "Tot € 1.500 voor een klein idee van buren, ook zonder stichting. "
            "Voor netwerken in Noord-Holland.",
            "budget": Decimal("20000"),
            "max_amount": Decimal("1500"),
            "accepts_legal_entity": True,
            "accepts_cooperation_agreement": True,
            "accepts_host_organisation": True,
            "accepts_support_only": False,
            "provinces": ["NL-NH"],
        },
    },
]

NETWORKS = [
    {
        "name": "Buurtmoestuin Oost",
        "description": "Buren die samen een moestuin op het plein onderhouden.",
        "area": "Amsterdam-Oost",
        "province": "NL-NH",
        "legal_status": Network.LegalStatus.NONE,
        "kvk_number": "",
        "coordinator": ("anna", "Anna", "Smit"),
        "member": ("bram", "Bram", "de Boer"),
    },
    {
        "name": "Repair Café Noord",
        "description": "Vrijwilligers repareren samen met bewoners kapotte spullen.",
        "area": "Amsterdam-Noord",
        "province": "NL-NH",
        "legal_status": Network.LegalStatus.ASSOCIATION,
        "kvk_number": "40123456",
        "coordinator": ("chris", "Chris", "Mulder"),
        "member": ("dewi", "Dewi", "Pranoto"),
    },
    {
        "name": "Taalcafé West",
        "description": "Buurtbewoners oefenen Nederlands met nieuwkomers.",
        "area": "Amsterdam-West",
        "province": "NL-NH",
        "legal_status": Network.LegalStatus.NONE,
        "kvk_number": "",
        "coordinator": ("eva", "Eva", "Hendriks"),
        "member": ("floor", "Floor", "Yilmaz"),
    },
    {
        "name": "Speeltuin Zuid",
        "description": "Ouders die samen de speeltuin in hun straat openhouden.",
        "area": "Amsterdam-Zuid",
        "province": "NL-NH",
        "legal_status": Network.LegalStatus.NONE,
        "kvk_number": "",
        "coordinator": ("gijs", "Gijs", "Kramer"),
        "member": ("hanna", "Hanna", "Smits"),
    },
    {
        # A network that works in Turkish: its members read the site and e-mails in Turkish,
        # and a helper from the municipality writes with them.
        "name": "Buurtkeuken Slotervaart",
        "description": "Buurvrouwen koken samen en brengen maaltijden naar buren die alleen wonen.",
        "area": "Amsterdam-Slotervaart",
        "province": "NL-NH",
        "language": "tr",
        "legal_status": Network.LegalStatus.NONE,
        "kvk_number": "",
        "coordinator": ("ayse", "Ayşe", "Yıldız"),
        "member": ("mehmet", "Mehmet", "Kaya"),
    },
]

ANSWERS = {
    "idea": {
        "what": "We willen {title} organiseren.",
        "why": "In de buurt kennen mensen elkaar nauwelijks.",
        "for_whom": "Alle bewoners, jong en oud.",
    },
    "plan": {
        "goal": "Meer contact tussen buren.",
        "audience": "Bewoners die nu weinig buiten komen.",
        "method": "Elke week een vaste ochtend, open voor iedereen.",
        "coordination": "We overleggen met het gebiedsteam van de gemeente.",
        "agreements": "De twee coördinatoren beslissen samen en tekenen allebei.",
        "earning_model": "Deelnemers geven een vrijwillige bijdrage.",
    },
    "budget": {
        "needs": [
            {"description": "Materiaal", "amount": "600", "in_kind": False},
            {
                "description": "Hulp bij de boekhouding",
                "service_type": "bookkeeping",
                "hours": "12",
            },
            {"description": "Vervoer van spullen", "service_type": "logistics", "hours": "10"},
        ],
        "other_sources": [
            {"kind": "crowdfunding", "description": "Buurtcrowdfunding", "amount": "250"}
        ],
    },
    "accountability": {"arrangement": "cooperation_agreement"},
}


def unapplied_migrations(connection=None) -> list:
    """The migrations ``migrate`` would still run on ``connection`` (the default database):
    all of them on a database never migrated."""
    executor = MigrationExecutor(connection or connections[DEFAULT_DB_ALIAS])
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the logins as JSON.")

    def handle(self, *args, **options):
        # A fresh clone's database has no tables yet: set it up rather than end in a traceback.
        if unapplied_migrations():
            self.stderr.write("The database is not set up yet: running migrate first.")
            call_command("migrate", interactive=False, verbosity=0)
        # The demo's history is real (made by the services), but nobody should be mailed about it.
        quiet = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
        with quiet, transaction.atomic():
            self._seed()
        if options["json"]:
            self.stdout.write(
                json.dumps({"users": self.logins, "fund_keys": self.fund_keys}, indent=2)
            )
        else:
            self.stdout.write(
                self.style.SUCCESS("Demo data ready. Log in with password " + PASSWORD)
            )
            # SITE_URL: what the sign-in and signing links printed later are built on too.
            self.stdout.write(f"  Open {settings.SITE_URL}{reverse('home')}")
            self.stdout.write(f"  Sign in at {settings.SITE_URL}{reverse('login')}")
            for login in self.logins:
                where = login.get("fund") or login.get("network") or "Eigenwijs"
                self.stdout.write(f"  {login['username']:<8} {login['role']:<12} {where}")
            self.stdout.write(
                "API keys (Authorization: Bearer <key>); --json adds personal tokens:"
            )
            for fund_key in self.fund_keys:
                self.stdout.write(f"  {fund_key['fund']:<16} {fund_key['key']}")

    def _seed(self):
        # The provinces are reference data a migration loads; a flushed database has none.
        regions.sync()
        self.logins = []
        staff_group = self._staff_group()
        admin = self._user(("admin", "Beheer", "Eigenwijs"), superuser=True)
        self.logins.append({"username": admin.username, "password": PASSWORD, "role": "admin"})
        funds = [self._fund(spec, staff_group) for spec in FUNDS]
        networks = [self._network(spec) for spec in NETWORKS]
        _pool, providers = pool_demo.seed_pool(self._user)
        for user in providers:
            self.logins.append(
                {"username": user.username, "password": PASSWORD, "role": "provider"}
            )
        self._applications(funds, networks)
        pool_demo.deliver_support()
        self._officers_day(funds)
        # Last: a key acts through a membership of its own, which the steps above do not expect.
        self._api_credentials(funds)

    # API keys and tokens, with fixed secrets (see the module's docstring).

    @staticmethod
    def _demo_secret(kind: str, name: str) -> tuple[str, str]:
        """A readable 8-character prefix and a 32-character secret, the same on every run."""
        digest = hashlib.sha256(f"{API_SEED}:{kind}:{name}".encode()).hexdigest()
        prefix = (re.sub(r"[^a-z0-9]", "", name.lower())[:4] + digest)[:8]
        secret = hashlib.sha256(f"{API_SEED}:{kind}:{name}:secret".encode()).hexdigest()[:32]
        return prefix, f"{prefix}.{secret}"

    @staticmethod
    def _store(model, prefix: str, key: str, **fields):
        # A demo key revoked by hand is replaced on the next run: revoking cannot be undone.
        model.objects.filter(prefix=prefix, revoked=True).delete()
        hashed = model.objects.key_generator.hash(key)
        model.objects.update_or_create(
            prefix=prefix, defaults={"id": f"{prefix}.{hashed}", "hashed_key": hashed, **fields}
        )

    def _api_credentials(self, funds):
        users = get_user_model().objects.in_bulk(
            [login["username"] for login in self.logins], field_name="username"
        )
        for login in self.logins:
            prefix, token = self._demo_secret("token", login["username"])
            self._store(
                PersonalAccessToken,
                prefix,
                token,
                user=users[login["username"]],
                name="Demo",
                scope=Scope.READ_WRITE,
            )
            login["token"] = token
        self.fund_keys = []
        for spec, fund in zip(FUNDS, funds, strict=True):
            prefix, key = self._demo_secret("fund", fund.slug)
            account, created = get_user_model().objects.get_or_create(
                username=f"key-{prefix}",
                defaults={"first_name": "Demo back office", "last_name": f"({fund.name})"},
            )
            if created or not account.is_active:
                account.set_unusable_password()
                account.is_active = True
                account.save()
            # A manager's rights, so every README example (awarding too) works with the key.
            FundMembership.objects.update_or_create(
                fund=fund, user=account, defaults={"role": FundMembership.Role.MANAGER}
            )
            self._store(
                FundAPIKey,
                prefix,
                key,
                fund=fund,
                user=account,
                name="Demo back office",
                scope=Scope.READ_WRITE,
                created_by=users[spec["manager"][0]],
            )
            self.fund_keys.append({"fund": fund.slug, "key": key, "scope": Scope.READ_WRITE.value})

    def _staff_group(self):
        group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label__in=["applications", "funds", "pools"],
                codename__startswith="view_",
            )
        )
        return group

    def _user(self, person, *, superuser=False, staff_group=None):
        username, first, last = person
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
        )
        if created:
            user.set_password(PASSWORD)
        user.is_staff = superuser or staff_group is not None
        user.is_superuser = superuser
        user.save()
        if staff_group is not None:
            user.groups.add(staff_group)
        return user

    def _fund(self, spec, staff_group):
        name, email, phone = spec["contact"]
        fund, _ = Fund.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "region": spec["region"],
                "description": spec["description"],
                "contact_name": name,
                "contact_email": email,
                "contact_phone": phone,
            },
        )
        fund.themes.set(
            Theme.objects.get_or_create(slug=t.lower(), defaults={"name": t})[0]
            for t in spec["themes"]
        )
        today = timezone.localdate()
        fields = {k: v for k, v in spec["programme"].items() if k != "provinces"}
        programme, _ = Programme.objects.update_or_create(
            slug=fields["slug"],
            defaults={
                **fields,
                "fund": fund,
                "opens_on": today - datetime.timedelta(days=60),
                "closes_on": today + datetime.timedelta(days=180),
            },
        )
        provinces = spec["programme"].get("provinces", [])
        programme.provinces.set(Province.objects.filter(code__in=provinces))
        for role in (FundMembership.Role.OFFICER, FundMembership.Role.MANAGER):
            user = self._user(spec[role], staff_group=staff_group)
            phone = spec["officer_phone"] if role == FundMembership.Role.OFFICER else ""
            FundMembership.objects.update_or_create(
                fund=fund, user=user, defaults={"role": role, "phone": phone}
            )
            self.logins.append(
                {"username": user.username, "password": PASSWORD, "role": role, "fund": fund.name}
            )
        if spec.get("countersigner"):
            user = self._user(spec["countersigner"], staff_group=staff_group)
            FundMembership.objects.update_or_create(
                fund=fund, user=user, defaults={"role": FundMembership.Role.MANAGER}
            )
            self.logins.append(
                {
                    "username": user.username,
                    "password": PASSWORD,
                    "role": FundMembership.Role.MANAGER,
                    "fund": fund.name,
                }
            )
        return fund

    def _network(self, spec):
        fields = {k: spec[k] for k in ("description", "area", "legal_status", "kvk_number")}
        fields["province"] = Province.objects.get(code=spec["province"])
        fields["language"] = spec.get("language", settings.LANGUAGE_CODE)
        network, _ = Network.objects.update_or_create(name=spec["name"], defaults=fields)
        for role in (NetworkMember.Role.COORDINATOR, NetworkMember.Role.MEMBER):
            user = self._user(spec[role])
            if "language" in spec:
                Preference.objects.update_or_create(
                    user=user, defaults={"language": spec["language"]}
                )
            NetworkMember.objects.update_or_create(
                network=network, user=user, defaults={"role": role}
            )
            self.logins.append(
                {
                    "username": user.username,
                    "password": PASSWORD,
                    "role": role,
                    "network": network.name,
                }
            )
        return network

    def _applications(self, funds, networks):
        oost, stad, small = (f.programmes.get() for f in funds)
        garden, repair, language, playground, kitchen = networks
        fenna = get_user_model().objects.get(username=FUNDS[0]["officer"][0])
        entries = directory_demo.seed_directory(fenna, small)
        # Closed ones first: a network has at most one open application per programme.
        self._story(garden, oost, "Zomerfeest op het plein", "1500", steps=4, then="award")
        self._contract(garden, "Zomerfeest op het plein", "cooperation_agreement")
        # Support only: hours of bookkeeping from the pool, and an award of €0.
        self._story(
            garden, oost, "Hulp bij de administratie", "600", steps=4, then="award", award="0"
        )
        self._contract(garden, "Hulp bij de administratie", "support_only")
        self._story(repair, oost, "Repair Café op tournee", "2000", steps=4, then="award")
        self._contract(repair, "Repair Café op tournee", "legal_entity", close=True)
        self._story(language, oost, "Taalles in de bibliotheek", "1200", steps=4, then="award")
        self._contract(language, "Taalles in de bibliotheek", "host_organisation")
        # Awarded, the agreement still to prepare: for walking the Agreements screens by hand.
        self._story(language, oost, "Boekenkast op straat", "800", steps=4, then="award")
        self._story(
            garden,
            oost,
            "Buurtkrant",
            "3000",
            steps=1,
            then="decline",
            referrals=[entries["broker"], entries["small"]],
        )
        # Anna took up the warm referral: Kleine buurtideeën has her Idea answers (not seen by
        # that fund until she submits), and Fenna's dashboard counts the referral as started.
        directory_demo.apply_from_referral(garden, "Buurtkrant")
        self._story(repair, stad, "Oude werkplaats", "8000", steps=1, then="withdraw")
        self._story(
            garden, oost, "Moestuin op het pleintje", "2500", steps=1, then="request_changes"
        )
        self._story(repair, oost, "Gereedschapsbibliotheek", "4000", steps=4)
        self._story(
            repair, stad, "Reparatiemiddagen in de bibliotheek", "12000", steps=2, then="submit"
        )
        self._story(language, oost, "Taalmaatjes voor nieuwkomers", "2000", steps=1, then="draft")
        # Waiting in Fenna's queue (Olaf has the Reparatiemiddagen): every officer has a
        # submitted step to open on a fresh demo.
        self._story(playground, oost, "Speelmiddagen in de zomer", "900", steps=0, then="submit")
        # Sofie's queue: a submitted Idea at the small fund (the warm referral's draft there
        # stays Anna's until she submits it).
        self._story(repair, small, "Reparatiehoek in het buurthuis", "700", steps=0, then="submit")
        # A network that works in Turkish, with a helper from the municipality at its side.
        helper = helping_demo.kitchen_story(kitchen, oost, self._user)
        self.logins.append(
            {
                "username": helper.username,
                "password": PASSWORD,
                "role": "helper",
                "network": f"{kitchen.name}: {helping_demo.TITLE}",
            }
        )

    def _officers_day(self, funds):
        """Each fund's officer leads its open applications (so a network sees its contact
        person, and the officer's *Wacht op mij* fills), one report is overdue, and this
        morning's reminders have gone out: the coordinators' unread messages show them."""
        User = get_user_model()
        for fund, spec in zip(funds, FUNDS, strict=True):
            officer = User.objects.get(username=spec["officer"][0])
            manager = User.objects.get(username=spec["manager"][0])
            open_ones = Application.objects.filter(programme__fund=fund).exclude(
                state__in=[
                    Application.State.DECLINED,
                    Application.State.WITHDRAWN,
                    Application.State.CLOSED,
                ]
            )
            for application in open_ones.order_by("pk"):
                services.application_assign_lead_officer(
                    application=application, officer=officer, actor=manager
                )
        # The summer party's agreement was signed long enough ago that its progress report is
        # late: a demo date, set directly (the agreement itself was made by the services).
        Agreement.objects.filter(
            application__title="Zomerfeest op het plein", state=Agreement.State.EXECUTED
        ).update(progress_report_due=timezone.localdate() - datetime.timedelta(days=9))
        send_reminders(now=timezone.now())

    def _story(
        self, network, programme, title, amount, *, steps, then=None, award=None, referrals=()
    ):
        """Create one application and walk it through the workflow with the real services."""
        if Application.objects.filter(network=network, title=title).exists():
            return
        coordinator = network.members.get(role=NetworkMember.Role.COORDINATOR).user
        fund = programme.fund
        officer = fund.memberships.get(role=FundMembership.Role.OFFICER).user
        manager = (
            fund.memberships.filter(role=FundMembership.Role.MANAGER).order_by("pk").first().user
        )
        application = services.application_create(
            network=network,
            programme=programme,
            actor=coordinator,
            title=title,
            requested_amount=Decimal(amount),
        )
        for _ in range(steps):
            self._submit(application, coordinator, officer, title)
            APPLICATION_ACTIONS.run("accept_step", application, actor=officer)
        application.refresh_from_db()
        if then == "draft":
            step = application.current_step
            services.step_save_answers(
                step=step, actor=coordinator, content={"goal": ANSWERS[step.key]["goal"]}
            )
        elif then in ("submit", "request_changes", "decline"):
            self._submit(application, coordinator, officer, title)
        if then == "request_changes":
            APPLICATION_ACTIONS.run(
                "request_changes",
                application,
                actor=officer,
                data={
                    "question_key": "coordination",
                    "comment": "Met wie bij de gemeente heeft u al contact? Noem een naam als "
                    "dat kan.",
                },
            )
        elif then == "decline":
            APPLICATION_ACTIONS.run(
                "decline",
                application,
                actor=officer,
                data={
                    "reason": "Een buurtkrant past niet binnen deze regeling: wij steunen "
                    "activiteiten.",
                    "advice": "Vraag de ideeënmakelaar van de gemeente naar het budget voor "
                    "buurtcommunicatie; een kleine drukker in de buurt wil vaak meedoen.",
                    # Picked from the referral directory: the idea broker to call, and a
                    # fund's programme here where the network can apply with its answers.
                    "referrals": [{"entry": entry.pk} for entry in referrals],
                },
            )
        elif then == "withdraw":
            APPLICATION_ACTIONS.run("withdraw", application, actor=coordinator)
        elif then == "award":
            APPLICATION_ACTIONS.run(
                "award", application, actor=manager, data={"amount": Decimal(award or amount)}
            )

    def _contract(self, network, title, arrangement, *, close=False):
        """Prepare, send and sign the agreement of an awarded application; for ``close``, also
        report and pay. The manager prepares, so the officer may pay (four eyes on money)."""
        application = Application.objects.get(network=network, title=title)
        if application.state != Application.State.AWARDED:
            return
        fund = application.programme.fund
        manager = (
            fund.memberships.filter(role=FundMembership.Role.MANAGER).order_by("pk").first().user
        )
        officer = fund.memberships.get(role=FundMembership.Role.OFFICER).user
        agreement = agreement_services.agreement_prepare(
            application=application, actor=manager, arrangement=arrangement
        )
        details = {
            "cooperation_agreement": {"payee_name": "Anna Smit", "iban": "NL91ABNA0417164300"},
            "legal_entity": {"iban": "NL20INGB0001234567"},
            "host_organisation": {
                "host_name": "Stichting Buurthuis De Boog",
                "kvk_number": "41234567",
                "payee_name": "Stichting Buurthuis De Boog",
                "iban": "NL44RABO0123456789",
                "host_representative_name": "Henk Bos",
                "host_representative_email": "henk@buurthuis-deboog.example",
            },
        }.get(arrangement, {})
        agreement_services.agreement_update(agreement=agreement, actor=manager, **details)
        if arrangement == "host_organisation":
            coordinator = network.members.get(role=NetworkMember.Role.COORDINATOR).user
            agreement_services.agreement_set_signatories(
                agreement=agreement,
                actor=manager,
                signatories=[
                    {"role": "host", "name": "Henk Bos", "email": "henk@buurthuis-deboog.example"},
                    {
                        "role": "coordinator",
                        "name": coordinator.get_full_name(),
                        "email": coordinator.email,
                    },
                ],
            )
        AGREEMENT_ACTIONS.run(
            "send",
            agreement,
            actor=manager,
            data={"note": "Begroting nagelopen met het netwerk.", "confirmed": True},
        )
        agreement.refresh_from_db()
        # The network signs; then the second manager countersigns for the fund, last.
        for role in ("network", "fund"):
            for signatory in agreement.signatories.filter(signed_at__isnull=True):
                if (signatory.role == "fund") != (role == "fund"):
                    continue
                agreement_services.agreement_sign(
                    token=signing_token(signatory),
                    typed_name=signatory.name,
                    seen_sha256=agreement.frozen_sha256,
                    ip_address="127.0.0.1",
                    user_agent="demo",
                    user=get_user_model().objects.filter(email__iexact=signatory.email).first(),
                )
        if not close:
            return
        coordinator = network.members.get(role=NetworkMember.Role.COORDINATOR).user
        report = agreement_services.report_submit(
            agreement=agreement,
            actor=coordinator,
            kind="final",
            what_was_done="Tien middagen in vijf wijken; 140 spullen gerepareerd.",
            spending=[{"description": "Materiaal", "spent": "1.450,00"}],
        )
        REPORT_ACTIONS.run("accept", report, actor=officer)
        for tranche in agreement.tranches.all():
            TRANCHE_ACTIONS.run(
                "mark_paid",
                tranche,
                actor=officer,
                data={
                    "paid_on": timezone.localdate(),
                    "reference": f"EW-{agreement.pk}-{tranche.number}",
                },
            )

    def _submit(self, application, coordinator, officer, title):
        """Write and submit the current step; once the budget is in, the officer reserves the
        hours it asks in kind from the support pool."""
        self._fill(application, coordinator, title)
        APPLICATION_ACTIONS.run("submit_step", application, actor=coordinator)
        if application.current_step.key == "budget":
            pool_demo.reserve_support(application, officer)

    @staticmethod
    def _fill(application, actor, title):
        application.refresh_from_db()
        step = application.current_step
        answers = {
            k: (v.format(title=title.lower()) if isinstance(v, str) else v)
            for k, v in ANSWERS[step.key].items()
        }
        services.step_save_answers(step=step, actor=actor, content=answers)
