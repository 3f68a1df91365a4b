"""The ledger: accounting periods and their closing, reversals of posted vouchers, the company's posting settings."""
