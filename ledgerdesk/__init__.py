"""The composition root: the FastAPI app factory and the ``ledgerdesk`` command line."""
