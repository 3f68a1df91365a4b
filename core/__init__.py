"""Infrastructure shared by every ledgerdesk package; imports nothing else of ours."""
