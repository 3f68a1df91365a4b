"""Response shapes of the account suggestions API."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from posting.suggestions.knn import Neighbour, Suggestion
from posting.suggestions.service import Explained


class NeighbourOut(BaseModel):
    voucher_id: uuid.UUID = Field(description="The confirmed voucher the line is on")
    description: str
    account_code: str
    similarity: float = Field(description="Cosine similarity to the line asked about, 0 to 1")

    @classmethod
    def of(cls, neighbour: Neighbour) -> NeighbourOut:
        voucher_id, description, account_code, similarity = neighbour
        return cls(voucher_id=voucher_id, description=description, account_code=account_code, similarity=similarity)


class AccountSuggestionOut(BaseModel):
    vendor: str
    description: str
    account_code: str | None = Field(description="The account history suggests; null when it suggests none")
    account_name: str | None
    confidence: float | None = Field(description="0 to 1: the share of the neighbours' weight for the account")
    support: int = Field(description="Confirmed vouchers whose lines voted for the account")
    vendor_support: int = Field(description="Those of them of the same vendor")
    reason: str = Field(description="Why: 'learned from N confirmed vouchers ...', or why history suggests nothing",
                        examples=["learned from 12 confirmed vouchers (9 of this vendor): nearest 'AWS EC2 hosting "
                                  "March' -> 6300 (0.93)"])
    neighbours: list[NeighbourOut] = Field(description="The nearest confirmed lines that voted, nearest first")
    history_size: int = Field(description="The confirmed lines compared with")

    @classmethod
    def of(cls, explained: Explained) -> AccountSuggestionOut:
        found = explained.result
        learned = isinstance(found, Suggestion)
        return cls(vendor=explained.query.vendor_name, description=explained.query.description,
                   account_code=found.account_code if learned else None, account_name=explained.account_name,
                   confidence=found.confidence if learned else None, support=found.support if learned else 0,
                   vendor_support=found.vendor_support if learned else 0, reason=found.reason,
                   neighbours=[NeighbourOut.of(neighbour) for neighbour in found.neighbours],
                   history_size=explained.history_size)
