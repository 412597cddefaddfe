"""The demo's support pool, funded by both demo funds, and its allocations in every state.

Called by ``manage.py demo``; like the rest of the demo it goes through the services and can run
again without changing anything.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from applications.models import Application
from funds.models import Fund, FundMembership
from pools import services
from pools.actions import ALLOCATION_ACTIONS
from pools.models import Allocation, Contribution, PoolService, Provider, ServiceType, SupportPool

POOL = {
    "slug": "ondersteuningspool-amsterdam",
    "name": "Ondersteuningspool Amsterdam",
    "description": "Buurtfonds Oost en Stichting Stadsfonds betalen samen uren hulp voor "
    "netwerken: notuleren, boekhouden, vervoer, communicatie en ruimte. Geen geld, wel hulp.",
    "contact_name": "Fenna de Boer",
    "contact_email": "pool@example.org",
}
CONTRIBUTIONS = {"buurtfonds-oost": ("240", "3000"), "stadsfonds": ("120", "6000")}
CAPACITY = {
    "secretarial": "120",
    "bookkeeping": "80",
    "logistics": "60",
    "communication": "40",
    "venue": "60",
}
PROVIDERS = [
    # name, organisation, service type, hourly rate, login (username, first, last) or None
    ("Petra Visser", "Boekhoudhulp Noord", "bookkeeping", "50", ("petra", "Petra", "Visser")),
    ("Kees Jansen", "", "secretarial", None, ("kees", "Kees", "Jansen")),
    ("Transportcollectief Oost", "Transportcollectief Oost", "logistics", "35", None),
    ("Buurthuis De Boog", "Stichting Buurthuis De Boog", "venue", "25", None),
]
#: What each demo application asks in kind, reserved by its fund's officer once the budget is in.
SUPPORT = {
    "Hulp bij de administratie": [("bookkeeping", "12", "Hulp bij de boekhouding", "Petra Visser")],
    "Zomerfeest op het plein": [
        ("logistics", "10", "Vervoer van spullen", "Transportcollectief Oost")
    ],
    "Repair Café op tournee": [("secretarial", "6", "Notulen van de vergaderingen", "Kees Jansen")],
    "Taalles in de bibliotheek": [("venue", "20", "Ruimte voor de lessen", "Buurthuis De Boog")],
    "Boekenkast op straat": [("communication", "6", "Een flyer voor de buurt", None)],
    "Gereedschapsbibliotheek": [
        ("secretarial", "8", "Notulen van de vergaderingen", "Kees Jansen")
    ],
    "Reparatiemiddagen in de bibliotheek": [
        ("logistics", "16", "Vervoer van spullen", "Transportcollectief Oost")
    ],
}


def seed_pool(make_user) -> tuple[SupportPool, list]:
    """The pool, its contributions, capacity and providers; returns it and the provider users."""
    today = timezone.localdate()
    pool, _ = SupportPool.objects.update_or_create(
        slug=POOL["slug"],
        defaults={
            **POOL,
            "starts_on": today - datetime.timedelta(days=90),
            "ends_on": today + datetime.timedelta(days=275),
        },
    )
    for slug, (hours, euros) in CONTRIBUTIONS.items():
        Contribution.objects.update_or_create(
            pool=pool,
            fund=Fund.objects.get(slug=slug),
            defaults={"hours": Decimal(hours), "euros": Decimal(euros)},
        )
    types = {t.code: t for t in ServiceType.objects.all()}
    for code, hours in CAPACITY.items():
        PoolService.objects.update_or_create(
            pool=pool, service_type=types[code], defaults={"capacity_hours": Decimal(hours)}
        )
    users = []
    for name, organisation, code, rate, login in PROVIDERS:
        user = make_user(login) if login else None
        if user:
            users.append(user)
        Provider.objects.update_or_create(
            pool=pool,
            name=name,
            defaults={
                "organisation": organisation,
                "service_type": types[code],
                "hourly_rate": Decimal(rate) if rate else None,
                "email": f"{login[0]}@example.org" if login else "",
                "user": user,
            },
        )
    return pool, users


def reserve_support(application: Application, officer) -> None:
    """Reserve what the application asks in kind; run once its budget step is submitted."""
    pool = SupportPool.objects.get(slug=POOL["slug"])
    for code, hours, need, provider_name in SUPPORT.get(application.title, []):
        services.allocation_reserve(
            application=application,
            service=pool.services.get(service_type__code=code),
            hours=hours,
            need=need,
            provider=pool.providers.filter(name=provider_name).first(),
            actor=officer,
        )


def deliver_support() -> None:
    """Move the demo's allocations on: partly and fully delivered, closed and released."""
    officer = FundMembership.objects.get(fund__slug="buurtfonds-oost", role="officer").user
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    portions = {
        "Hulp bij de administratie": [("3", "Kasboek opgezet"), ("2", "Bonnetjes van mei geboekt")],
        "Zomerfeest op het plein": [("10", "Tafels en tenten gebracht en opgehaald")],
        "Repair Café op tournee": [("6", "Notulen van drie overleggen")],
    }
    for title, logged in portions.items():
        allocation = Allocation.objects.filter(application__title=title).first()
        if allocation is None or allocation.deliveries.exists():
            continue
        actor = allocation.provider.user if allocation.provider.user else officer
        for hours, note in logged:
            ALLOCATION_ACTIONS.run(
                "log_delivery",
                allocation,
                actor=actor,
                data={"delivered_on": yesterday, "hours": hours, "note": note},
            )
    closing = Allocation.objects.filter(
        application__title="Repair Café op tournee", state=Allocation.State.DELIVERED
    ).first()
    if closing:
        ALLOCATION_ACTIONS.run("close", closing, actor=officer, data={"note": "Project afgerond"})
    releasing = Allocation.objects.filter(
        application__title="Taalles in de bibliotheek", state=Allocation.State.CONFIRMED
    ).first()
    if releasing:
        ALLOCATION_ACTIONS.run(
            "release",
            releasing,
            actor=officer,
            data={
                "note": "De bibliotheek geeft de ruimte gratis; de uren gaan terug naar de pool."
            },
        )
