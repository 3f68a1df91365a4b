"""ORM classes, one module per aggregate. Importing this package registers every table."""

from core.audit import AuditChainHead, AuditEvent
from core.db import Base
from core.outbox import OutboxMessage
from core.identity import ApiToken, Company, User
from models.document import Document, DocumentFingerprint, DocumentStatus, DuplicateLink, Extraction, Page
from models.ledger import Account, AccountingPeriod, PeriodStatus, Voucher, VoucherLine, VoucherStatus
from models.masterdata import CostCentre, Employee, ExchangeRate, Project, TaxCode
from models.open_item import OpenItem, OpenItemStatus
from models.review import ReviewTask, ReviewTaskStatus
from models.suggestion import AccountExample
from models.vendor import Vendor, VendorFieldMemory

__all__ = [
    "Account", "AccountingPeriod", "ApiToken", "AuditChainHead", "AuditEvent", "Base", "Company", "CostCentre",
    "Document", "DocumentFingerprint", "DocumentStatus", "DuplicateLink", "Employee", "ExchangeRate", "Extraction",
    "OpenItem", "OpenItemStatus", "OutboxMessage", "Page", "PeriodStatus", "Project", "ReviewTask",
    "ReviewTaskStatus", "TaxCode", "User", "Vendor", "VendorFieldMemory", "Voucher", "VoucherLine", "VoucherStatus",
    "AccountExample",
]
