"""Drafting replies from letter_templates/ (Jinja2), citing the lines to take they use."""

from app.drafting.compose import (
    DOCX_MEDIA_TYPE,
    Draft,
    compose_draft,
    draft_to_docx,
    draft_to_pdf,
    export_draft,
    format_long_date,
    letter_date_phrase,
    letterhead,
    template_environment,
    templates_for,
)

__all__ = [
    "DOCX_MEDIA_TYPE",
    "Draft",
    "compose_draft",
    "draft_to_docx",
    "draft_to_pdf",
    "export_draft",
    "format_long_date",
    "letter_date_phrase",
    "letterhead",
    "template_environment",
    "templates_for",
]
