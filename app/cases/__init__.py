"""Cases: one per letter, with a reference, a case type, an answering minister and due dates."""

from app.cases.opening import CaseDates, case_dates, case_view, open_case

__all__ = ["CaseDates", "case_dates", "case_view", "open_case"]
