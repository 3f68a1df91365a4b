"""Matching a document's vendor against the company's vendor master. Pure: values and vendors in, a verdict out.

A tax ID or an IBAN identifies a vendor exactly (compared in their compact forms, ``DE 123 456 789`` as
``DE123456789``); a name is compared, fuzzily, with each vendor's name and aliases once case, punctuation and legal
forms (``GmbH``, ``Ltd.``, ``Sdn. Bhd.``, ``有限公司``) are set aside. An identifier that names one vendor while the
printed name clearly names another (or the name matches a vendor whose tax ID is a different one) is a warning for
a person, never a match. Every match carries the reason a person reads on the review page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Any

from stdnum import iban as stdnum_iban

from extraction.identifiers import check_tax_id, compact_identifier
from extraction.model import ExtractedField, Issue

NAME_THRESHOLD = 0.85
"""A name matches a vendor's name or alias from this similarity (0..1) on."""
CONTRADICTION_BELOW = 0.6
"""A printed name this unlike the vendor an identifier names contradicts it."""
MIN_FUZZY_LENGTH = 4
"""Shorter cores (``AB``, ``IBM``) match only exactly: one letter off would be another company."""
MATCHED_CONFIDENCE = {"tax_id": 0.99, "iban": 0.98}
"""The vendor name's confidence after a match by identifier; a name match gives its similarity."""
VENDOR_RULES = frozenset({"unknown_vendor", "vendor_mismatch", "vendor_iban_changed"})
"""The issues this module raises; matching again replaces them."""

LEGAL_FORM_PATTERNS = (
    r"sdn\s*bhd", r"sendirian\s+berhad", r"berhad", r"bhd", r"pte\s*ltd", r"pty\s*ltd", r"co\s*ltd", r"company\s+limited",
    r"private\s+limited", r"pvt\s*ltd", r"ltd", r"limited", r"gmbh\s+(?:and|und)\s+co\s+kg", r"gmbh", r"mbh", r"ag", r"kg",
    r"ug", r"e\s*k", r"inc", r"incorporated", r"llc", r"llp", r"plc", r"corp", r"corporation", r"co", r"company",
    r"sa", r"sas", r"sarl", r"srl", r"spa", r"bv", r"nv", r"ab", r"as", r"oy", r"kk", r"s\s*a", r"b\s*v", r"n\s*v",
)
LEGAL_FORM_AT_END = re.compile(r"(?:\s+(?:" + "|".join(LEGAL_FORM_PATTERNS) + r"))+$")
CJK_LEGAL_FORM_AT_END = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团|公司)$")


@dataclass(frozen=True)
class VendorRecord:
    """A vendor of the master, as matching needs it."""

    id: str
    name: str
    tax_id: str | None = None
    iban: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Extracted:
    """Who the document says sent it: an invoice's vendor or a receipt's merchant."""

    name: str | None
    tax_id: str | None
    iban: str | None
    name_field: str = "vendor_name"
    tax_id_field: str = "vendor_tax_id"


@dataclass(frozen=True)
class VendorMatch:
    vendor: VendorRecord
    score: float
    via: str
    """``tax_id``, ``iban``, ``name`` or ``alias``."""
    reason: str


@dataclass(frozen=True)
class VendorProposal:
    """A vendor to create from what the document says, when none in the master matched."""

    name: str
    tax_id: str | None = None
    iban: str | None = None

    def as_json(self) -> dict[str, str | None]:
        return {"name": self.name, "tax_id": self.tax_id, "iban": self.iban}


@dataclass(frozen=True)
class VendorVerdict:
    match: VendorMatch | None = None
    issues: tuple[Issue, ...] = ()
    proposal: VendorProposal | None = None

    def as_json(self) -> dict[str, Any]:
        """What the document keeps of the verdict (``Document.vendor_match``)."""
        if self.match:
            return {"vendor_id": self.match.vendor.id, "vendor_name": self.match.vendor.name,
                    "score": round(self.match.score, 3), "via": self.match.via, "reason": self.match.reason}
        return {"proposal": self.proposal.as_json() if self.proposal else None,
                "reason": "; ".join(issue.message for issue in self.issues) or None}


@dataclass(frozen=True)
class NameSimilarity:
    score: float
    vendor: VendorRecord
    known_as: str
    is_alias: bool


@dataclass(frozen=True)
class Candidates:
    """The vendors each kind of evidence points at."""

    by_tax_id: VendorRecord | None
    by_iban: VendorRecord | None
    by_name: NameSimilarity | None
    notes: list[Issue] = field(default_factory=list)


def extracted_party(values: dict[str, Any]) -> Extracted:
    """The vendor (invoice) or merchant (receipt) of a document's field values."""
    if not values.get("vendor_name") and not values.get("vendor_tax_id") and \
            (values.get("merchant_name") or values.get("merchant_tax_id")):
        return Extracted(_text(values.get("merchant_name")), _text(values.get("merchant_tax_id")), None,
                         "merchant_name", "merchant_tax_id")
    return Extracted(_text(values.get("vendor_name")), _text(values.get("vendor_tax_id")),
                     _text(values.get("vendor_iban")))


