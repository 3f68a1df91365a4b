"""Clearing vouchers: a bank payment takes amounts off open items. ``drafting`` (pure) writes the voucher (debit the
payables, credit the bank, a difference to its account); ``service`` posts it, settles the items, and undoes both.
Which payment pays which items is reconciliation's to decide."""
