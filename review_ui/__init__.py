"""The review queue: its use cases, its JSON API and its server-rendered pages."""
