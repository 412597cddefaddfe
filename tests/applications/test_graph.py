from io import StringIO

from django.core.management import call_command

from applications.models import Application


def test_graph_transitions_draws_every_state_and_transition():
    out = StringIO()
    call_command("graph_transitions", "applications.Application", stdout=out)
    dot = out.getvalue()
    for state in Application.State:
        assert str(state.label) in dot
    for name in ("submit_step", "request_changes", "accept_step", "decline", "withdraw", "award"):
        assert name in dot