def match_vendor(values: dict[str, Any], vendors: list[VendorRecord]) -> VendorVerdict:
    """The vendor of the master the document's values name, with a score and a reason; or the warnings why none
    is taken, and what vendor to create."""
    party = extracted_party(values)
    if not (party.name or party.tax_id or party.iban):
        return VendorVerdict()
    found = Candidates(_by_tax_id(party, vendors), _by_iban(party, vendors), best_name(party.name, vendors))
    match, issues = _decide(party, found)
    if match is None and not issues:
        return VendorVerdict(None, (unknown_vendor_issue(party),), _proposal(party))
    return VendorVerdict(match, tuple(issues))


def _decide(party: Extracted, found: Candidates) -> tuple[VendorMatch | None, list[Issue]]:
    """An identifier decides, unless the printed name contradicts it; else a name, unless the tax ID does."""
    if found.by_tax_id is not None:
        return _by_identifier(party, found.by_tax_id, "tax_id", found)
    if found.by_iban is not None:
        return _by_identifier(party, found.by_iban, "iban", found)
    if found.by_name is not None:
        return _by_name(party, found.by_name)
    return None, []


def _by_identifier(party: Extracted, vendor: VendorRecord, via: str,
                   found: Candidates) -> tuple[VendorMatch | None, list[Issue]]:
    label = "tax ID" if via == "tax_id" else "IBAN"
    shown = party.tax_id if via == "tax_id" else party.iban
    similarity = name_similarity(party.name, vendor) if party.name else None
    if similarity is not None and similarity.score < CONTRADICTION_BELOW:
        return None, [_contradiction(label, shown, vendor, party.name, found.by_name)]
    reason = f"{label} {shown} matches {vendor.name}"
    if similarity is not None:
        reason += f"; name {party.name!r} ~ {_known_as(similarity)} ({similarity.score:.2f})"
    match = VendorMatch(vendor, MATCHED_CONFIDENCE[via], via, reason)
    return match, _iban_warnings(party, match, found)


def _by_name(party: Extracted, similar: NameSimilarity) -> tuple[VendorMatch | None, list[Issue]]:
    vendor = similar.vendor
    if party.tax_id and vendor.tax_id and not same_tax_id(party.tax_id, vendor.tax_id):
        return None, [Issue("vendor_mismatch", "warning",
                            f"the name {party.name!r} matches vendor {vendor.name!r}, but the tax ID {party.tax_id} "
                            f"is not theirs ({vendor.tax_id} in the vendor master); check who sent this document")]
    reason = f"name {party.name!r} ~ {_known_as(similar)} ({similar.score:.2f})"
    match = VendorMatch(vendor, similar.score, "alias" if similar.is_alias else "name", reason)
    return match, _iban_warnings(party, match, Candidates(None, None, similar))


def _iban_warnings(party: Extracted, match: VendorMatch, found: Candidates) -> list[Issue]:
    """The IBAN printed is not the one the master knows for this vendor: a changed account is how payment fraud
    starts, so a person confirms it."""
    vendor = match.vendor
    if not party.iban or not vendor.iban or same_iban(party.iban, vendor.iban):
        return []
    other = f" (it is the IBAN of {found.by_iban.name!r})" if found.by_iban and found.by_iban != vendor else ""
    return [Issue("vendor_iban_changed", "warning",
                  f"the IBAN {party.iban} on the document is not the one in the vendor master for {vendor.name!r} "
                  f"({vendor.iban}){other}; confirm the bank details with the vendor before paying")]


def _contradiction(label: str, shown: str | None, vendor: VendorRecord, name: str | None,
                   by_name: NameSimilarity | None) -> Issue:
    other = f", which reads like vendor {by_name.vendor.name!r}" if by_name and by_name.vendor != vendor else ""
    return Issue("vendor_mismatch", "warning",
                 f"the {label} {shown} is that of vendor {vendor.name!r}, but the document names {name!r}{other}; "
                 "check who sent this document")


def unknown_vendor_issue(party: Extracted) -> Issue:
    described = ", ".join(f"{label} {value}" for label, value in
                          (("tax ID", party.tax_id), ("IBAN", party.iban)) if value)
    name = repr(party.name) if party.name else "without a name"
    return Issue("unknown_vendor", "info", f"no vendor in the vendor master matches {name}"
                 + (f" ({described})" if described else "") + "; it can be created from this document")


def _proposal(party: Extracted) -> VendorProposal | None:
    return VendorProposal(party.name, party.tax_id, party.iban) if party.name else None


def _known_as(similar: NameSimilarity) -> str:
    return f"alias {similar.known_as!r}" if similar.is_alias else f"{similar.known_as!r}"


# identifiers


def tax_id_key(value: str | None) -> str:
    """A tax ID in the compact form stdnum gives it (``DE 123.456.789`` as ``DE123456789``)."""
    if not value:
        return ""
    check = check_tax_id(value)
    return check.compact if check is not None and check.valid else compact_identifier(value)


