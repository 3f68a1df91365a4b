"""The master data API: for accounts, tax codes, cost centres, projects and employees, list, read, create, update,
deactivate and import a CSV or YAML file; accounts also take a seed chart; vendors an import (the rest of the vendor
master's API is ``extraction.api``); exchange rates a list, one rate added, an import. Staff read; accountants and
admins change (``MANAGE_MASTER_DATA``)."""

# No ``from __future__ import annotations``: each router's routes are annotated with the models of its table, made
# when the router is, and FastAPI reads annotations as objects.

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, UploadFile

from core.auth import Principal
from core.permissions import Permission
from core.web import API_ERRORS, CurrentPrincipal, SessionDep, error_responses
from posting.masterdata import service
from posting.masterdata.files import file_format
from posting.masterdata.records import TABLES, ExchangeRateSpec, Table
from posting.masterdata.schemas import ImportResult, Page, SeedIn, SeedResult, input_model
from posting.masterdata.service import Editor

CRUD_TABLES = ("accounts", "tax-codes", "cost-centres", "projects", "employees")


def editor(principal: Principal) -> Editor:
    """The caller as a changer of master data; ``PermissionDenied`` unless they may."""
    principal.require(Permission.MANAGE_MASTER_DATA)
    return Editor(principal.company_id, principal.actor)


def records_router(table: Table) -> APIRouter:
    """The routes of one table: ``/api/v1/<table>`` and below."""
    router = APIRouter(prefix=f"/api/v1/{table.name}", tags=[table.name], responses=API_ERRORS)
    _add_reads(router, table)
    _add_writes(router, table, input_model(table))
    add_import(router, table)
    return router


def _add_reads(router: APIRouter, table: Table) -> None:
    Key = Annotated[str, Path(description=f"The {table.label}'s {table.key}")]

    @router.get("", response_model=Page[table.record], summary=f"List {table.label}s")
    def list_records(principal: CurrentPrincipal, session: SessionDep, active: bool | None = None,
                     limit: Annotated[int, Query(ge=1, le=200)] = 50, cursor: str | None = None) -> Any:
        """In the order of their keys; ``active=true`` or ``false`` for those alone."""
        principal.require(Permission.VIEW_ALL_DOCUMENTS)
        items, next_cursor = service.list_records(session, principal.company_id, table.name, active=active,
                                                  limit=limit, cursor=cursor)
        return Page[table.record](items=items, next_cursor=next_cursor)

    @router.get("/{key}", response_model=table.record, responses=error_responses(404), summary=f"Read a {table.label}")
    def get_record(key: Key, principal: CurrentPrincipal, session: SessionDep) -> Any:
        principal.require(Permission.VIEW_ALL_DOCUMENTS)
        return service.get_record(session, principal.company_id, table.name, key)


def _add_writes(router: APIRouter, table: Table, body_model: type) -> None:
    Key = Annotated[str, Path(description=f"The {table.label}'s {table.key}")]

    @router.post("", status_code=201, response_model=table.record, responses=error_responses(400, 409, 413, 422),
                 summary=f"Add a {table.label}")
    def create_record(body: body_model, principal: CurrentPrincipal, session: SessionDep) -> Any:
        return service.create_record(session, editor(principal), table.name, body.model_dump(exclude_unset=True))

    @router.patch("/{key}", response_model=table.record, responses=error_responses(400, 404, 413, 422),
                  summary=f"Change a {table.label}")
    def update_record(key: Key, body: body_model, principal: CurrentPrincipal, session: SessionDep) -> Any:
        """Changes the columns given; ``null`` empties an optional one."""
        return service.update_record(session, editor(principal), table.name, key, body.model_dump(exclude_unset=True))

    @router.post("/{key}/deactivate", response_model=table.record, responses=error_responses(404, 422),
                 summary=f"Deactivate a {table.label}")
    def deactivate_record(key: Key, principal: CurrentPrincipal, session: SessionDep) -> Any:
        """It stays for what refers to it; nothing new may use it. ``PATCH {"active": true}`` brings it back."""
        return service.deactivate_record(session, editor(principal), table.name, key)


def add_import(router: APIRouter, table: Table) -> None:
    @router.post("/import", response_model=ImportResult, responses=error_responses(400, 413, 415, 422),
                 summary=f"Import {table.label}s from CSV or YAML")
    def import_records(principal: CurrentPrincipal, session: SessionDep, file: UploadFile,
                       format: Annotated[str | None, Form(description="csv or yaml; default: as the file's "
                                                                      "content type or name says")] = None) -> Any:
        """Creates and updates records by key from every row of the file; any wrong row refuses the whole file
        (422 ``MasterDataRejected`` with every error as ``{row, field, message}``) and nothing is written. The
        columns of each table: docs/master-data.md."""
        changer = editor(principal)
        fmt = file_format(format, file.content_type, file.filename)
        plan = service.import_file(session, changer, table.name, file.file.read(), fmt, file.filename or "")
        return ImportResult.of(plan)


def _accounts_router() -> APIRouter:
    router = records_router(TABLES["accounts"])

    @router.post("/seed", response_model=SeedResult, responses=error_responses(400, 413, 422),
                 summary="Apply a seed chart of accounts and its tax codes")
    def seed_chart(body: SeedIn, principal: CurrentPrincipal, session: SessionDep) -> Any:
        """Adds the chart's accounts and tax codes and updates those the company has to the chart's; with
        ``replace``, deactivates the others. Refused whole (422) if the result would be inconsistent."""
        plans = service.seed_chart(session, editor(principal), body.chart, "replace" if body.replace else "merge")
        return SeedResult(accounts=ImportResult.of(plans["accounts"]), tax_codes=ImportResult.of(plans["tax-codes"]))

    return router


def _vendors_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/vendors", tags=["vendors"], responses=API_ERRORS)
    add_import(router, TABLES["vendors"])
    return router


def _exchange_rates_router() -> APIRouter:
    table = TABLES["exchange-rates"]
    router = APIRouter(prefix="/api/v1/exchange-rates", tags=["exchange-rates"], responses=API_ERRORS)
    Currency = Annotated[str | None, Query(description="An ISO 4217 code: the rates from (or to) this currency")]

    @router.get("", response_model=Page[ExchangeRateSpec], responses=error_responses(422),
                summary="List exchange rates")
    def list_rates(principal: CurrentPrincipal, session: SessionDep, from_currency: Currency = None,
                   to_currency: Currency = None, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                   cursor: str | None = None) -> Any:
        """Newest date first. A voucher in another currency than the company's is converted at the newest rate of
        its pair on or before its date."""
        principal.require(Permission.VIEW_ALL_DOCUMENTS)
        items, next_cursor = service.list_rates(session, principal.company_id, from_currency=from_currency,
                                                to_currency=to_currency, limit=limit, cursor=cursor)
        return Page[ExchangeRateSpec](items=items, next_cursor=next_cursor)

    @router.post("", status_code=201, response_model=ExchangeRateSpec, responses=error_responses(400, 409, 413, 422),
                 summary="Add an exchange rate")
    def create_rate(body: input_model(table), principal: CurrentPrincipal, session: SessionDep) -> Any:
        """One ``from_currency`` is ``rate`` ``to_currency`` from ``date`` on; 409 when the pair has a rate of that
        day (import it to change it)."""
        return service.create_rate(session, editor(principal), body.model_dump(exclude_unset=True))

    add_import(router, table)
    return router


ROUTERS = (_accounts_router(), *(records_router(TABLES[name]) for name in CRUD_TABLES[1:]), _vendors_router(),
           _exchange_rates_router())
"""Every master data router, for the app to include."""
