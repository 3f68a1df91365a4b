"""Master data: the chart of accounts, tax codes, cost centres, projects, employees and the vendor master's import.

Pure modules (``records``, ``files``, ``validation``, ``seeds``) read and check rows; ``service`` loads and stores
them with a session, ``api`` is the HTTP face.
"""
