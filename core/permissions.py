"""Roles and what each may do. One table, read by the API and the pages alike."""

from __future__ import annotations

from enum import StrEnum

from core.errors import PermissionDenied


class Role(StrEnum):
    EMPLOYEE = "employee"
    CLERK = "clerk"
    APPROVER = "approver"
    ACCOUNTANT = "accountant"
    ADMIN = "admin"
    AUDITOR = "auditor"


class Permission(StrEnum):
    UPLOAD = "upload"
    VIEW_OWN_DOCUMENTS = "view_own_documents"
    VIEW_ALL_DOCUMENTS = "view_all_documents"
    REVIEW = "review"
    APPROVE_VOUCHERS = "approve_vouchers"
    VIEW_AUDIT = "view_audit"
    MANAGE_MASTER_DATA = "manage_master_data"
    """Change the chart of accounts, tax codes, cost centres, projects, employees and exchange rates; import the vendor
    master."""
    MANAGE_LEDGER = "manage_ledger"
    """Close and reopen accounting periods, reverse posted vouchers, change the company's posting settings."""
    RECONCILE = "reconcile"
    """Import bank statements, read them and their lines, keep the CSV column profiles."""
    MANAGE = "manage"


_STAFF_VIEW = {Permission.UPLOAD, Permission.VIEW_OWN_DOCUMENTS, Permission.VIEW_ALL_DOCUMENTS}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.EMPLOYEE: frozenset({Permission.UPLOAD, Permission.VIEW_OWN_DOCUMENTS}),
    Role.CLERK: frozenset(_STAFF_VIEW | {Permission.REVIEW, Permission.RECONCILE}),
    Role.APPROVER: frozenset(_STAFF_VIEW | {Permission.REVIEW, Permission.APPROVE_VOUCHERS}),
    Role.ACCOUNTANT: frozenset(_STAFF_VIEW | {Permission.REVIEW, Permission.APPROVE_VOUCHERS,
                                               Permission.MANAGE_MASTER_DATA, Permission.MANAGE_LEDGER,
                                               Permission.RECONCILE}),
    Role.ADMIN: frozenset(set(Permission)),
    Role.AUDITOR: frozenset({Permission.VIEW_OWN_DOCUMENTS, Permission.VIEW_ALL_DOCUMENTS, Permission.VIEW_AUDIT}),
}


def has_permission(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(Role(role), frozenset())


def require_permission(role: str, permission: Permission) -> None:
    """Raise ``PermissionDenied`` unless ``role`` grants ``permission``."""
    if not has_permission(role, permission):
        raise PermissionDenied(f"The role {role!r} may not {permission.value.replace('_', ' ')}.")
