"""The OpenAPI 3.1 document of the JSON API (served at /api/v1/openapi.json).

The Case schema describes exactly the object app.cases.case_view returns (what `mincorr show
--json` prints); tests/test_api.py checks that the two name the same fields.
"""

from __future__ import annotations

from app.taxonomy import Taxonomy
from app.workflow import STAGES


def _nullable(schema: dict) -> dict:
    """`schema` or null."""
    return {"oneOf": [schema, {"type": "null"}]}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    """An object schema whose listed properties are all present (they may be null)."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }


STRING = {"type": "string"}
STRING_OR_NULL = {"type": ["string", "null"]}
DATE = {"type": "string", "format": "date"}
DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
WORDS = {"type": "array", "items": STRING}


def _schemas(taxonomy: Taxonomy) -> dict:
    """The component schemas: Case, Label, ImportResult, CaseList, ImportResponse and Error."""
    stage_ids = [stage for stage, _ in STAGES]
    label = _object(
        {
            "label": STRING,
            "name": STRING_OR_NULL,
            "confidence": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
            "auto_accepted": {"type": ["boolean", "null"], "description": "Accepted without a person"},
            "threshold": {"type": ["number", "null"], "description": "Confidence needed to auto-accept"},
            "corrected": {"type": "boolean", "description": "A person set this label"},
            "alternatives": {
                "type": "array",
                "items": _object({"label": STRING, "confidence": {"type": "number"}}),
                "description": "The next most likely labels",
            },
            "evidence": {**WORDS, "description": "The words that drove the prediction"},
            "model_version": STRING_OR_NULL,
        }
    )
    case = _object(
        {
            "reference": {"type": "string", "pattern": "^[A-Z]+[0-9]{6}$", "examples": ["MC238555"]},
            "case_type": {"type": "string", "enum": [c["id"] for c in taxonomy.case_types]},
            "received": DATE,
            "due": {**DATE, "description": "The reply is due on this working day"},
            "draft_due": DATE,
            "correspondent": _object(
                {
                    "name": STRING_OR_NULL,
                    "type": {
                        "type": ["string", "null"],
                        "enum": [*taxonomy.ids("correspondent_types"), None],
                    },
                    "constituency": STRING_OR_NULL,
                }
            ),
            "on_behalf_of_constituents": {"type": "boolean"},
            "constituents": {
                "type": "array",
                "items": _object({"name": STRING, "address": STRING_OR_NULL}, required=["name"]),
            },
            "addressed_to": _nullable(
                _object(
                    {
                        "minister_id": STRING_OR_NULL,
                        "name": STRING_OR_NULL,
                        "role": STRING_OR_NULL,
                        "department": STRING_OR_NULL,
                        "department_name": STRING_OR_NULL,
                    },
                    required=[],
                )
            ),
            "letter_date": DATE_OR_NULL,
            "their_reference": STRING_OR_NULL,
            "topic": _nullable({"$ref": "#/components/schemas/Label"}),
            "concern": _nullable({"$ref": "#/components/schemas/Label"}),
            "flags": {"type": "array", "items": {"type": "string", "enum": taxonomy.ids("flags")}},
            "flag_details": {
                "type": "array",
                "items": _object(
                    {
                        "flag": STRING,
                        "confidence": {"type": ["number", "null"]},
                        "raised_by": {
                            "type": ["string", "null"],
                            "description": '"rules", a model version, or "rules+" and a model version',
                        },
                        "evidence": WORDS,
                    }
                ),
            },
            "bill": _nullable(_object({"id": STRING, "title": STRING, "session": STRING_OR_NULL})),
            "clause": _nullable(
                _object(
                    {
                        "number": STRING,
                        "title": STRING_OR_NULL,
                        "status": STRING_OR_NULL,
                        "status_date": DATE_OR_NULL,
                    }
                )
            ),
            "line_to_take": _nullable(_object({"id": STRING, "version": {"type": ["integer", "null"]}})),
            "campaign": {"type": ["integer", "null"]},
            "answering_minister": _nullable(_object({"id": STRING, "name": STRING})),
            "status": {"type": "string", "enum": stage_ids, "description": "The stage the case is at"},
        }
    )
    import_result = _object(
        {
            "file": STRING,
            "status": {"type": "string", "enum": ["created", "duplicate", "refused"]},
            "reference": STRING_OR_NULL,
            "case_type": STRING_OR_NULL,
            "case_status": STRING_OR_NULL,
            "reason": {**STRING_OR_NULL, "description": "Why a file was refused, or whose duplicate it is"},
            "case": _nullable({"$ref": "#/components/schemas/Case"}),
        }
    )
    return {
        "Case": case,
        "Label": label,
        "ImportResult": import_result,
        "ImportResponse": _object(
            {
                "results": {"type": "array", "items": {"$ref": "#/components/schemas/ImportResult"}},
                "error": STRING,
            },
            required=["results"],
        ),
        "CaseList": _object(
            {
                "cases": {"type": "array", "items": {"$ref": "#/components/schemas/Case"}, "maxItems": 100},
                "page": {"type": "integer", "minimum": 1},
                "next": {**STRING_OR_NULL, "description": "The next page's address, if there is one"},
                "previous": STRING_OR_NULL,
            }
        ),
        "Error": _object({"error": STRING}),
    }


def _response(description: str, schema: str) -> dict:
    """A JSON response described by the schema at `schema`."""
    return {"description": description, "content": {"application/json": {"schema": {"$ref": schema}}}}


ERROR = "#/components/schemas/Error"


def openapi_document(taxonomy: Taxonomy) -> dict:
    """The OpenAPI 3.1 description of /api/v1, with the department's stages, topics and flags."""
    unauthorised = _response("No token, or a token that is unknown or revoked", ERROR)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "mincorr API",
            "version": "1",
            "description": (
                "Upload letters and read cases. Every request but this document carries "
                '"Authorization: Bearer TOKEN"; an administrator creates a token with '
                "`mincorr token create USERNAME`. A token acts with its user's role."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerToken": []}],
        "paths": {
            "/letters": {
                "post": {
                    "summary": "Import letters and open a case for each",
                    "description": (
                        "Correspondence officers, unit managers and admins. Each file becomes a new "
                        "case, is recognised as a duplicate of an earlier one, or is refused with a reason."
                    ),
                    "operationId": "uploadLetters",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "letters": {
                                            "type": "array",
                                            "items": {
                                                "type": "string",
                                                "contentMediaType": "application/octet-stream",
                                            },
                                            "description": ".txt, .eml, .msg, .docx, .pdf or scanned images",
                                        },
                                        "received": {
                                            **DATE,
                                            "description": "When the post was received; default today",
                                        },
                                    },
                                    "required": ["letters"],
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": _response(
                            "At least one new case was opened", "#/components/schemas/ImportResponse"
                        ),
                        "200": _response(
                            "Every file was already imported", "#/components/schemas/ImportResponse"
                        ),
                        "400": _response(
                            "No files, a bad date, or every file refused (the results say why)",
                            "#/components/schemas/ImportResponse",
                        ),
                        "401": unauthorised,
                        "403": _response("The token's role may not upload letters", ERROR),
                        "503": _response("No usable model: letters cannot be read now", ERROR),
                    },
                }
            },
            "/cases": {
                "get": {
                    "summary": "List cases, soonest due first, 100 a page",
                    "operationId": "listCases",
                    "parameters": [
                        {
                            "name": "status",
                            "in": "query",
                            "schema": {"type": "string", "enum": [stage for stage, _ in STAGES]},
                            "description": "Only cases at this stage",
                        },
                        {
                            "name": "topic",
                            "in": "query",
                            "schema": {"type": "string", "enum": taxonomy.ids("topics")},
                        },
                        {
                            "name": "page",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "default": 1},
                        },
                    ],
                    "responses": {
                        "200": _response("One page of cases", "#/components/schemas/CaseList"),
                        "400": _response("An unknown status or topic, or a bad page number", ERROR),
                        "401": unauthorised,
                    },
                }
            },
            "/cases/{reference}": {
                "get": {
                    "summary": "One case, the same object as `mincorr show --json`",
                    "operationId": "getCase",
                    "parameters": [
                        {
                            "name": "reference",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                            "description": "The case reference, e.g. MC238555 (any case of letters)",
                        }
                    ],
                    "responses": {
                        "200": _response("The case", "#/components/schemas/Case"),
                        "401": unauthorised,
                        "404": _response("No case has this reference", ERROR),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "operationId": "openapi",
                    "security": [],
                    "responses": {"200": {"description": "The OpenAPI 3.1 document"}},
                }
            },
        },
        "components": {
            "securitySchemes": {"bearerToken": {"type": "http", "scheme": "bearer"}},
            "schemas": _schemas(taxonomy),
        },
    }