def same_tax_id(a: str, b: str) -> bool:
    """Equal compact forms; ``DE123456789`` and ``123456789`` too (one written without its country prefix)."""
    first, second = tax_id_key(a), tax_id_key(b)
    if not first or not second:
        return False
    return first == second or _without_prefix(first) == second or first == _without_prefix(second)


def _without_prefix(compact: str) -> str | None:
    return compact[2:] if len(compact) > 4 and compact[:2].isalpha() and compact[2:3].isdigit() else None


def iban_key(value: str | None) -> str:
    return stdnum_iban.compact(value) if value else ""


def same_iban(a: str, b: str) -> bool:
    return bool(iban_key(a)) and iban_key(a) == iban_key(b)


def _by_tax_id(party: Extracted, vendors: list[VendorRecord]) -> VendorRecord | None:
    same = [v for v in vendors if party.tax_id and v.tax_id and same_tax_id(party.tax_id, v.tax_id)]
    return _likest(party.name, same)


def _by_iban(party: Extracted, vendors: list[VendorRecord]) -> VendorRecord | None:
    same = [v for v in vendors if party.iban and v.iban and same_iban(party.iban, v.iban)]
    return _likest(party.name, same)


def _likest(name: str | None, vendors: list[VendorRecord]) -> VendorRecord | None:
    """Of vendors sharing an identifier (a company's branches), the one whose name is most like ``name``."""
    return max(vendors, key=lambda vendor: _score(name_similarity(name, vendor)), default=None)


def _score(similar: NameSimilarity | None) -> float:
    return similar.score if similar is not None else 0.0


# names


def name_core(name: str) -> str:
    """A name without case, punctuation, accents' width differences or legal form: ``ACME GmbH.`` as ``acme``,
    ``Gardenia Bakeries (KL) Sdn. Bhd.`` as ``gardenia bakeries kl``, ``上海某某贸易有限公司`` as ``上海某某贸易``."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("&", " and ").replace(".", "")
    text = " ".join(re.findall(r"\w+", text))
    core = LEGAL_FORM_AT_END.sub("", text).strip()
    core = CJK_LEGAL_FORM_AT_END.sub("", core).strip()
    return core or text


def similarity(a: str, b: str) -> float:
    """How alike two names are, 0..1, once their cores are compared (``ACME Gmbh.`` and ``ACME GmbH``: 1.0)."""
    first, second = name_core(a), name_core(b)
    if first == second:
        return 1.0
    if min(len(first), len(second)) < MIN_FUZZY_LENGTH:
        return 0.0
    letters = SequenceMatcher(None, first, second).ratio()
    words = SequenceMatcher(None, " ".join(sorted(first.split())), " ".join(sorted(second.split()))).ratio()
    return max(letters, words)


def name_similarity(name: str | None, vendor: VendorRecord) -> NameSimilarity | None:
    """The best of ``name``'s similarities to the vendor's name and aliases."""
    if not name:
        return None
    known = [(vendor.name, False), *((alias, True) for alias in vendor.aliases)]
    scored = [NameSimilarity(similarity(name, text), vendor, text, is_alias) for text, is_alias in known if text]
    return max(scored, key=lambda s: (s.score, not s.is_alias), default=None)


def best_name(name: str | None, vendors: list[VendorRecord]) -> NameSimilarity | None:
    """The vendor whose name or alias ``name`` is most like, at or above ``NAME_THRESHOLD``."""
    scored = [s for vendor in vendors if (s := name_similarity(name, vendor)) and s.score >= NAME_THRESHOLD]
    return max(scored, key=lambda s: (s.score, not s.is_alias), default=None)


# applying a match to the fields


def matched_fields(fields: dict[str, ExtractedField], verdict: VendorVerdict,
                   values: dict[str, Any]) -> dict[str, ExtractedField]:
    """The fields once the master vouched for the vendor: the name's confidence raised with the reason as its
    evidence, and the tax ID and IBAN the page lacked filled from the master (said so in their evidence)."""
    if verdict.match is None:
        return fields
    party, match = extracted_party(values), verdict.match
    updated = dict(fields)
    if party.name_field in fields:
        named = fields[party.name_field]
        updated[party.name_field] = replace(named, confidence=max(named.confidence, match.score),
                                            evidence=_joined(named.evidence, f"vendor master: {match.reason}"))
    filled = {party.tax_id_field: match.vendor.tax_id}
    if party.name_field == "vendor_name":
        filled["vendor_iban"] = match.vendor.iban
    for name, value in filled.items():
        if value and not _has_value(fields.get(name)):
            updated[name] = ExtractedField(value, 0.95, None, None, "rule",
                                           f"not on the page; from the vendor master ({match.vendor.name})")
    return updated


def _has_value(field_: ExtractedField | None) -> bool:
    return field_ is not None and field_.value not in (None, "")


def _joined(evidence: str, more: str) -> str:
    return f"{evidence}; {more}" if evidence else more


def _text(value: Any) -> str | None:
    text = str(value).strip() if value not in (None, "") else ""
    return text or None
