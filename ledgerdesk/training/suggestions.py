"""``ledgerdesk train suggestions``: a company's confirmed history learned again for its account suggestions, in
three steps so that no transaction is open while the lines are embedded (minutes for a large history, and SQLite
would refuse every other writer meanwhile): read the lines, embed them, store them in one short transaction."""

from __future__ import annotations

from collections.abc import Callable

from core.db import transaction
from ledgerdesk.admin import ADMIN_ACTOR, find_company
from posting.suggestions.service import Relearned, embed_in_batches, history_to_learn, store_relearned


def relearn_suggestions(company_slug: str, progress: Callable[[str], None]) -> Relearned:
    """Replace the company's remembered lines by its whole confirmed history, embedded anew."""
    with transaction(read_only=True) as session:
        company_id = find_company(session, company_slug).id
        lines = history_to_learn(session, company_id)
    progress(f"{len(lines)} confirmed lines to embed")
    vectors = embed_in_batches(lines, lambda done: progress(f"{done} of {len(lines)} embedded"))
    with transaction() as session:
        return store_relearned(session, company_id, lines, vectors, ADMIN_ACTOR)
