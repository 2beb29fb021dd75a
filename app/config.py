"""Settings: where the database, corpus and templates are, and the rules a department may change.

Each setting has a default, may be set by an environment variable, and (for the web app) by
the Flask config. Nothing here reads a file from the network or a home directory.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"


@dataclass(frozen=True)
class Settings:
    """Where mincorr finds its state and reference material, and the department's rules."""

    db_path: Path = field(default_factory=lambda: DEFAULT_INSTANCE / "mincorr.db")
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    templates_dir: Path = PROJECT_ROOT / "letter_templates"
    # A department's own templates: a file here overrides the shipped one of the same name.
    override_templates_dir: Path | None = None
    # England and Wales by default; SCT or NIR for units that follow those bank holidays.
    holiday_region: str = "ENG"
    # First number given to a new case type's references (MC100001, TO100001 ...).
    reference_start: int = 100001
    # Fixed date for replaying historical post and for demos; None means the real date.
    today_override: dt.date | None = None
    # Where deadline digests (email files) are written; None means `outbox/` beside the database.
    outbox_dir: Path | None = None

    def today(self) -> dt.date:
        """Return the working date: the override when replaying history, else today."""
        return self.today_override or dt.date.today()


def settings_from_env(db_path: str | Path | None = None) -> Settings:
    """Build settings from MINCORR_* environment variables, with `db_path` taking precedence."""
    env = os.environ
    path = db_path or env.get("MINCORR_DB")
    today = env.get("MINCORR_TODAY")
    override = env.get("MINCORR_TEMPLATES")
    outbox = env.get("MINCORR_OUTBOX")
    return Settings(
        db_path=Path(path) if path else DEFAULT_INSTANCE / "mincorr.db",
        corpus_dir=Path(env.get("MINCORR_CORPUS", PROJECT_ROOT / "corpus")),
        override_templates_dir=Path(override) if override else None,
        holiday_region=env.get("MINCORR_HOLIDAY_REGION", "ENG"),
        reference_start=int(env.get("MINCORR_REFERENCE_START", "100001")),
        today_override=dt.date.fromisoformat(today) if today else None,
        outbox_dir=Path(outbox) if outbox else None,
    )
