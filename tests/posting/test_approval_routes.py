"""posting.approvals.routes, duties and records: which route a voucher takes and why, who may not approve a step,
and how a route is read and checked. Pure: no database."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from posting.approvals.duties import Hands, barred_by_duties
from posting.approvals.records import Directory, plan_routes, read_route
from posting.approvals.routes import Conditions, RouteSpec, Step, VoucherFacts, choose_route, step_at
from posting.masterdata.validation import Row

FINANCE, CFO = Step("Finance", role="approver"), Step("CFO", users=("cfo@acme.test",))
OVER_10K = RouteSpec("OVER10K", "Over 10k", 20, conditions=Conditions(amount_min=Decimal("10000.00")),
                     steps=(FINANCE, CFO))
SMALL = RouteSpec("SMALL", "Small", 10, conditions=Conditions(amount_max=Decimal("100.00")))
NORTHWIND = RouteSpec("NW", "Northwind", 30, conditions=Conditions(vendors=("Northwind Ltd",)), steps=(FINANCE,))
SALES = RouteSpec("SALES", "Sales receipts", 40,
                  conditions=Conditions(doc_types=("receipt",), cost_centres=("SAL", "MKT")), steps=(FINANCE,))
ROUTES = (NORTHWIND, OVER_10K, SALES, SMALL)


def facts(amount: str = "500.00", *, doc_type: str = "invoice", vendor: str | None = None,
          cost_centres: tuple[str, ...] = ()) -> VoucherFacts:
    return VoucherFacts(Decimal(amount), "EUR", doc_type, vendor, frozenset(cost_centres))


# --- which route ------------------------------------------------------------------------------------------------


def test_the_amount_chooses_the_route_and_the_choice_says_why():
    choice = choose_route(ROUTES, facts("12400.00"))
    assert choice.route == OVER_10K and choice.steps == (FINANCE, CFO)
    assert choice.why == "route 'Over 10k': amount 12,400.00 EUR >= 10,000.00; 2 steps"


@pytest.mark.parametrize(("amount", "expected"), [("9999.99", None), ("10000.00", OVER_10K), ("100.00", SMALL),
                                                  ("100.01", None)])
def test_amount_bounds_hold_inclusively(amount, expected):
    assert choose_route(ROUTES, facts(amount)).route == expected


def test_a_route_without_steps_takes_small_amounts_on_purpose():
    choice = choose_route(ROUTES, facts("80.00", vendor="Northwind Ltd"))
    assert choice.route == SMALL and choice.steps == ()
    assert choice.why == "route 'Small': amount 80.00 EUR <= 100.00; no approver step"


def test_the_vendor_condition_holds_for_its_vendor_only():
    assert choose_route(ROUTES, facts(vendor="Northwind Ltd")).why == "route 'Northwind': vendor Northwind Ltd; 1 step"
    assert choose_route(ROUTES, facts(vendor="Contoso")).route is None
    assert choose_route(ROUTES, facts()).route is None


def test_doc_type_and_cost_centre_must_both_hold():
    choice = choose_route(ROUTES, facts(doc_type="receipt", cost_centres=("ADM", "MKT")))
    assert choice.route == SALES
    assert choice.why == "route 'Sales receipts': document type receipt, cost centre MKT; 1 step"
    assert choose_route(ROUTES, facts(doc_type="invoice", cost_centres=("MKT",))).route is None
    assert choose_route(ROUTES, facts(doc_type="receipt", cost_centres=("ADM",))).route is None


def test_the_first_by_position_wins_then_the_code():
    big_from_northwind = facts("20000.00", vendor="Northwind Ltd")
    assert choose_route(ROUTES, big_from_northwind).route == OVER_10K
    first = RouteSpec("A", "A first", 20, conditions=Conditions(vendors=("Northwind Ltd",)))
    assert choose_route((*ROUTES, first), big_from_northwind).route == first


def test_an_inactive_route_is_skipped():
    asleep = RouteSpec("OVER10K", "Over 10k", 20, active=False, conditions=OVER_10K.conditions, steps=OVER_10K.steps)
    assert choose_route((asleep, SMALL), facts("12400.00")).route is None


def test_a_route_without_conditions_takes_every_voucher():
    catch_all = RouteSpec("ALL", "Everything", 99, steps=(FINANCE,))
    choice = choose_route((SMALL, catch_all), facts("500.00"))
    assert choice.route == catch_all and choice.why == "route 'Everything': no conditions, so every voucher; 1 step"


def test_a_route_named_by_a_rule_wins_when_active():
    choice = choose_route(ROUTES, facts("12400.00"), named_route="NW")
    assert choice.route == NORTHWIND and choice.why == "route 'Northwind': named by a posting rule; 1 step"


def test_a_named_route_that_is_not_active_falls_back_to_the_conditions_and_says_so():
    choice = choose_route(ROUTES, facts("12400.00"), named_route="GONE")
    assert choice.route == OVER_10K
    nothing = choose_route(ROUTES, facts("500.00"), named_route="GONE")
    assert nothing.route is None
    assert nothing.why == ("the posting rule names route 'GONE', which is not an active route; no approval route "
                           "applies (the conditions of none of the 4 active routes all hold)")


def test_steps_are_counted_from_one():
    assert (step_at((FINANCE, CFO), 1), step_at((FINANCE, CFO), 2)) == (FINANCE, CFO)
    assert step_at((FINANCE, CFO), 3) is None and step_at((FINANCE, CFO), None) is None


def test_a_step_is_for_its_role_or_its_users():
    assert FINANCE.is_for("approver", "x@acme.test") and not FINANCE.is_for("accountant", "x@acme.test")
    assert CFO.is_for("admin", "CFO@acme.test") and not CFO.is_for("approver", "x@acme.test")
    assert (FINANCE.who, Step("Two", users=("a@x.test", "b@x.test")).who) == ("role approver",
                                                                                "a@x.test or b@x.test")


# --- segregation of duties --------------------------------------------------------------------------------------

UPLOADER, REVIEWER, FIRST, SECOND = (uuid.uuid4() for _ in range(4))
HANDS = Hands(UPLOADER, frozenset({REVIEWER}), ((1, FIRST),))


@pytest.mark.parametrize(("user", "step", "reason"), [
    (UPLOADER, 1, "you uploaded this document"),
    (REVIEWER, 1, "you decided the review of this document"),
    (FIRST, 2, "you approved step 1 of this voucher"),
    (SECOND, 2, None),
    (FIRST, 1, None),
])
def test_no_one_approves_what_they_had_a_hand_in(user, step, reason):
    assert barred_by_duties(user, HANDS, step) == reason


def test_a_document_nobody_uploaded_bars_nobody_for_it():
    assert barred_by_duties(SECOND, Hands(None, frozenset()), 1) is None


# --- reading and checking a route -------------------------------------------------------------------------------

DIRECTORY = Directory({"ann@acme.test": "approver", "cfo@acme.test": "admin", "clerk@acme.test": "clerk"},
                      {"Northwind Ltd": "Northwind Ltd", "7d1c0d2e-0000-4000-8000-000000000001": "Northwind Ltd"},
                      frozenset({"SAL"}))
GOOD = {"code": "OVER10K", "name": "Over 10k", "position": "20",
        "conditions": {"amount_min": "10000", "vendors": ["7d1c0d2e-0000-4000-8000-000000000001"],
                       "cost_centres": "SAL"},
        "steps": [{"name": "Finance", "role": "Approver"}, {"name": "CFO", "users": ["CFO@acme.test"]}]}


def test_a_route_is_read_with_vendors_kept_by_name_and_amounts_in_cents():
    route, errors = read_route(Row(1, GOOD), DIRECTORY)
    assert errors == []
    assert route == RouteSpec("OVER10K", "Over 10k", 20, True,
                              Conditions(Decimal("10000.00"), None, (), ("Northwind Ltd",), ("SAL",)),
                              (Step("Finance", "approver"), Step("CFO", None, ("cfo@acme.test",))))
    assert Conditions.of(route.conditions.as_json()) == route.conditions
    assert tuple(Step.of(step.as_json()) for step in route.steps) == route.steps


def test_every_error_of_a_route_is_given_at_once_with_its_field():
    bad = {"code": "over 10k", "name": "", "position": "-1", "colour": "red",
           "conditions": {"amount_min": "5000", "amount_max": "1,000", "doc_types": ["contract"], "vendors": ["Acme"],
                          "cost_centres": ["ADM"], "size": 1},
           "steps": [{"name": "Clerks", "role": "clerk"}, {"name": "Ghost", "users": ["ghost@acme.test"]},
                     {"name": "Clerk", "users": ["clerk@acme.test"]}, {"name": "Both", "role": "admin",
                                                                       "users": ["ann@acme.test"]},
                     {"name": "Nobody"}, "CFO"]}
    route, errors = read_route(Row(3, bad), DIRECTORY)
    assert route is None and {error.row for error in errors} == {3}
    fields = {error.field: error.message for error in errors}
    assert set(fields) == {"code", "name", "position", "colour", "conditions.amount_max", "conditions.doc_types",
                           "conditions.vendors", "conditions.cost_centres", "conditions.size", "steps[0].role",
                           "steps[1].users", "steps[2].users", "steps[3]", "steps[4]", "steps[5]"}
    assert fields["steps[0].role"] == ("the role 'clerk' may not approve vouchers: a step's role is one of approver, "
                                       "accountant, admin")
    assert fields["steps[1].users"] == ("no active user of the company has the e-mail ghost@acme.test; create the "
                                        "user first")
    assert fields["steps[2].users"].startswith("clerk@acme.test is a clerk, who may not approve vouchers")
    assert fields["conditions.amount_max"].startswith("'1,000' is not an amount")
    assert fields["conditions.vendors"].startswith("'Acme' is not a vendor of the vendor master")
    assert fields["steps[3]"] == fields["steps[4]"] == ("a step names who approves it: a role, or users (e-mails), "
                                                        "not both")


def test_amount_min_above_amount_max_is_refused():
    _, errors = read_route(Row(1, GOOD | {"conditions": {"amount_min": "500", "amount_max": "100"}}), DIRECTORY)
    assert [(e.field, e.message) for e in errors] == [
        ("conditions.amount_max", "amount_max 100.00 is below amount_min 500.00: no voucher would match")]


def test_an_empty_step_list_means_no_approver():
    route, errors = read_route(Row(1, {"code": "SMALL", "name": "Small", "position": 0, "steps": []}), DIRECTORY)
    assert errors == [] and route.steps == () and route.conditions == Conditions()


def test_a_plan_creates_replaces_and_keeps_routes_by_code_or_refuses_them_all():
    existing = {"OVER10K": read_route(Row(1, GOOD), DIRECTORY)[0]}
    rows = [Row(1, GOOD), Row(2, GOOD | {"code": "NEW", "position": 5}), Row(3, GOOD | {"code": "OVER10K"})]
    refused = plan_routes(rows, existing, DIRECTORY)
    assert [(e.row, e.field, e.message) for e in refused.errors] == [(3, "code", "OVER10K is on row 1 already")]
    plan = plan_routes(rows[:2] + [Row(3, GOOD | {"code": "B", "name": "Other"})], existing, DIRECTORY)
    assert (plan.created, plan.updated, plan.unchanged, plan.errors) == (2, 0, 1, ())
    changed = plan_routes([Row(1, GOOD | {"active": "no"})], existing, DIRECTORY)
    assert (changed.updated, changed.changes[0].after.active) == (1, False)
