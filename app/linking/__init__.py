"""Linking a letter to the department's registers: members, ministers, bills and clauses, lines to take."""

from app.linking.registers import (
    Registers,
    answering_minister,
    choose_line,
    link_legislation,
    resolve_addressee,
    resolve_member,
)

__all__ = [
    "Registers",
    "answering_minister",
    "choose_line",
    "link_legislation",
    "resolve_addressee",
    "resolve_member",
]
