"""The due tranches of a fund as one SEPA credit-transfer batch (pain.001.001.09), for the bank.

Built with sepaxml, which validates the result against the ISO 20022 schema. The fund's own
account is not stored in Eigenwijs: the caller names it. Making the file changes nothing:
finance uploads it to the bank, and marking each tranche paid stays a separate, explicit step
(with four eyes on money). Each payment carries the end-to-end id ``EW-<agreement>-<tranche>``,
which is also a good payment reference to give when marking it paid.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from sepaxml import SepaTransfer

from agreements.models import Agreement, Tranche
from funds.models import Fund

SCHEMA = "pain.001.001.09"


def clean_iban(value: str) -> str:
    try:
        return IBAN(value).compact
    except SchwiftyException as error:
        raise ValidationError(_("This is not a valid IBAN.")) from error


def clean_bic(value: str) -> str:
    try:
        return BIC(value).compact
    except SchwiftyException as error:
        raise ValidationError(_("This is not a valid BIC.")) from error


def due_tranches(fund: Fund):
    return (
        Tranche.objects.filter(
            agreement__application__programme__fund=fund,
            agreement__state=Agreement.State.EXECUTED,
            state=Tranche.State.DUE,
        )
        .select_related("agreement")
        .order_by("due_at", "agreement_id", "number")
    )


def end_to_end_id(tranche: Tranche) -> str:
    return f"EW-{tranche.agreement_id}-{tranche.number}"


def credit_transfer(
    *,
    fund: Fund,
    debtor_iban: str,
    execution_date: datetime.date,
    tranches,
    debtor_bic: str = "",
) -> bytes:
    """The pain.001 XML for these tranches, paid from the fund's account on ``execution_date``."""
    debtor = {"name": fund.name, "IBAN": debtor_iban, "batch": True, "currency": "EUR"}
    if debtor_bic:
        debtor["BIC"] = debtor_bic
    transfer = SepaTransfer(debtor, schema=SCHEMA, clean=True)
    for tranche in tranches:
        agreement = tranche.agreement
        transfer.add_payment(
            {
                "name": agreement.payee_name,
                "IBAN": clean_iban(agreement.iban),
                "amount": int(tranche.amount * 100),
                "execution_date": execution_date,
                "description": f"Eigenwijs {agreement.pk} tranche {tranche.number}",
                "endtoend_id": end_to_end_id(tranche),
            }
        )
    return transfer.export(validate=True)
