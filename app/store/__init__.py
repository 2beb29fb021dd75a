"""The store: the one place that talks to SQLite (through sqlite-utils).

Everything else in mincorr calls the functions exported here; nothing else issues SQL.
Were a department to outgrow one SQLite file, this package is what would change.
"""

from app.store.cases import (
    allocate_reference,
    case_by_letter,
    cases_citing_stale_lines,
    count_cases,
    get_case,
    get_case_by_reference,
    insert_case,
    list_cases,
    triage_queue,
    update_case,
)
from app.store.classifications import insert_classifications, latest_classifications
from app.store.comments import comments_for_case, insert_comment
from app.store.connection import open_db, utc_now
from app.store.corrections import corrected_letters, corrections_for_case, insert_correction
from app.store.correspondents import get_correspondent, insert_correspondent, update_correspondent
from app.store.drafts import get_draft, insert_draft, latest_draft, list_drafts
from app.store.events import events_for_case, record_event, record_events
from app.store.letters import (
    find_letter_by_sha256,
    get_letter,
    get_original,
    insert_letter,
    letter_metadata,
    search_letters,
)
from app.store.models import (
    activate_model,
    active_model,
    get_model,
    insert_model,
    list_models,
    next_model_version,
)
from app.store.reference import (
    bills_with_clauses,
    department,
    departments,
    get_bill,
    get_clause,
    lines_to_take,
    load_reference_data,
    members_with_memberships,
    minister,
    ministers_with_appointments,
    own_department,
)
from app.store.users import create_user, get_user, get_user_by_username

__all__ = [
    "activate_model",
    "active_model",
    "allocate_reference",
    "bills_with_clauses",
    "case_by_letter",
    "cases_citing_stale_lines",
    "comments_for_case",
    "corrected_letters",
    "corrections_for_case",
    "count_cases",
    "create_user",
    "department",
    "departments",
    "events_for_case",
    "find_letter_by_sha256",
    "get_bill",
    "get_case",
    "get_case_by_reference",
    "get_clause",
    "get_correspondent",
    "get_draft",
    "get_letter",
    "get_model",
    "get_original",
    "get_user",
    "get_user_by_username",
    "insert_case",
    "insert_classifications",
    "insert_comment",
    "insert_correction",
    "insert_correspondent",
    "insert_draft",
    "insert_letter",
    "insert_model",
    "latest_classifications",
    "latest_draft",
    "letter_metadata",
    "lines_to_take",
    "list_cases",
    "list_drafts",
    "list_models",
    "load_reference_data",
    "members_with_memberships",
    "minister",
    "ministers_with_appointments",
    "next_model_version",
    "open_db",
    "own_department",
    "record_event",
    "record_events",
    "search_letters",
    "triage_queue",
    "update_case",
    "update_correspondent",
    "utc_now",
]
