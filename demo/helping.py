"""A network that works in Turkish, and a helper at its side.

Buurtkeuken Slotervaart writes in Turkish; Sanne Bakker, the municipality's idea broker, helps
write its application to *Samen in de buurt*: invited by Ayşe, she accepted, wrote part of the
Idea, and Ayşe submitted it. Fenna's queue shows the step, and that the network works in Turkish;
the history says it was written with help.
"""

from applications import services
from applications.actions import APPLICATION_ACTIONS
from applications.helper_links import helper_token
from applications.models import Application, NetworkMember

TITLE = "Samen koken voor de buren"
HELPER = ("sanne", "Sanne", "Bakker")
IDEA_BY_THE_NETWORK = {
    "what": "Her hafta buluşup birlikte yemek pişirmek ve yalnız yaşayan komşulara götürmek "
    "istiyoruz.",
}
IDEA_WITH_HELP = {
    "why": "Mahallede birçok yaşlı komşu yalnız yaşıyor ve sıcak yemek bulamıyor.",
    "for_whom": "Slotervaart'ta yalnız yaşayan yaşlı komşular ve yemek pişirmeyi seven komşular.",
}


def kitchen_story(network, programme, make_user):
    """Invite and accept the helper, write the Idea together, submit it (once); returns the
    helper's account."""
    helper = make_user(HELPER)
    if Application.objects.filter(network=network, title=TITLE).exists():
        return helper
    coordinator = network.members.get(role=NetworkMember.Role.COORDINATOR).user
    application = services.application_create(
        network=network, programme=programme, actor=coordinator, title=TITLE, requested_amount=950
    )
    invitation = services.helper_invite(
        application=application, actor=coordinator, email=helper.email
    )
    services.helper_accept(token=helper_token(invitation), actor=helper)
    step = application.current_step
    services.step_save_answers(step=step, actor=coordinator, content=IDEA_BY_THE_NETWORK)
    services.step_save_answers(
        step=step, actor=helper, content={**IDEA_BY_THE_NETWORK, **IDEA_WITH_HELP}
    )
    services.comment_create(
        step=step,
        actor=helper,
        body="Ik heb de antwoorden met Ayşe in het Nederlands nagelopen; vragen mogen ook aan mij.",
    )
    APPLICATION_ACTIONS.run("submit_step", application, actor=coordinator)
    return helper
