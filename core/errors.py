"""Named errors. Each carries its HTTP status; one handler renders them as {"error", "detail"}."""

from __future__ import annotations


class LedgerdeskError(Exception):
    """Base of every expected failure; ``detail`` tells a person what to do."""

    status_code = 400

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class NotAuthenticated(LedgerdeskError):
    status_code = 401


class PermissionDenied(LedgerdeskError):
    status_code = 403


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


class UnreadableDocument(LedgerdeskError):
    """The file was accepted but its contents cannot be read (corrupt, encrypted, no pages)."""

    status_code = 422


class QueueUnavailable(LedgerdeskError):
    status_code = 503


def error_body(error: LedgerdeskError) -> dict[str, str]:
    """The JSON body of an error response."""
    return {"error": type(error).__name__, "detail": error.detail}
