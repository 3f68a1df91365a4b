"""A voucher line made a posting rule: the telling words of its description, its vendor and its account."""

from __future__ import annotations

import pytest

from posting.rules.promotion import promoted_rule, proposed_keywords


@pytest.mark.parametrize(("description", "keywords"), [
    ("AWS EC2 hosting March", ("ec2", "hosting")),
    ("Team dinner (entertainment)", ("dinner", "entertainment")),
    ("Consulting hours for March 2026", ("consulting", "hours")),
    ("云服务器租用费 3月", ("云服务器租用费",)),
    ("Invoice total", ()),
])
def test_the_keywords_are_the_telling_words_of_the_description(description, keywords):
    assert proposed_keywords(description) == keywords


def test_a_rule_sends_the_vendors_lines_with_those_words_to_the_account():
    assert promoted_rule(vendor="Amazon Web Services", description="AWS EC2 hosting March", account_code="6300",
                         account_name="Software and subscriptions") == {
        "name": "Amazon Web Services: ec2 / hosting to 6300 Software and subscriptions", "active": True,
        "conditions": {"vendor": "Amazon Web Services", "keywords": ["ec2", "hosting"]},
        "outcome": {"account_code": "6300"}}


def test_the_clerks_keywords_and_name_come_before_the_proposed_ones():
    rule = promoted_rule(vendor=None, description="AWS EC2 hosting March", account_code="6300",
                         account_name="Software", keywords=("aws",), name="Cloud")
    assert (rule["name"], rule["conditions"]) == ("Cloud", {"keywords": ["aws"]})


def test_a_line_with_no_vendor_and_no_telling_word_makes_no_rule():
    with pytest.raises(ValueError, match="no vendor of the master and no word to look for"):
        promoted_rule(vendor=None, description="Invoice total", account_code="6000", account_name="General")
