"""Open items: what posted vouchers leave owing to vendors and employees. Posting creates and cancels them;
reconciliation clears them against bank-statement lines."""
