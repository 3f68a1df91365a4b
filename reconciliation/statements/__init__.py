"""Reading bank statements. Pure: bytes (and a column profile for CSV and Excel) in, ``Statement`` values out.

- ``model``: the plain values every format gives (``Statement``, ``Transaction``, ``Balance``).
- ``detect``: what a file is, from its bytes.
- ``camt``, ``mt940``, ``ofx``, ``tabular``: one reader per format.
- ``remittance``: references in a line (ISO 11649 creditor references, invoice numbers, IBANs).
- ``checks``: opening + lines == closing, and what else is worth a warning.
- ``fingerprint``: what makes a line the same line in two overlapping statements.
- ``reading``: detect, read and check a file in one call.
"""
