"""Reading the signed contract from storage, and saying so clearly when it cannot be read.

The contract is never rendered again (its SHA-256 is the proof), so a PDF lost from storage
cannot be replaced on the fly: the web page and the API tell the person what happened and whom
to ask, and the error is logged with the agreement's id for whoever restores the file.
"""

import logging

logger = logging.getLogger(__name__)


class ContractFileMissing(Exception):
    """The agreement is executed, but its PDF cannot be read from storage."""

    def __init__(self, agreement):
        super().__init__(f"the contract PDF of agreement {agreement.pk} cannot be read")
        self.agreement = agreement


def open_contract(agreement):
    """The stored contract, open for reading; ``ContractFileMissing`` (logged) if it is gone."""
    try:
        return agreement.contract_pdf.open("rb")
    except OSError as error:
        logger.error(
            "The contract PDF of agreement %s (%s, SHA-256 %s) cannot be read from storage: %s",
            agreement.pk,
            agreement.contract_pdf.name,
            agreement.contract_sha256,
            error,
            extra={"agreement_id": agreement.pk},
        )
        raise ContractFileMissing(agreement) from error
