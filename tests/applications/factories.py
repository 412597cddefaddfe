import factory

from applications.models import Network, NetworkMember
from tests.funds.factories import UserFactory


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Network {n}")
    area = "Amsterdam-Oost"
    legal_status = Network.LegalStatus.NONE


class NetworkMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMember

    network = factory.SubFactory(NetworkFactory)
    user = factory.SubFactory(UserFactory)
    role = NetworkMember.Role.MEMBER


# Answers that complete each default step.
COMPLETE_ANSWERS = {
    "idea": {
        "what": "A shared vegetable garden",
        "why": "No green space",
        "for_whom": "Neighbours",
    },
    "plan": {
        "goal": "Grow food together",
        "audience": "Everyone on the street",
        "method": "Weekly garden mornings",
        "coordination": "We talk with the municipality's area team",
        "agreements": "The two coordinators decide together and both sign",
    },
    "budget": {
        "needs": [
            {"description": "Seeds and soil", "amount": "350.00", "in_kind": False},
            {"description": "Bookkeeping help", "amount": "200", "in_kind": True},
        ],
        "other_sources": [{"kind": "crowdfunding", "description": "Street fund", "amount": "150"}],
    },
    "accountability": {"arrangement": "cooperation_agreement"},
}
