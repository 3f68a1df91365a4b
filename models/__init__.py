"""ORM classes, one module per aggregate. Importing this package registers every table."""

from core.audit import AuditChainHead, AuditEvent
from core.db import Base
from core.outbox import OutboxMessage
from core.identity import ApiToken, Company, User
from models.approval import ApprovalDecision, ApprovalRoute, VoucherApproval
from models.bank import BankAccount, BankStatement, BankTransaction, BankTransactionStatus, CsvProfile
from models.budget import Budget, BudgetEntry, BudgetEntryKind
from models.document import Document, DocumentFingerprint, DocumentStatus, DuplicateLink, Extraction, Page
from models.export import ExportBatch
from models.ledger import Account, AccountingPeriod, PeriodStatus, Voucher, VoucherLine, VoucherStatus
from models.masterdata import CostCentre, Employee, ExchangeRate, Project, TaxCode
from models.matching import CounterpartyAlias, Match, MatchAllocation, MatchStatus, ReconciliationSettings
from models.open_item import OpenItem, OpenItemStatus
from models.posting_rule import PostingRule
from models.review import ReviewTask, ReviewTaskStatus
from models.suggestion import AccountExample
from models.vendor import Vendor, VendorFieldMemory
from models.webhook import DeliveryStatus, Webhook, WebhookDelivery

__all__ = [
    "Account", "AccountExample", "AccountingPeriod", "ApiToken", "ApprovalDecision", "ApprovalRoute",
    "AuditChainHead", "AuditEvent", "BankAccount", "BankStatement", "BankTransaction", "BankTransactionStatus",
    "Base", "Budget", "BudgetEntry", "BudgetEntryKind", "Company", "CostCentre", "CounterpartyAlias", "CsvProfile",
    "DeliveryStatus", "Document", "DocumentFingerprint", "DocumentStatus", "DuplicateLink", "Employee",
    "ExchangeRate", "ExportBatch", "Extraction", "Match", "MatchAllocation", "MatchStatus", "OpenItem",
    "OpenItemStatus", "OutboxMessage", "Page", "PeriodStatus", "PostingRule", "Project", "ReconciliationSettings",
    "ReviewTask", "ReviewTaskStatus", "TaxCode", "User", "Vendor", "VendorFieldMemory", "Voucher",
    "VoucherApproval", "VoucherLine", "VoucherStatus", "Webhook", "WebhookDelivery",
]
