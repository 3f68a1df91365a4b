"""Bank reconciliation: bank statements read and imported (``statements``: CAMT, MT940/MT942, OFX, CSV and Excel),
then matched against the open items posted vouchers leave."""
