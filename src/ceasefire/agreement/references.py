"""Cross-reference checks: every id an agreement mentions must be defined, once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ceasefire.agreement.conditions import UNATTRIBUTED, Filter, Severity
from ceasefire.agreement.model import Agreement, Commitment, PhaseTime, SecurityZone, TimeRef
from ceasefire.agreement.yaml_source import KeyPath

Finding = tuple[KeyPath, str]


def _unknown(kind: str, value: str, defined: Iterable[str]) -> str:
    from ceasefire.errors import did_you_mean

    return f"{kind} '{value}' is not defined" + did_you_mean(value, defined)


def _duplicates(items: list[Any], section: str) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.id in seen:
            yield (section, index, "id"), f"{section} id '{item.id}' is defined twice"
        seen.add(item.id)


class _Refs:
    def __init__(self, agreement: Agreement) -> None:
        self.parties = agreement.party_ids()
        self.lines = [x.id for x in agreement.lines]
        self.zones = [x.id for x in agreement.zones]
        self.phases = [x.id for x in agreement.phases]
        self.rules = [x.id for x in agreement.rules]

    def party(self, path: KeyPath, value: str) -> Iterator[Finding]:
        if value not in self.parties:
            yield path, _unknown("party", value, self.parties)

    def line(self, path: KeyPath, value: str | None) -> Iterator[Finding]:
        if value is not None and value not in self.lines:
            yield path, _unknown("line", value, self.lines)

    def zone(self, path: KeyPath, value: str | None) -> Iterator[Finding]:
        if value is not None and value not in self.zones:
            yield path, _unknown("zone", value, self.zones)

    def time(self, path: KeyPath, value: TimeRef | None) -> Iterator[Finding]:
        if isinstance(value, PhaseTime) and value.phase not in self.phases:
            yield (*path, "phase"), _unknown("phase", value.phase, self.phases)


def _territories(agreement: Agreement) -> Iterator[Finding]:
    """Each territory is a country of the bundled boundaries, claimed by one party."""
    from ceasefire.geo.boundaries import countries

    known = sorted(countries())
    claimed: dict[str, str] = {}
    for i, party in enumerate(agreement.parties):
        for j, iso in enumerate(party.territory):
            path: KeyPath = ("parties", i, "territory", j)
            if iso not in known:
                yield (
                    path,
                    (
                        f"territory '{iso}' of party '{party.id}' is not a country of the bundled "
                        f"boundaries; expected one of {', '.join(known)}"
                    ),
                )
            elif iso in claimed:
                both = f"'{claimed[iso]}' and '{party.id}'"
                yield path, f"territory '{iso}' is claimed by both {both}"
            claimed.setdefault(iso, party.id)


def _lines_and_zones(agreement: Agreement, refs: _Refs) -> Iterator[Finding]:
    for i, line in enumerate(agreement.lines):
        if line.controlled_area is not None:
            yield from refs.party(
                ("lines", i, "controlled_area", "party"), line.controlled_area.party
            )
        if line.sides is not None:
            for j, party in enumerate(line.sides.left_parties):
                yield from refs.party(("lines", i, "sides", "left", j), party)
            for j, party in enumerate(line.sides.right_parties):
                yield from refs.party(("lines", i, "sides", "right", j), party)
    for i, zone in enumerate(agreement.zones):
        yield from refs.line(("zones", i, "line"), getattr(zone, "line", None))
        if isinstance(zone, SecurityZone):
            for party, line_id in zone.measured_from.items():
                yield from refs.party(("zones", i, "measured_from", party), party)
                yield from refs.line(("zones", i, "measured_from", party), line_id)


def _rules(agreement: Agreement, refs: _Refs) -> Iterator[Finding]:
    for i, rule in enumerate(agreement.rules):
        for j, party in enumerate(rule.parties):
            yield from refs.party(("rules", i, "parties", j), party)
        yield from refs.zone(("rules", i, "where", "zone"), rule.where.zone)
        yield from refs.line(("rules", i, "where", "line"), rule.where.line)
        yield from refs.line(("rules", i, "where", "across_line"), rule.where.across_line)
        yield from refs.time(("rules", i, "when", "after"), rule.when.after)
        yield from refs.time(("rules", i, "when", "until"), rule.when.until)
        for k, exception in enumerate(rule.exceptions):
            for j, party in enumerate(exception.parties):
                yield from refs.party(("rules", i, "exceptions", k, "parties", j), party)
            for j, zone_id in enumerate(exception.zones):
                yield from refs.zone(("rules", i, "exceptions", k, "zones", j), zone_id)


def _guarantors(agreement: Agreement, refs: _Refs) -> Iterator[Finding]:
    for i, guarantor in enumerate(agreement.guarantors):
        for k, commitment in enumerate(guarantor.commitments):
            base: KeyPath = ("guarantors", i, "commitments", k)
            for field in ("toward", "against"):
                for j, party in enumerate(getattr(commitment, field)):
                    yield from refs.party((*base, field, j), party)
            yield from refs.time((*base, "valid_from"), commitment.valid_from)
            yield from _ladder(agreement, commitment, base, refs)


def _filter(
    path: KeyPath, where: Filter, severity: Severity | None, refs: _Refs
) -> Iterator[Finding]:
    parties = [*refs.parties, UNATTRIBUTED]
    for j, party in enumerate(where.parties):
        if party not in parties:
            yield (*path, "parties", j), _unknown("party", party, parties)
    for j, rule_id in enumerate(where.rules):
        if rule_id not in refs.rules:
            yield (*path, "rules", j), _unknown("rule", rule_id, refs.rules)
    for j, zone_id in enumerate(where.zones):
        yield from refs.zone((*path, "zones", j), zone_id)
    if where.min_severity is not None:
        if severity is None:
            yield (*path, "min_severity"), "'min_severity' needs a top-level 'severity' section"
        elif where.min_severity not in severity.levels:
            levels = severity.levels
            yield (*path, "min_severity"), _unknown("severity level", where.min_severity, levels)


def _ladder(
    agreement: Agreement, commitment: Commitment, base: KeyPath, refs: _Refs
) -> Iterator[Finding]:
    """Trigger conditions refer to defined ids; every trigger level has a response."""
    levels = [r.level for r in commitment.responses]
    for j, level in enumerate(levels):
        if level in levels[:j]:
            yield (*base, "responses", j, "level"), f"response level {level} is defined twice"
    seen: set[str] = set()
    for t, trigger in enumerate(commitment.triggers):
        path: KeyPath = (*base, "triggers", t)
        if trigger.id in seen:
            yield (*path, "id"), f"trigger id '{trigger.id}' is defined twice"
        seen.add(trigger.id)
        if trigger.level not in levels:
            defined = ", ".join(str(x) for x in sorted(levels)) or "none"
            message = (
                f"trigger '{trigger.id}' raises the ladder to level {trigger.level}, "
                f"which has no response; levels with a response: {defined}"
            )
            yield (*path, "level"), message
        for leaf_path, where in trigger.condition.leaves((*path, "condition")):
            yield from _filter(leaf_path, where, agreement.severity, refs)
    ladder = commitment.de_escalation
    if ladder is not None and levels and ladder.floor >= max(levels):
        top = max(levels)
        yield (
            (*base, "de_escalation", "floor"),
            (f"floor {ladder.floor} is not below the top level {top}; nothing would de-escalate"),
        )


def _severity(agreement: Agreement, refs: _Refs) -> Iterator[Finding]:
    if agreement.severity is None:
        return
    levels = agreement.severity.levels
    for j, level in enumerate(levels):
        if level in levels[:j]:
            yield ("severity", "levels", j), f"severity level '{level}' is defined twice"
    for j, criterion in enumerate(agreement.severity.criteria):
        path: KeyPath = ("severity", "criteria", j)
        if criterion.level not in levels:
            yield (*path, "level"), _unknown("severity level", criterion.level, levels)
        for k, rule_id in enumerate(criterion.rules):
            if rule_id not in refs.rules:
                yield (*path, "rules", k), _unknown("rule", rule_id, refs.rules)
        for k, zone_id in enumerate(criterion.zones):
            yield from refs.zone((*path, "zones", k), zone_id)


def _scope(agreement: Agreement) -> Iterator[Finding]:
    from ceasefire.geo.boundaries import known_admin1_codes

    known = known_admin1_codes()
    for i, code in enumerate(agreement.scope.admin1):
        if code not in known:
            yield ("scope", "admin1", i), _unknown("admin-1 unit", code, known)


def check_references(agreement: Agreement) -> list[Finding]:
    """Every unknown or duplicated id, with the key path where it appears."""
    refs = _Refs(agreement)
    findings: list[Finding] = []
    for section in ("parties", "monitors", "phases", "lines", "zones", "rules", "guarantors"):
        findings.extend(_duplicates(getattr(agreement, section), section))
    findings.extend(_territories(agreement))
    findings.extend(_lines_and_zones(agreement, refs))
    findings.extend(_rules(agreement, refs))
    findings.extend(_guarantors(agreement, refs))
    findings.extend(_severity(agreement, refs))
    findings.extend(_scope(agreement))
    return findings
