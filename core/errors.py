"""Named errors. Each carries its HTTP status and headers; one handler renders them as ``ErrorBody``."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    """The body of every error response, whatever its status."""

    error: str = Field(description="The kind of error: a class name such as NotFound or DatabaseUnavailable",
                       examples=["NotFound"])
    detail: str = Field(description="What went wrong and what to do about it",
                        examples=["Document 0b6e... does not exist."])


class LedgerdeskError(Exception):
    """Base of every expected failure; ``detail`` tells a person what to do."""

    status_code = 400

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail

    @property
    def headers(self) -> dict[str, str]:
        """Response headers that belong with this error."""
        return {}

    @property
    def extra(self) -> dict[str, object]:
        """Fields the error's body carries besides ``error`` and ``detail`` (most errors: none)."""
        return {}


class NotAuthenticated(LedgerdeskError):
    status_code = 401

    @property
    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": "Bearer"}


class PermissionDenied(LedgerdeskError):
    status_code = 403


class SegregationOfDuties(PermissionDenied):
    """The caller may approve vouchers, but not this step of this one: they uploaded its document, decided its
    review or approved an earlier step. The detail names the rule broken; someone else must approve it."""


class NotFound(LedgerdeskError):
    status_code = 404


class Conflict(LedgerdeskError):
    status_code = 409


class InvalidRequest(LedgerdeskError):
    status_code = 422


class EmptyFile(LedgerdeskError):
    status_code = 422


class FileTooLarge(LedgerdeskError):
    status_code = 413


class UnsupportedFileType(LedgerdeskError):
    status_code = 415


class IdempotencyKeyReused(LedgerdeskError):
    status_code = 409


class InvalidStatusTransition(LedgerdeskError):
    status_code = 409


class UnbalancedVoucher(LedgerdeskError):
    status_code = 422


class PeriodClosed(LedgerdeskError):
    """The accounting period a voucher would be posted in is closed; nothing was posted."""

    status_code = 409


class BudgetExceeded(LedgerdeskError):
    """A blocking budget that the voucher would overrun refuses its approval; nothing was approved."""

    status_code = 409


class MissingAccounts(LedgerdeskError):
    """The company's chart of accounts has no active account for a role a voucher needs; nothing was posted."""

    status_code = 422


class MasterDataRejected(LedgerdeskError):
    """Master data (a file to import, or one record) with errors; nothing of it was written. The body lists every
    error as ``{row, field, message}`` beside ``created`` and ``updated`` (both 0)."""

    status_code = 422

    def __init__(self, detail: str, errors: list[dict[str, object]]):
        super().__init__(detail)
        self.errors = errors

    @property
    def extra(self) -> dict[str, object]:
        return {"created": 0, "updated": 0, "errors": self.errors}


class InvalidStatement(LedgerdeskError):
    """A bank statement that cannot be imported as it is (not well formed, a line that cannot be read, another currency
    than its account's); nothing of it was stored. ``where`` names the line, row or element that broke."""

    status_code = 422

    def __init__(self, detail: str, where: str | None = None):
        super().__init__(f"{where}: {detail}" if where else detail)
        self.where = where

    @property
    def extra(self) -> dict[str, object]:
        return {"where": self.where}


class RuleConflict(LedgerdeskError):
    """Posting rules that could not all work as written: one that could never apply (the same conditions as an
    earlier one, another outcome), cost centres that go round in a circle, or a code the master data lacks; nothing
    of them was written. The body lists every problem as ``{rules, message}`` (``rules``: their positions)."""

    status_code = 422

    def __init__(self, detail: str, problems: list[dict[str, object]]):
        super().__init__(detail)
        self.problems = problems

    @property
    def extra(self) -> dict[str, object]:
        return {"problems": self.problems}


class UnreadableDocument(LedgerdeskError):
    """The file was accepted but its contents cannot be read (corrupt, encrypted, no pages)."""

    status_code = 422


class ServiceUnavailable(LedgerdeskError):
    """A part the request needs (the database, the queue) is unreachable or too busy; trying again later helps."""

    status_code = 503
    retry_after_seconds = 5

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}


class DatabaseUnavailable(ServiceUnavailable):
    """The database cannot be reached, refused the connection, or no connection or write turn came in time."""


class QueueUnavailable(ServiceUnavailable):
    """The job queue's Redis cannot be reached."""
