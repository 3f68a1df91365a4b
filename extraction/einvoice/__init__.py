"""Structured e-invoices: exact fields from the XML of UBL, CII, ZUGFeRD and Chinese e-invoices (also inside PDFs and OFD packages)."""
