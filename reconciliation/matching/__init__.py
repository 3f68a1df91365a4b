"""Matching bank lines (payments) to open items, explained. Pure modules, plain values in and out:

- ``model``: what matching takes (``Payment``, ``Item``, ``Vendor``, ``LearnedAlias``, ``Rules``) and gives
  (``Proposal`` of ``Allocation``s, with a score and reasons);
- ``names``: references, counterparty names and amounts in the forms matching compares;
- ``index``: open items by reference, amount and counterparty, and who a line's counterparty is;
- ``evidence``: how well one or several items fit a payment, and why;
- ``subsets``: one payment for several invoices of one counterparty (bounded subset sums);
- ``engine``: every line of a statement, one proposal each: automatic, suggested, or none.

With a session: ``service`` (``repository``, ``schemas``, ``api``) loads and stores, and posts clearing vouchers
through ``posting.clearing``.
"""
