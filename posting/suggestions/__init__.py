"""Learned account suggestions: when no rule and no vendor's default account decide, the account confirmed history
suggests for an expense line, from the confirmed lines most like it (``knn``, pure), remembered with their embeddings
when their voucher is approved (``service``), and asked through the API (``api``)."""
