"""The account suggestions API: what confirmed history suggests for an expense line, and why (the review page's
autocomplete). Whoever reviews documents may ask."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from core.permissions import Permission
from core.web import API_ERRORS, CurrentPrincipal, SessionDep, error_responses
from posting.suggestions import service
from posting.suggestions.schemas import AccountSuggestionOut

router = APIRouter(prefix="/api/v1/account-suggestions", tags=["account-suggestions"], responses=API_ERRORS)


@router.get("", response_model=AccountSuggestionOut, responses=error_responses(422))
def suggest_account(principal: CurrentPrincipal, session: SessionDep,
                    vendor: Annotated[str, Query(max_length=200, description="The vendor's name")] = "",
                    description: Annotated[str, Query(max_length=500, description="What the line says")] = ""
                    ) -> AccountSuggestionOut:
    """The account the nearest confirmed lines vote for (lines of the same vendor count more), with its confidence
    and the lines that voted; ``account_code`` null, and the reason why, when history suggests none."""
    principal.require(Permission.REVIEW)
    return AccountSuggestionOut.of(service.explain(session, principal, vendor=vendor, description=description))
