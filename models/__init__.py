"""ORM classes, one module per aggregate. Importing this package registers every table."""

from core.audit import AuditChainHead, AuditEvent
from core.db import Base
from core.outbox import OutboxMessage
from core.identity import ApiToken, Company, User
from models.bank import BankAccount, BankStatement, BankTransaction, BankTransactionStatus, CsvProfile
from models.document import Document, DocumentFingerprint, DocumentStatus, DuplicateLink, Extraction, Page
from models.ledger import Account, AccountingPeriod, PeriodStatus, Voucher, VoucherLine, VoucherStatus
from models.masterdata import CostCentre, Employee, ExchangeRate, Project, TaxCode
from models.matching import CounterpartyAlias, Match, MatchAllocation, MatchStatus, ReconciliationSettings
from models.open_item import OpenItem, OpenItemStatus
from models.review import ReviewTask, ReviewTaskStatus
from models.vendor import Vendor, VendorFieldMemory

__all__ = [
    "Account", "AccountingPeriod", "ApiToken", "AuditChainHead", "AuditEvent", "BankAccount", "BankStatement",
    "BankTransaction", "BankTransactionStatus", "Base", "Company", "CostCentre", "CsvProfile",
    "Document", "DocumentFingerprint", "DocumentStatus", "DuplicateLink", "Employee", "ExchangeRate", "Extraction",
    "OpenItem", "OpenItemStatus", "OutboxMessage", "Page", "PeriodStatus", "Project", "ReviewTask",
    "ReviewTaskStatus", "TaxCode", "User", "Vendor", "VendorFieldMemory", "Voucher", "VoucherLine", "VoucherStatus",
    "CounterpartyAlias", "Match", "MatchAllocation", "MatchStatus", "ReconciliationSettings",
]
