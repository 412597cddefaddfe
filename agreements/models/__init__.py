from .agreement import Agreement, Signatory
from .payments import Tranche
from .reports import Report, ReportAttachment, ReportComment

__all__ = ["Agreement", "Report", "ReportAttachment", "ReportComment", "Signatory", "Tranche"]
