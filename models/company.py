"""The company aggregate: companies, users and API tokens (defined in ``core.identity``)."""

from core.identity import ApiToken, Company, User

__all__ = ["ApiToken", "Company", "User"]
