"""The screening engine: an order in, a decision out, with every finding and hit explained.

It needs no web app and no database: give it the catalog, the watchlists, the rules and
(optionally) the customers' history, and call `screen(order)`.
"""

from __future__ import annotations

import hashlib
import statistics
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from precx.catalog.schemas import SubstanceRecord
from precx.catalog.snapshot import CatalogSnapshot
from precx.kit.fields import country_name
from precx.kit.i18n import Joined, Message
from precx.kit.memory import collector_paused
from precx.kit.problems import InvalidInput
from precx.screening.history import CustomerHistory, PastOrder, customer_key
from precx.screening.matching.normalize import fold
from precx.screening.orders import MASS_IN_KG, VOLUME_IN_L, Order
from precx.screening.rules import RuleSet, Severity, shipped_rules
from precx.screening.watchlist_set import Match, WatchlistSet

DENSITIES_FILE = Path(__file__).resolve().parent / "data" / "densities.yaml"


class Decision(StrEnum):
    """What the compliance officer should do with the order."""

    clear = "clear"
    review = "review"
    report = "report"


@dataclass(frozen=True)
class DecisionThresholds:
    """Scores from which an order needs a review or a report; each organisation sets its own."""

    review: int = 25
    report: int = 60

    def decide(self, score: int) -> Decision:
        """The decision a score leads to."""
        if score >= self.report:
            return Decision.report
        if score >= self.review:
            return Decision.review
        return Decision.clear


@dataclass(frozen=True)
class Finding:
    """One red flag raised on an order, in words a compliance officer can act on."""

    code: str
    severity: Severity
    message: str
    weight: int

    def to_dict(self) -> dict[str, Any]:
        """The finding as the API and the CLI answer it."""
        return {"code": self.code, "severity": self.severity.value, "message": self.message}


@dataclass(frozen=True)
class WatchlistHit:
    """A listed entity the customer matches; restricted ones carry only a reference outside."""

    list: str
    list_version: int
    entity_id: str
    name: str
    matched_name: str
    score: float
    field: str
    explanation: tuple[str, ...]
    restricted: bool = False
    reference: str | None = None
    programs: tuple[str, ...] = ()
    owner_organisation_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The hit as the API and the CLI answer it."""
        return {
            "list": self.list,
            "list_version": self.list_version,
            "entity_id": self.entity_id,
            "name": self.name,
            "matched_name": self.matched_name,
            "score": round(self.score, 4),
            "field": self.field,
            "why": list(self.explanation),
            "restricted": self.restricted,
            "reference": self.reference,
            "programs": list(self.programs),
        }

    def sanitised(self) -> WatchlistHit:
        """What industry may see of a restricted hit: that it exists and whom to contact."""
        if not self.restricted:
            return self
        return WatchlistHit(
            list="restricted",
            list_version=0,
            entity_id="",
            name="",
            matched_name="",
            score=0.0,
            field=self.field,
            explanation=(
                f"restricted hit: contact your competent authority, reference {self.reference}",
            ),
            restricted=True,
            reference=self.reference,
        )


@dataclass(frozen=True)
class ScreeningResult:
    """The outcome of screening one order, with the versions it was decided under."""

    order: Order
    substance_id: str
    substance_name: str
    decision: Decision
    score: int
    findings: tuple[Finding, ...]
    hits: tuple[WatchlistHit, ...]
    rules_version: str
    list_versions: dict[str, int] = field(default_factory=dict)
    quantity_kg: float | None = None
    # Names of the restricted lists among list_versions: an industry reader sees none of them,
    # hit or not, since a list's name alone can tell what an authority is watching.
    restricted_lists: frozenset[str] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        """The result as `precx screen --json` and the API answer it."""
        return {
            "order_id": self.order.order_id,
            "decision": self.decision.value,
            "score": self.score,
            "substance": {"id": self.substance_id, "name": self.substance_name},
            "findings": [f.to_dict() for f in self.findings],
            "watchlist_hits": [h.to_dict() for h in self.hits],
            "rules_version": self.rules_version,
            "list_versions": self.list_versions,
        }

    def for_industry(self) -> ScreeningResult:
        """The result with restricted hits reduced to a reference and restricted lists unnamed."""
        hidden = self.restricted_lists | {h.list for h in self.hits if h.restricted}
        if not hidden & set(self.list_versions) and not any(h.restricted for h in self.hits):
            return self
        return ScreeningResult(
            order=self.order,
            substance_id=self.substance_id,
            substance_name=self.substance_name,
            decision=self.decision,
            score=self.score,
            findings=self.findings,
            hits=tuple(h.sanitised() for h in self.hits),
            rules_version=self.rules_version,
            list_versions={k: v for k, v in self.list_versions.items() if k not in hidden},
            quantity_kg=self.quantity_kg,
        )


class UnknownSubstance(InvalidInput):
    """An order's substance that the catalog cannot name; says which ones are nearest."""

    problem = "unknown-substance"
    title = "Unknown substance"

    def __init__(self, query: str, candidates: tuple[str, ...], ambiguous: bool) -> None:
        self.query, self.candidates, self.ambiguous = query, candidates, ambiguous
        hint = Message("; nearest: %(names)s", names=", ".join(candidates)) if candidates else ""
        message = (
            Message(
                "%(query)s could be several substances%(hint)s. "
                "Give its CAS number or its full name.",
                query=repr(query),
                hint=hint,
            )
            if ambiguous
            else Message(
                "%(query)s is not in the catalog%(hint)s. Give its CAS number or its full name.",
                query=repr(query),
                hint=hint,
            )
        )
        super().__init__(message, errors=[("substance", message)])


