"""Exports: approved and posted vouchers out to an ERP or a spreadsheet as CSV, JSON or XLSX, one row per voucher
line in fixed columns; each export of the vouchers not exported before is a batch, downloaded again byte for byte."""
