"""Webhooks: a company's systems are told when a voucher is posted or reversed, by a signed HTTP POST that is retried
with growing waits until it is answered 2xx, or fails with the reason."""