# A hook for the licence registry (issue 5): given an order and its substance, a reason the
# customer's licence cannot be confirmed, or None when it is confirmed.
LicenceCheck = Callable[[Order, SubstanceRecord], str | None]


@lru_cache(maxsize=1)
def _densities() -> dict[str, float]:
    data = yaml.safe_load(DENSITIES_FILE.read_text("utf-8"))
    return {str(k): float(v) for k, v in data["kg_per_l"].items()}


# The fixed words of findings, made once rather than for every order that raises them.
_NEW_CUSTOMER = Message(
    "New customer: confirm the company exists, its registration and its premises before the "
    "first delivery."
)
_EXPORT_OBLIGATION = Message(
    "an export this size needs the exporter's registration and an export authorisation where "
    "the destination requires one."
)
_CUSTOMER_OBLIGATION = Message("the customer must be registered and give a customer declaration.")
_PAYMENTS = {
    "cash": Message("cash"),
    "crypto": Message("crypto"),
    "third_party": Message("third party"),
    "card": Message("card"),
    "invoice": Message("invoice"),
    "bank_transfer": Message("bank transfer"),
}
_DELIVERIES = {
    "collection": Message("collection in person"),
    "po_box": Message("a PO box"),
    "residential": Message("a residential address"),
    "freight_forwarder": Message("a freight forwarder"),
    "third_party": Message("a third party"),
}


