"""The contract PDF, its hash check and report attachments, of what the user may see."""

from http import HTTPStatus

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from agreements.contract_file import ContractFileMissing, open_contract
from agreements.forms import VerifyForm
from agreements.models import Agreement
from agreements.selectors import agreement_list, report_attachment_list
from agreements.verification import verify_contract

from .common import get_agreement

#: Larger uploads are no contract of ours; they are not read into memory.
MAX_VERIFY_SIZE = 20 * 1024 * 1024


@login_required
def contract_download(request, pk):
    """The stored contract, byte for byte as it was signed; it is never rendered again.

    Lost from storage, it is a page that says so and whom to ask (503: the contract exists, our
    storage cannot give it now), logged at ERROR with the agreement's id.
    """
    agreement = get_agreement(request, pk)
    if agreement.state != Agreement.State.EXECUTED or not agreement.contract_pdf:
        raise Http404
    try:
        contract = open_contract(agreement)
    except ContractFileMissing:
        return render(
            request,
            "agreements/contract_missing.html",
            {"agreement": agreement, "fund": agreement.application.programme.fund},
            status=HTTPStatus.SERVICE_UNAVAILABLE,
        )
    return FileResponse(
        contract,
        as_attachment=True,
        filename=f"contract-{agreement.pk}.pdf",
        content_type="application/pdf",
    )


@login_required
def contract_verify(request):
    """Is this file a signed contract? Only agreements the user may see can match."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    agreement = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["contract"]
        match = verify_contract(upload.read()) if upload.size <= MAX_VERIFY_SIZE else None
        if match is not None and agreement_list(request.user).filter(pk=match.pk).exists():
            agreement = match
        result = "match" if agreement else "no_match"
    return render(
        request,
        "agreements/verify.html",
        {"form": form, "result": result, "agreement": agreement},
    )


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(report_attachment_list(request.user), pk=pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
