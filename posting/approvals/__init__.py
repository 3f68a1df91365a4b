"""Approval routes: which vouchers need which approvers, step by step, with segregation of duties.

Pure modules (``routes``: a route and which one a voucher takes; ``duties``: who may not approve a step;
``records``: reading and checking routes) decide; ``service`` loads and stores with a session, ``repository`` holds
its queries, ``api`` is the HTTP face.
"""
