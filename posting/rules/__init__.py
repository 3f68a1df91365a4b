"""Posting rules: a company's ordered rules that decide an expense line's account, tax code, cost centre, project
and approval route.

Pure modules (``matching``: which rule decides a line and why; ``validation``: reading rules and refusing those that
conflict, loop or name what the master data lacks) and ``service`` that loads and stores them; ``api`` is the HTTP
face.
"""
