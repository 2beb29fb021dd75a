"""mincorr: correspondence triage and drafting for UK government departments."""

__version__ = "0.1.0"
