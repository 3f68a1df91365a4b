"""Vouchers from fields: chart of accounts, drafting rules, approvals."""
