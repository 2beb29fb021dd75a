"""Admin pages (being built)."""

from flask import Blueprint

bp = Blueprint("admin", __name__)
