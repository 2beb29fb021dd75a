"""Look-ups against the registers, each as of a date: who held which seat or office then."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import sqlite_utils

from app import store
from classifiers.names import name_key

# Salutations and titles that address any minister, not one in particular.
GENERIC_ADDRESSES = {
    "minister",
    "secretary of state",
    "sir",
    "madam",
    "sir or madam",
    "sirs",
    "sir madam",
    "",
}
# Everyday names of offices and the formal titles registers use for them.
ROLE_ALIASES = {
    "home secretary": "secretary of state for the home department",
    "justice secretary": "secretary of state for justice",
    "foreign secretary": "secretary of state for foreign commonwealth and development affairs",
    "chancellor": "chancellor of the exchequer",
}


def _active(entry: dict, on: str) -> bool:
    return (not entry.get("start") or entry["start"] <= on) and (not entry.get("end") or entry["end"] >= on)


@dataclass
class Registers:
    """The department's reference data, read once for a batch of letters."""

    own_department: dict
    departments: list[dict]
    ministers: list[dict]
    members: list[dict]
    bills: list[dict]
    lines: list[dict]

    @classmethod
    def load(cls, db: sqlite_utils.Database) -> Registers:
        own = store.own_department(db)
        if own is None:
            raise LookupError("the database has no reference data: run `mincorr init` first")
        return cls(
            own_department=own,
            departments=store.departments(db),
            ministers=store.ministers_with_appointments(db),
            members=store.members_with_memberships(db),
            bills=store.bills_with_clauses(db),
            lines=store.lines_to_take(db),
        )

    def department(self, code: str) -> dict | None:
        return next((d for d in self.departments if d["code"] == code), None)

    def minister(self, minister_id: str) -> dict | None:
        return next((m for m in self.ministers if m["id"] == minister_id), None)

    def bill(self, bill_id: str | None) -> dict | None:
        return next((b for b in self.bills if b["id"] == bill_id), None)

    def clause(self, bill_id: str | None, number: str | None) -> dict | None:
        bill = self.bill(bill_id)
        if not bill or not number:
            return None
        return next((c for c in bill["clauses"] if c["number"] == number), None)

    def line(self, line_id: str | None) -> dict | None:
        return next((line for line in self.lines if line["id"] == line_id), None)

    @cached_property
    def _member_keys(self) -> dict[str, list[dict]]:
        keys: dict[str, list[dict]] = {}
        for member in self.members:
            names = {member["name"], *(member.get("aliases") or [])}
            if member.get("peerage"):
                names.add(member["peerage"])
            for name in names:
                keys.setdefault(name_key(name), []).append(member)
        return keys

    @cached_property
    def _bill_patterns(self) -> list[tuple[re.Pattern, dict]]:
        patterns = []
        for bill in self.bills:
            names = sorted({bill["title"], *(bill.get("aliases") or [])}, key=len, reverse=True)
            patterns.append((_phrase_pattern(names), bill))
        return patterns


def _phrase_pattern(phrases: list[str]) -> re.Pattern:
    alternatives = [r"[\s-]+".join(re.escape(word) for word in p.split()) for p in phrases if p.strip()]
    return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])", re.I)


def resolve_member(
    registers: Registers, sender: dict | None, on: str, correspondent_type: str | None = None
) -> tuple[dict, dict] | None:
    """Find the sender in the members register: the member and their seat on date `on`.

    A former member (no seat on that date) is not matched: they write as a member of the public.
    """
    if not sender:
        return None
    keys = [
        name_key(sender.get("peerage") or ""),
        name_key(f"{sender.get('given_name', '')} {sender.get('surname', '')}"),
    ]
    candidates: list[dict] = []
    for key in filter(None, keys):
        candidates += registers._member_keys.get(key, [])
    for member in candidates:
        seats = [s for s in member["memberships"] if _active(s, on)]
        if correspondent_type:
            seats.sort(key=lambda s: s["type"] != correspondent_type)
        if seats:
            return member, seats[0]
    return None