@lru_cache(maxsize=16)
def _folded(words: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Each rule word with its folded form between spaces, to find it as whole words: folded
    once, not for every order (fold costs some microseconds a word, a rule has a dozen)."""
    return tuple((word, f" {fold(word)} ") for word in words)


def restricted_reference(list_name: str, entity_id: str, customer: str) -> str:
    """The reference a restricted hit is quoted by; the same hit always gets the same one."""
    digest = hashlib.sha256(f"{list_name}|{entity_id}|{customer}".encode()).hexdigest()
    return f"R-{digest[:10].upper()}"


def _kg(quantity: float, unit: str, density: float | None) -> float | None:
    if unit in MASS_IN_KG:
        return quantity * MASS_IN_KG[unit]  # type: ignore[index]
    if density is not None:
        return quantity * VOLUME_IN_L[unit] * density  # type: ignore[index]
    return None


def _amount(kg: float) -> str:
    return f"{kg / 1000:,.1f} t" if kg >= 1000 else f"{kg:,.3g} kg"


def _ordered(order: Order, kg: float) -> str:
    """The ordered quantity as the customer wrote it, with its mass when that differs."""
    written = f"{order.quantity:g} {order.unit}"
    return written if order.unit == "kg" else f"{written} ({_amount(kg)})"


@dataclass(frozen=True)
class _Threshold:
    kg: float
    label: str
    export: bool


class Screener:
    """Screens orders against the catalog, the watchlists and the red-flag rules."""

    def __init__(
        self,
        catalog: CatalogSnapshot,
        watchlists: WatchlistSet | None = None,
        *,
        rules: RuleSet | None = None,
        thresholds: DecisionThresholds | None = None,
        history: CustomerHistory | None = None,
        licence_check: LicenceCheck | None = None,
    ) -> None:
        self.catalog = catalog
        self.watchlists = watchlists or WatchlistSet.empty()
        self.rules = rules or shipped_rules()
        self.thresholds = thresholds or DecisionThresholds()
        self.history = history if history is not None else CustomerHistory()
        self.licence_check = licence_check

    def screen_all(
        self, orders: Iterable[Order], progress: Callable[[int], None] | None = None
    ) -> Iterator[ScreeningResult]:
        """Screen orders in turn; each is judged with the ones before it (split orders).

        Python's cyclic collector is paused while the batch runs (kit.memory.collector_paused):
        screening makes no reference cycles, and the collector's walks over the caches that a
        batch fills cost a third of its time.
        """
        with collector_paused():
            for done, order in enumerate(orders, start=1):
                yield self.screen(order)
                if progress is not None:
                    progress(done)

    def screen(self, order: Order, *, today: date | None = None) -> ScreeningResult:
        """Screen one order and remember it in the customer's history."""
        lookup = self.catalog.lookup(order.substance)
        if lookup.record is None:
            raise UnknownSubstance(order.substance, lookup.candidates, lookup.why == "ambiguous")
        record = lookup.record
        controls = self.catalog.controlling(record)
        density = _densities().get(record.id) or _densities().get(controls.id)
        quantity_kg = _kg(order.quantity, order.unit, density)
        day = order.order_date or today or datetime.now(UTC).date()
        key = customer_key(order.customer_name, order.customer_country)
        past = self.history.orders(key)

        hits = self._hits(order, key)
        findings: list[Finding] = []
        findings += self._watchlist_findings(hits)
        findings += self._customer_findings(order)
        findings += self._substance_findings(order, record, controls, quantity_kg)
        findings += self._history_findings(order, record, controls, quantity_kg, day, past)
        findings += self._transaction_findings(order)
        findings += self._end_use_findings(order, record, controls)

        score = min(100, sum(f.weight for f in findings))
        self.history.add(key, PastOrder(order.order_id, day, record.id, quantity_kg))
        return ScreeningResult(
            order=order,
            substance_id=record.id,
            substance_name=record.name,
            decision=self.thresholds.decide(score),
            score=score,
            findings=tuple(sorted(findings, key=lambda f: -f.weight)),
            hits=tuple(hits),
            rules_version=self.rules.version,
            list_versions=self.watchlists.versions,
            quantity_kg=quantity_kg,
            restricted_lists=self.watchlists.restricted_names,
        )

    # --- watchlists ---------------------------------------------------------------------

    def _hits(self, order: Order, key: str) -> list[WatchlistHit]:
        addresses = [
            (name, value)
            for name, value in (
                ("customer_address", order.customer_address),
                ("delivery_address", order.delivery_address),
            )
            if value
        ]
        identifiers = [
            v
            for v in (
                order.customer_licence_number,
                order.customer_registration_number,
                order.customer_email,
                order.customer_phone,
            )
            if v
        ]
        matches = self.watchlists.match(
            order.customer_name,
            country=order.customer_country,
            addresses=addresses,
            identifiers=identifiers,
        )
        return [self._hit(m, key) for m in matches]

    @staticmethod
    def _hit(match: Match, key: str) -> WatchlistHit:
        info = match.watchlist
        reference = (
            restricted_reference(info.name, match.entity.entity_id, key)
            if info.restricted
            else None
        )
        return WatchlistHit(
            list=info.name,
            list_version=info.version,
            entity_id=match.entity.entity_id,
            name=match.entity.name,
            matched_name=match.matched_name,
            score=match.score,
            field=match.field,
            explanation=match.explanation,
            restricted=info.restricted,
            reference=reference,
            programs=match.entity.programs,
            owner_organisation_id=info.owner_organisation_id,
        )

    def _finding(self, code: str, message: str, weight: int | None = None) -> Finding:
        rule = self.rules[code]
        return Finding(code, rule.severity, message, rule.weight if weight is None else weight)

    def _watchlist_findings(self, hits: list[WatchlistHit]) -> list[Finding]:
        findings = []
        restricted = [h for h in hits if h.restricted]
        if restricted:
            references = ", ".join(sorted({h.reference or "" for h in restricted}))
            findings.append(
                self._finding(
                    "RESTRICTED_HIT",
                    Message(
                        "Restricted hit: do not supply yet and contact your competent authority, "
                        "quoting reference %(references)s.",
                        references=references,
                    ),
                )
            )
        public = [h for h in hits if not h.restricted]
        if public:
            best = public[0]
            rule = self.rules["WATCHLIST_HIT"]
            weight = rule.weight
            if best.field == "identifier":
                weight = int(rule.parameters.get("identifier_weight", weight))
            elif best.field.endswith("address"):
                weight = weight // 2
            programmes = (
                Message(", programmes %(programmes)s", programmes=", ".join(best.programs))
                if best.programs
                else ""
            )
            others = (
                Message(" (and %(more)s more)", more=len(public) - 1) if len(public) > 1 else ""
            )
            # Whole sentences per field, so that a translation can word each its own way.
            values: dict[str, object] = {
                "name": repr(best.name),
                "list": best.list,
                "entry": best.entity_id,
                "programmes": programmes,
                "alike": f"{best.score:.0%}",
                "others": others,
            }
            if best.field == "identifier":
                message = Message(
                    "The customer matches an identifier of %(name)s on the list %(list)s (entry "
                    "%(entry)s%(programmes)s; %(alike)s alike)%(others)s. Do not supply until "
                    "you have ruled out that it is the same party.",
                    **values,
                )
            elif best.field == "customer_name":
                message = Message(
                    "The customer matches the name of %(name)s on the list %(list)s (entry "
                    "%(entry)s%(programmes)s; %(alike)s alike)%(others)s. Do not supply until "
                    "you have ruled out that it is the same party.",
                    **values,
                )
            else:
                message = Message(
                    "The customer matches the address of %(name)s on the list %(list)s (entry "
                    "%(entry)s%(programmes)s; %(alike)s alike)%(others)s. Do not supply until "
                    "you have ruled out that it is the same party.",
                    **values,
                )
            findings.append(self._finding("WATCHLIST_HIT", message, weight))
        return findings

    # --- the customer -------------------------------------------------------------------

    def _customer_findings(self, order: Order) -> list[Finding]:
        if order.customer_since is None:
            return [
                self._finding(
                    "NEW_CUSTOMER",
                    _NEW_CUSTOMER,
                )
            ]
        return []

    # --- the substance and its controls -------------------------------------------------

    def _substance_findings(
        self,
        order: Order,
        record: SubstanceRecord,
        controls: SubstanceRecord,
        quantity_kg: float | None,
    ) -> list[Finding]:
        findings = []
        category = controls.eu_category
        licence_categories = self.rules.param("LICENCE_MISSING", "categories", [])
        registration_categories = self.rules.param("REGISTRATION_MISSING", "categories", [])
        if category in licence_categories:
            if not order.customer_licence_number:
                findings.append(
                    self._finding(
                        "LICENCE_MISSING",
                        Message(
                            "%(substance)s is a category %(category)s precursor: supply only to "
                            "a customer with a licence. The order names no licence number.",
                            substance=record.shown_name(),
                            category=category,
                        ),
                    )
                )
            elif self.licence_check is not None:
                reason = self.licence_check(order, controls)
                if reason:
                    findings.append(self._finding("LICENCE_MISSING", reason))
        elif category in registration_categories:
            if not order.customer_registration_number and not order.customer_licence_number:
                findings.append(
                    self._finding(
                        "REGISTRATION_MISSING",
                        Message(
                            "%(substance)s is a category %(category)s precursor: the customer "
                            "must be registered. The order names no registration number.",
                            substance=record.shown_name(),
                            category=category,
                        ),
                    )
                )
            elif self.licence_check is not None:
                # A registration is checked in the register like a licence.
                reason = self.licence_check(order, controls)
                if reason:
                    findings.append(self._finding("REGISTRATION_MISSING", reason))
        if controls.watched and not controls.scheduled:
            findings.append(
                self._finding(
                    "WATCHED_SUBSTANCE",
                    Message(
                        "%(substance)s is not scheduled but is watched as a designer or "
                        "substitute precursor: ask what it is for and keep the answer.",
                        substance=record.shown_name(),
                    ),
                )
            )
        if category == "4" and quantity_kg is not None:
            limit = float(self.rules.param("PREPARATION_IN_BULK", "above_kg", 5))
            if quantity_kg > limit:
                findings.append(
                    self._finding(
                        "PREPARATION_IN_BULK",
                        Message(
                            "%(amount)s of %(substance)s is a bulk quantity of a medicinal "
                            "preparation; such orders have been used to divert ephedrine.",
                            amount=_amount(quantity_kg),
                            substance=record.shown_name(),
                        ),
                    )
                )
        findings += self._threshold_findings(order, record, controls, quantity_kg)
        return findings

    def _threshold_kg(self, controls: SubstanceRecord, order: Order) -> _Threshold | None:
        """The lowest threshold that applies to this order, in kg, with what it obliges.

        A jurisdiction's thresholds apply when the customer's or the delivery country is in it;
        an export threshold (EU category 3) only when the goods leave it.
        """
        jurisdictions: dict[str, list[str]] = self.rules.param(
            "ABOVE_THRESHOLD", "jurisdictions", {}
        )
        countries = {order.customer_country, order.delivery_country} - {None}
        destination = order.delivery_country or order.customer_country
        density = _densities().get(controls.id)
        best: _Threshold | None = None
        for threshold in controls.thresholds:
            members = jurisdictions.get(threshold.jurisdiction)
            export = "export" in threshold.obligation.lower()
            if members is not None:
                if export and destination in members:
                    continue
                if not export and not countries & set(members):
                    continue
            unit = "l" if threshold.unit == "L" else threshold.unit
            kg = _kg(threshold.quantity, unit, density)
            if kg is None:
                continue
            label = f"{threshold.quantity:g} {threshold.unit} ({threshold.jurisdiction})"
            if best is None or kg < best.kg:
                best = _Threshold(kg, label, export)
        return best

    def _threshold_findings(
        self,
        order: Order,
        record: SubstanceRecord,
        controls: SubstanceRecord,
        quantity_kg: float | None,
    ) -> list[Finding]:
        threshold = self._threshold_kg(controls, order)
        if threshold is None or quantity_kg is None or quantity_kg <= threshold.kg:
            return []
        consequence = _EXPORT_OBLIGATION if threshold.export else _CUSTOMER_OBLIGATION
        return [
            self._finding(
                "ABOVE_THRESHOLD",
                Message(
                    "%(ordered)s of %(substance)s is above the threshold of %(threshold)s: "
                    "%(consequence)s",
                    ordered=_ordered(order, quantity_kg),
                    substance=record.shown_name(),
                    threshold=threshold.label,
                    consequence=consequence,
                ),
            )
        ]

    # --- the customer's history ---------------------------------------------------------

    def _history_findings(
        self,
        order: Order,
        record: SubstanceRecord,
        controls: SubstanceRecord,
        quantity_kg: float | None,
        day: date,
        past: list[PastOrder],
    ) -> list[Finding]:
        findings = []
        params = self.rules.rules["UNUSUAL_QUANTITY"].parameters
        window = day - timedelta(days=int(params.get("window_days", 365)))
        same = [p for p in past if p.substance_id == record.id and window <= p.day <= day]
        quantities = [p.quantity_kg for p in same if p.quantity_kg is not None]
        if quantity_kg is not None and len(quantities) >= int(params.get("min_history", 2)):
            usual = statistics.median(quantities)
            factor = float(params.get("factor", 3.0))
            if usual > 0 and quantity_kg > factor * usual:
                findings.append(
                    self._finding(
                        "UNUSUAL_QUANTITY",
                        Message(
                            "%(amount)s of %(substance)s is %(times)s times this customer's "
                            "usual %(usual)s (median of %(count)s earlier orders).",
                            amount=_amount(quantity_kg),
                            substance=record.shown_name(),
                            times=f"{quantity_kg / usual:.1f}",
                            usual=_amount(usual),
                            count=len(quantities),
                        ),
                    )
                )
        findings += self._split_findings(order, record, controls, quantity_kg, day, past)
        findings += self._route_findings(record, day, past)
        return findings

    def _split_findings(
        self,
        order: Order,
        record: SubstanceRecord,
        controls: SubstanceRecord,
        quantity_kg: float | None,
        day: date,
        past: list[PastOrder],
    ) -> list[Finding]:
        threshold = self._threshold_kg(controls, order)
        if threshold is None or quantity_kg is None or quantity_kg > threshold.kg:
            return []
        params = self.rules.rules["SPLIT_ORDERS"].parameters
        since = day - timedelta(days=int(params.get("window_days", 30)))
        recent = [
            p
            for p in past
            if p.substance_id == record.id
            and since <= p.day <= day
            and p.quantity_kg is not None
            and p.quantity_kg <= threshold.kg
        ]
        total = quantity_kg + sum(p.quantity_kg or 0.0 for p in recent)
        if len(recent) + 1 < int(params.get("min_orders", 2)) or total <= threshold.kg:
            return []
        ids = ", ".join(p.order_id for p in recent[-5:])
        return [
            self._finding(
                "SPLIT_ORDERS",
                Message(
                    "This order and %(count)s earlier one(s) (%(ids)s) of %(substance)s within "
                    "%(days)s days add up to %(total)s, above the threshold of %(threshold)s "
                    "that each stays below.",
                    count=len(recent),
                    ids=ids,
                    substance=record.shown_name(),
                    days=params.get("window_days", 30),
                    total=_amount(total),
                    threshold=threshold.label,
                ),
            )
        ]

    def _route_findings(
        self, record: SubstanceRecord, day: date, past: list[PastOrder]
    ) -> list[Finding]:
        params = self.rules.rules["SYNTHESIS_ROUTE"].parameters
        since = day - timedelta(days=int(params.get("window_days", 90)))
        held = {p.substance_id for p in past if since <= p.day <= day} | {record.id}
        findings = []
        for route in params.get("routes", []):
            groups: list[list[str]] = route["groups"]
            if not any(record.id in g for g in groups):
                continue
            if all(held & set(g) for g in groups):
                names = [
                    self.catalog.records[s].shown_name()
                    for g in groups
                    for s in sorted(held & set(g))
                    if s in self.catalog.records
                ]
                findings.append(
                    self._finding(
                        "SYNTHESIS_ROUTE",
                        Message(
                            "With this order the customer has bought %(names)s within %(days)s "
                            "days: together they make up the route '%(route)s'.",
                            names=Joined(names),
                            days=params.get("window_days", 90),
                            route=route["name"],
                        ),
                    )
                )
        return findings

    # --- payment and delivery -----------------------------------------------------------

    def _transaction_findings(self, order: Order) -> list[Finding]:
        findings = []
        methods: dict[str, int] = self.rules.param("PAYMENT_UNUSUAL", "methods", {})
        if order.payment_method and order.payment_method.value in methods:
            how = _PAYMENTS.get(
                order.payment_method.value, order.payment_method.value.replace("_", " ")
            )
            findings.append(
                self._finding(
                    "PAYMENT_UNUSUAL",
                    Message(
                        "Payment by %(how)s: legitimate chemical buyers pay by invoice or "
                        "transfer from their own account.",
                        how=how,
                    ),
                    methods[order.payment_method.value],
                )
            )
        types: dict[str, int] = self.rules.param("DELIVERY_UNUSUAL", "types", {})
        if order.delivery_type and order.delivery_type.value in types:
            where = _DELIVERIES[order.delivery_type.value]
            findings.append(
                self._finding(
                    "DELIVERY_UNUSUAL",
                    Message(
                        "Delivery to %(where)s, not to the customer's registered premises.",
                        where=where,
                    ),
                    types[order.delivery_type.value],
                )
            )
        if order.delivery_country and order.delivery_country != order.customer_country:
            findings.append(
                self._finding(
                    "DELIVERY_COUNTRY_DIFFERS",
                    Message(
                        "The goods go to %(destination)s, not to the customer's country "
                        "%(country)s.",
                        destination=country_name(order.delivery_country),
                        country=country_name(order.customer_country),
                    ),
                )
            )
        if order.transit_countries:
            params = self.rules.rules["TRANSIT_ROUTE"].parameters
            weight = min(
                int(params.get("max", 20)),
                int(params.get("per_country", 5)) * len(order.transit_countries),
            )
            names = Joined([country_name(c) for c in order.transit_countries])
            findings.append(
                self._finding(
                    "TRANSIT_ROUTE",
                    Message(
                        "The route passes through %(names)s: check that the routing makes sense.",
                        names=names,
                    ),
                    max(weight, self.rules["TRANSIT_ROUTE"].weight),
                )
            )
        return findings

    # --- end use ------------------------------------------------------------------------

    def _end_use_findings(
        self, order: Order, record: SubstanceRecord, controls: SubstanceRecord
    ) -> list[Finding]:
        if not (controls.scheduled or controls.watched):
            return []
        if not order.declared_end_use:
            return [
                self._finding(
                    "END_USE_MISSING",
                    Message(
                        "No end use is declared for %(substance)s: ask for a signed customer "
                        "declaration stating the specific use.",
                        substance=record.shown_name(),
                    ),
                )
            ]
        use = fold(order.declared_end_use)
        padded = f" {use} "
        params = self.rules.rules["END_USE_IMPLAUSIBLE"].parameters
        for word, folded in _folded(tuple(params.get("suspicious_words", []))):
            if folded in padded:
                return [
                    self._finding(
                        "END_USE_IMPLAUSIBLE",
                        Message(
                            "The declared use %(use)s is no business use of %(substance)s "
                            "('%(word)s'): ask for a signed customer declaration naming the "
                            "business use, or decline.",
                            use=repr(order.declared_end_use),
                            substance=record.shown_name(),
                            word=word,
                        ),
                    )
                ]
        plausible: dict[str, list[str]] = params.get("plausible_words", {})
        words = plausible.get(record.id) or plausible.get(controls.id)
        if words and not any(w in use for w in words):
            return [
                self._finding(
                    "END_USE_IMPLAUSIBLE",
                    Message(
                        "The declared use %(use)s is not a known legitimate use of "
                        "%(substance)s: ask the customer to explain it.",
                        use=repr(order.declared_end_use),
                        substance=record.shown_name(),
                    ),
                )
            ]
        return []
