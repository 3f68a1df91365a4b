"""posting.suggestions.knn: the account voted by the confirmed lines nearest to a new one (the vendor's own lines
first), nothing when history is unsure, and descriptions compared by their MiniLM embedding and their words."""

from __future__ import annotations

import math
import uuid

import numpy as np
import pytest

from core.embeddings import shared_encoder
from posting.suggestions.knn import (NOTHING_LEARNED, Abstention, Example, History, Query, Suggestion,
                                     comparable_text, description_vectors, suggest)

HOSTING, OFFICE, TRAVEL = np.eye(3, dtype=np.float32)
AWS, STAPLES = uuid.uuid4(), uuid.uuid4()


def alike(similarity: float, to: np.ndarray = HOSTING, away: np.ndarray = OFFICE) -> np.ndarray:
    """A unit vector whose cosine similarity with ``to`` is ``similarity``."""
    return similarity * to + math.sqrt(1 - similarity ** 2) * away


def history(*lines: tuple[str, str, np.ndarray, uuid.UUID | None, str]) -> History:
    """Confirmed lines ``(description, account, vector, vendor_id, voucher)``; a voucher is named by a string."""
    vouchers: dict[str, uuid.UUID] = {}
    examples = tuple(Example(vouchers.setdefault(voucher, uuid.uuid4()), vendor_id,
                             "Amazon Web Services" if vendor_id == AWS else "Staples", description, account)
                     for description, account, _, vendor_id, voucher in lines)
    return History(examples, np.stack([vector for _, _, vector, _, _ in lines]).astype(np.float32))


def ask(found: History, vector: np.ndarray = HOSTING, vendor_id: uuid.UUID | None = None,
        vendor_name: str = "") -> Suggestion | Abstention:
    return suggest(found, Query(vendor_id, vendor_name, "a new line"), vector)


def test_the_nearest_lines_vote_and_the_reason_says_who_and_how_alike():
    found = ask(history(("AWS EC2 hosting March", "6300", HOSTING, None, "v1"),
                        ("Cloud hosting April", "6300", HOSTING, None, "v2"),
                        ("Web hosting plan", "6300", HOSTING, None, "v3"),
                        ("Printer paper A4", "6100", alike(0.6), None, "v4"),
                        ("Travel to Berlin", "6200", TRAVEL, None, "v5")))
    assert isinstance(found, Suggestion)
    assert (found.account_code, found.support, found.vendor_support) == ("6300", 3, 0)
    assert found.confidence == pytest.approx(3 / (3 + math.exp(-2) + 0.1) * 3 / 4, abs=1e-3)
    assert found.reason == ("learned from 3 confirmed vouchers (0 of this vendor): nearest 'AWS EC2 hosting March' "
                            "-> 6300 (1.00)")
    assert [(description, account, similarity) for _, description, account, similarity in found.neighbours] == [
        ("AWS EC2 hosting March", "6300", 1.0), ("Cloud hosting April", "6300", 1.0), ("Web hosting plan", "6300", 1.0),
        ("Printer paper A4", "6100", 0.6)], "the travel line is not alike enough to vote"


def test_the_vendors_own_line_outvotes_closer_lines_of_other_vendors():
    lines = history(("Monthly fee", "6300", alike(0.6), AWS, "v1"),
                    ("Monthly fee", "6400", alike(0.8), STAPLES, "v2"),
                    ("Monthly fee", "6400", alike(0.8), STAPLES, "v3"))
    own = ask(lines, vendor_id=AWS)
    assert (own.account_code, own.support, own.vendor_support) == ("6300", 1, 1)
    assert own.reason.startswith("learned from 1 confirmed voucher (1 of this vendor): nearest 'Monthly fee'")
    assert ask(lines).account_code == "6400", "without the vendor the closer lines win"


def test_a_vendor_not_in_the_master_is_recognised_by_its_name():
    lines = history(("Monthly fee", "6300", alike(0.6), AWS, "v1"), ("Monthly fee", "6400", alike(0.8), None, "v2"))
    assert ask(lines, vendor_name="  amazon web SERVICES ").account_code == "6300"


def test_one_voucher_alone_is_never_certain_however_many_of_its_lines_agree():
    found = ask(history(("Hosting", "6300", HOSTING, AWS, "v1"), ("Hosting again", "6300", HOSTING, AWS, "v1")),
                vendor_id=AWS)
    assert (found.support, found.vendor_support) == (1, 1)
    assert found.confidence == pytest.approx(0.5 * 2 * math.exp(2.5) / (2 * math.exp(2.5) + 0.1), abs=1e-3)


def test_a_split_vote_is_no_suggestion_and_says_so():
    found = ask(history(("Services", "6100", HOSTING, None, "v1"), ("Services", "6300", HOSTING, None, "v2")))
    assert isinstance(found, Abstention)
    assert found.reason == ("the confirmed lines like it are not sure (6100 50%, 6300 50%): confidence 0.24, "
                            "under 0.3")
    assert len(found.neighbours) == 2


def test_faint_votes_are_no_suggestion():
    found = ask(history(("Printer paper", "6100", alike(0.45), None, "v1")))
    assert isinstance(found, Abstention) and "not sure (6100 100%)" in found.reason


def test_nothing_alike_enough_is_no_suggestion_and_names_the_nearest():
    found = ask(history(("Printer paper", "6100", alike(0.3), None, "v1"), ("Train", "6200", TRAVEL, None, "v2")))
    assert found == Abstention("no confirmed line is alike enough (at least 0.4, 0.5 more for the same vendor): the "
                               "nearest, 'Printer paper' -> 6100, is 0.30")


def test_without_history_nothing_is_learned():
    empty = History((), np.zeros((0, 3), dtype=np.float32))
    assert ask(empty) == NOTHING_LEARNED
    assert NOTHING_LEARNED.reason == "no confirmed voucher to learn from yet"


def test_invoice_numbers_dates_and_amounts_are_not_compared():
    assert comparable_text("Invoice INV-2024-00042 from Northwind  1,234.50 2024-03-01") == "Invoice from Northwind"
    assert comparable_text("AWS EC2 hosting, 2 users, A4") == "AWS EC2 hosting, 2 users, A4"


def test_descriptions_are_alike_by_meaning_and_by_their_words_in_chinese_too():
    texts = ["AWS EC2 hosting March", "Cloud server hosting April", "Office chairs", "差旅费 北京", "差旅费 上海",
             "办公费 打印纸"]
    vectors = description_vectors(texts, shared_encoder().encode)
    similar = vectors @ vectors.T
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert similar[0, 1] > similar[0, 2] + 0.3, "hosting is like hosting, in other words"
    assert similar[3, 4] > similar[3, 5] + 0.3, "travel expenses are like travel expenses, elsewhere"
    assert description_vectors([], shared_encoder().encode).shape[0] == 0