def resolve_addressee(registers: Registers, addressee: dict, on: str) -> dict:
    """Work out which minister (or department) a letter was addressed to, as of `on`."""
    person = addressee.get("name") or {}
    holders = [
        (minister, appointment)
        for minister in registers.ministers
        for appointment in minister["appointments"]
        if _active(appointment, on)
    ]
    wanted = name_key(f"{person.get('given_name', '')} {person.get('surname', '')}") if person else ""
    peerage = name_key(person.get("peerage", "")) if person else ""
    match = None
    if wanted or peerage:
        for minister, appointment in holders:
            names = {
                name_key(minister["name"]),
                name_key(minister.get("peerage") or ""),
                *(name_key(a) for a in minister.get("aliases") or []),
            }
            surname_only = (
                person.get("surname")
                and not person.get("given_name")
                and name_key(person["surname"]) == name_key(minister["surname"])
            )
            if (wanted and wanted in names) or (peerage and peerage in names) or surname_only:
                match = (minister, appointment)
                break
    if match is None:
        role_texts = {
            ROLE_ALIASES.get(key, key)
            for key in (name_key(r) for r in [*addressee.get("roles", []), addressee.get("salutation", "")])
            if key not in GENERIC_ADDRESSES
        }
        for minister, appointment in holders:
            role = name_key(appointment["role"])
            if any(text == role or (len(text.split()) > 2 and text in role) for text in role_texts):
                match = (minister, appointment)
                break
    if match is None and name_key(addressee.get("salutation", "")) not in GENERIC_ADDRESSES:
        first = name_key(addressee["salutation"].split()[0])
        department_texts = " ".join(addressee.get("departments", [])).lower()
        for minister, appointment in holders:
            department = registers.department(appointment["department"]) or {}
            if name_key(minister.get("given_name", "")) == first and (
                not department_texts or department.get("name", "").lower() in department_texts
            ):
                match = (minister, appointment)
                break
    if match:
        minister, appointment = match
        department = registers.department(appointment["department"]) or {}
        return {
            "minister_id": minister["id"],
            "name": minister["name"],
            "role": appointment["role"],
            "department": appointment["department"],
            "department_name": department.get("name"),
        }
    named = person.get("full") if person else None
    department_code = None
    for text in addressee.get("departments", []):
        for department in registers.departments:
            names = [department["name"], *(department.get("aliases") or [])]
            if any(n.lower() in text.lower() for n in names):
                department_code = department["code"]
                break
    department = registers.department(department_code) if department_code else None
    specific_roles = [r for r in addressee.get("roles", []) if name_key(r) not in GENERIC_ADDRESSES]
    return {
        "minister_id": None,
        "name": named or (specific_roles[0] if specific_roles else None),
        "role": specific_roles[0] if specific_roles else None,
        "department": department_code,
        "department_name": department["name"] if department else None,
    }


def link_legislation(registers: Registers, text: str, legislation: list[dict]) -> dict:
    """Link a letter to the bill and clause it is about, with the words that made each link."""
    best_bill, bill_hits = None, []
    for pattern, bill in registers._bill_patterns:
        hits = [m.group(0) for m in pattern.finditer(text)]
        if len(hits) > len(bill_hits):
            best_bill, bill_hits = bill, hits
    if best_bill is None:
        return {"bill_id": None, "clause_number": None, "evidence": []}
    evidence = [f"bill named: {bill_hits[0]}"]
    clause_numbers = {m["value"] for m in legislation if m["kind"] == "clause"}
    clause = next((c for c in best_bill["clauses"] if c["number"] in clause_numbers), None)
    if clause:
        evidence.append(f"clause named: clause {clause['number']}")
    else:
        scored = []
        for candidate in best_bill["clauses"]:
            names = [
                candidate.get("title") or "",
                candidate.get("short_title") or "",
                *(candidate.get("aliases") or []),
            ]
            names = [n for n in names if len(n) > 6]
            if names:
                hits = [m.group(0) for m in _phrase_pattern(names).finditer(text)]
                if hits:
                    scored.append((len(hits), candidate, hits[0]))
        if scored:
            scored.sort(key=lambda item: -item[0])
            _, clause, phrase = scored[0]
            evidence.append(f"clause described: {phrase}")
    if clause is None:
        parts = {m["value"] for m in legislation if m["kind"] == "part"}
        in_part = [c for c in best_bill["clauses"] if c.get("part") in parts]
        if len(in_part) == 1:
            clause = in_part[0]
            evidence.append(f"Part named: Part {clause['part']}")
    return {
        "bill_id": best_bill["id"],
        "clause_number": clause["number"] if clause else None,
        "evidence": evidence,
    }


