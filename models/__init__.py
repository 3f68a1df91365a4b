"""ORM classes, one module per aggregate. Importing this package registers every table."""

from core.audit import AuditChainHead, AuditEvent
from core.db import Base
from core.outbox import OutboxMessage
from core.identity import ApiToken, Company, User
from models.document import Document, DocumentFingerprint, DocumentStatus, DuplicateLink, Extraction, Page
from models.ledger import Account, Voucher, VoucherLine, VoucherStatus
from models.masterdata import CostCentre, Employee, Project, TaxCode
from models.review import ReviewTask, ReviewTaskStatus
from models.vendor import Vendor, VendorFieldMemory

__all__ = [
    "Account", "ApiToken", "AuditChainHead", "AuditEvent", "Base", "Company", "CostCentre", "Document",
    "DocumentFingerprint", "DocumentStatus", "DuplicateLink", "Employee", "Extraction", "OutboxMessage", "Page",
    "Project", "ReviewTask", "ReviewTaskStatus", "TaxCode", "User", "Vendor", "VendorFieldMemory", "Voucher",
    "VoucherLine", "VoucherStatus",
]
