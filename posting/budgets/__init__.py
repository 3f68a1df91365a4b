"""Budgets with reservation (预算占用): per company, cost centre, account and period; a draft reserves, approval
consumes, rejection releases, a reversal gives back.

Pure modules (``records``, ``checking``) read rows and decide whether a voucher stays within; ``service`` loads,
locks and stores with a session and is called by posting's use cases; ``api`` is the HTTP face.
"""
