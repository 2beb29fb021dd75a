"""Members pages (being built)."""

from flask import Blueprint

bp = Blueprint("members", __name__)