def current_version(line: dict, on: str) -> dict | None:
    """The approved version of a line to take in force on date `on`, if any."""
    versions = [
        v
        for v in line["versions"]
        if v["status"] == "approved"
        and (not v.get("effective_from") or v["effective_from"] <= on)
        and (not v.get("effective_to") or v["effective_to"] >= on)
    ]
    return max(versions, key=lambda v: v["version"]) if versions else None


def choose_line(
    registers: Registers, topic: str | None, bill_id: str | None, clause_number: str | None, on: str
) -> tuple[dict, dict] | None:
    """Choose the line to take for a letter: the bill and clause's own line first, then the
    bill's, then the topic's general line; only approved versions in force on `on` qualify."""

    def candidates():
        if bill_id and clause_number:
            yield [
                line
                for line in registers.lines
                if line["bill_id"] == bill_id and line["clause_number"] == clause_number
            ]
        if bill_id:
            yield [
                line
                for line in registers.lines
                if line["bill_id"] == bill_id and not line["clause_number"] and line["topic"] == topic
            ]
        if topic:
            yield [line for line in registers.lines if line["topic"] == topic and not line["bill_id"]]

    for lines in candidates():
        in_force = [(line, version) for line in lines if (version := current_version(line, on))]
        if in_force:
            # Where several lines apply, the most recently effective one states current policy.
            return max(in_force, key=lambda pair: pair[1].get("effective_from") or "")
    return None


def answering_minister(registers: Registers, topic: str | None, on: str) -> tuple[dict, dict] | None:
    """The minister of the department whose portfolio covered `topic` on date `on`.

    Falls back to the department's lead minister on that date, then to whoever last held the
    topic (a register that has not yet been brought up to date should still give a name).
    """
    own = registers.own_department["code"]
    holders = [
        (minister, appointment)
        for minister in registers.ministers
        for appointment in minister["appointments"]
        if appointment["department"] == own
    ]
    current = [(m, a) for m, a in holders if _active(a, on)]
    for minister, appointment in current:
        if topic and topic in (appointment.get("topics") or []):
            return minister, appointment
    for minister, appointment in current:
        if appointment.get("lead"):
            return minister, appointment
    past = sorted(
        ((m, a) for m, a in holders if topic in (a.get("topics") or []) or a.get("lead")),
        key=lambda pair: (topic in (pair[1].get("topics") or []), pair[1].get("start") or ""),
    )
    return past[-1] if past else None


def chosen_minister(
    registers: Registers, minister_id: str, topic: str | None, on: str
) -> tuple[dict, dict] | None:
    """The minister a person chose to answer, with the appointment of theirs in force on `on`.

    Prefers their appointment in this department that covers `topic`, then any in force; a
    minister not (or no longer) in post keeps their latest appointment, so a draft still has a name.
    """
    own = registers.own_department["code"]
    minister = next((m for m in registers.ministers if m["id"] == minister_id), None)
    if minister is None:
        return None
    appointments = sorted(minister["appointments"], key=lambda a: a.get("start") or "")
    ranked = sorted(
        appointments,
        key=lambda a: (_active(a, on), a["department"] == own, topic in (a.get("topics") or [])),
    )
    return (minister, ranked[-1]) if ranked else None
