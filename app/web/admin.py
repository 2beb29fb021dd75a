"""Admin pages: users, the taxonomy, lines to take, reply templates, ministers, bills, targets.

Who may use them:
- admin: every page and every change. These pages decide who can sign in, what replies say and
  who signs them, so they are for the unit's admins only.
- unit-manager: may read the targets and bank-holiday region page (they answer for timeliness and
  need to know what cases are measured against), and the admin index, which links them to it;
  they may not change the targets or the region, and no other admin page is open to them.
- every other role: refused (403).

Every change is recorded in the event log with ids and statuses only (no names, no text); the
logic lives in app/admin.py and app/department_settings.py, these views only read forms and
show pages.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for

from app import admin, store
from app.department_settings import (
    HOLIDAY_REGIONS,
    TARGET_FIELDS,
    case_type_target,
    holiday_region,
    region_change,
    save_department_settings,
    target_changes,
)
from app.store.admin import count_users, get_line, list_users
from app.taxonomy import load_taxonomy
from app.users import ROLES
from app.web.auth import actor, roles_required
from app.workflow import OPEN_STAGES

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 100
# Unit managers read the targets (and the index that leads there); only admins change anything.
READERS = ("unit-manager",)


def _settings():
    return current_app.config["MINCORR_SETTINGS"]


def _taxonomy():
    return load_taxonomy(_settings().corpus_dir / "taxonomy.yaml")


def _today():
    return _settings().today()


def _user_or_404(user_id: int) -> dict:
    user = store.get_user(g.db, user_id)
    if user is None:
        abort(404)
    return user


# --- the index ---


@bp.route("")
@roles_required(*READERS)
def index():
    """Links to each admin section (admins); unit managers see the targets page only."""
    return render_template("admin/index.html", is_admin=g.user["role"] == "admin")


# --- users ---


@bp.route("/users", methods=["GET", "POST"])
@roles_required("admin")
def users():
    """Admins: every user with their role and whether they can sign in; add a user."""
    errors, form = {}, {}
    if request.method == "POST":
        form = {key: request.form.get(key, "") for key in ("username", "role")}
        try:
            admin.add_account(
                g.db,
                form["username"],
                form["role"],
                request.form.get("password", ""),
                request.form.get("password_again", ""),
                actor=actor(),
            )
        except admin.AdminError as error:
            errors[error.field or "username"] = str(error)
        else:
            flash(f"User {form['username'].strip()} added: they can sign in now")
            return redirect(url_for("admin.users"))
    page = max(request.args.get("page", 1, type=int), 1)
    return render_template(
        "admin/users.html",
        users=list_users(g.db, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE),
        page=page,
        pages=max(1, -(-count_users(g.db) // PAGE_SIZE)),
        roles=ROLES,
        errors=errors,
        form=form,
    ), (400 if errors else 200)


@bp.route("/users/<int:user_id>")
@roles_required("admin")
def user(user_id: int):
    """Admins: one user, to change their role, let them sign in or not, or give a new password."""
    return render_template("admin/user.html", user=_user_or_404(user_id), roles=ROLES)


def _user_change(user_id: int, change, done: str):
    """Make a change to a user and go back to their page, saying what happened or what went wrong."""
    target = _user_or_404(user_id)
    try:
        change(target)
    except admin.AdminError as error:
        flash(str(error), "error")
    else:
        flash(done.format(username=target["username"]))
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@roles_required("admin")
def user_role(user_id: int):
    """Admins: give a user another role (not their own)."""
    role = request.form.get("role", "")
    return _user_change(
        user_id,
        lambda target: admin.change_role(g.db, target, role, by=g.user, actor=actor()),
        "{username} is now " + role.replace("-", " "),
    )


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@roles_required("admin")
def user_active(user_id: int):
    """Admins: deactivate a user (they can no longer sign in) or reactivate them; not themselves."""
    active = request.form.get("active") == "1"
    return _user_change(
        user_id,
        lambda target: admin.set_active(g.db, target, active, by=g.user, actor=actor()),
        "{username} can sign in again" if active else "{username} can no longer sign in",
    )


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@roles_required("admin")
def user_password(user_id: int):
    """Admins: give an active user a new password (typed twice)."""
    return _user_change(
        user_id,
        lambda target: admin.reset_password(
            g.db,
            target,
            request.form.get("password", ""),
            request.form.get("password_again", ""),
            actor=actor(),
        ),
        "{username} has a new password",
    )


# --- taxonomy ---


@bp.route("/taxonomy")
@roles_required("admin")
def taxonomy():
    """Admins: the topics, concerns, flags and case types, read-only (they change with a retrain)."""
    return render_template("admin/taxonomy.html", taxonomy=_taxonomy(), settings=_settings())


# --- lines to take ---


@bp.route("/lines")
@roles_required("admin")
def lines():
    """Admins: every line to take with its versions and their status."""
    stale = store.cases_citing_stale_lines(g.db, today=_settings().today().isoformat(), stages=OPEN_STAGES)
    return render_template(
        "admin/lines.html", lines=store.lines_to_take(g.db), stale=stale, taxonomy=_taxonomy()
    )


def _line_or_404(line_id: str) -> dict:
    line = get_line(g.db, line_id)
    if line is None:
        abort(404)
    return line


@bp.route("/lines/<line_id>", methods=["GET", "POST"])
@roles_required("admin")
def line(line_id: str):
    """Admins: one line's versions, to approve or expire them, and a form for a new draft version."""
    current = _line_or_404(line_id)
    errors = {}
    if request.method == "POST":
        try:
            version = admin.new_line_version(
                g.db,
                line_id,
                request.form.get("paragraphs", ""),
                request.form.get("effective_from", ""),
                today=_today(),
                actor=actor(),
            )
        except admin.AdminError as error:
            errors[error.field or "paragraphs"] = str(error)
        else:
            flash(f"Version {version} saved as a draft: approve it to use it in replies")
            return redirect(url_for("admin.line", line_id=line_id))
    latest = current["versions"][-1]["paragraphs"] if current["versions"] else []
    return render_template(
        "admin/line.html",
        line=current,
        taxonomy=_taxonomy(),
        errors=errors,
        paragraphs=request.form.get("paragraphs", "\n\n".join(latest)),
        effective_from=request.form.get("effective_from", ""),
    ), (400 if errors else 200)


@bp.route("/lines/<line_id>/versions/<int:version>/<any(approve, expire):change>", methods=["POST"])
@roles_required("admin")
def line_version(line_id: str, version: int, change: str):
    """Admins: approve a draft version (it is used from its effective date) or expire a version."""
    _line_or_404(line_id)
    try:
        if change == "approve":
            admin.approve_line_version(
                g.db, line_id, version, approver=g.user["username"], today=_today(), actor=actor()
            )
        else:
            admin.expire_line_version(g.db, line_id, version, today=_today(), actor=actor())
    except admin.AdminError as error:
        flash(str(error), "error")
    else:
        flash(f"Version {version} {'approved' if change == 'approve' else 'expired'}")
    return redirect(url_for("admin.line", line_id=line_id))


# --- reply templates ---


@bp.route("/templates")
@roles_required("admin")
def templates():
    """Admins: the reply templates, shipped and the department's own."""
    return render_template(
        "admin/templates.html", templates=admin.list_templates(_settings()), settings=_settings()
    )


def _template_or_404(name: str) -> admin.TemplateFile:
    template = admin.find_template(_settings(), name)
    if template is None:
        abort(404)
    return template


def _preview(name: str, reference: str, source: str | None) -> tuple[admin.Preview | None, str | None]:
    """The preview of template `name` for the case `reference`, or why there is none."""
    if not reference:
        return None, None
    case = store.get_case_by_reference(g.db, reference)
    if case is None:
        return None, f"There is no case {reference}"
    preview = admin.preview_reply(
        g.db, _settings(), case, name, taxonomy=_taxonomy(), source=source, actor=actor()
    )
    return preview, None


@bp.route("/templates/<name>", methods=["GET", "POST"])
@roles_required("admin")
def template(name: str):
    """Admins: one template, previewed for a case; edited and saved if the override folder is set.

    The form's "Preview" shows the edited text without saving it; "Save" checks the Jinja syntax
    first and saves nothing if it is wrong, showing the line of the mistake.
    """
    found = _template_or_404(name)
    settings = _settings()
    reference = request.values.get("reference", "").strip().upper()
    source = request.form.get("source") if request.method == "POST" else None
    errors: dict[str, str] = {}
    if source is not None:
        try:
            if request.form.get("action") == "save":
                admin.save_template(settings, name, source, db=g.db, actor=actor())
                flash(f"{name} saved in {settings.override_templates_dir}: new drafts use it now")
                return redirect(url_for("admin.template", name=name, reference=reference or None))
            admin.check_template(settings, name, source)
        except admin.AdminError as error:
            errors["source"] = str(error)
    preview, reference_error = (None, None) if errors else _preview(name, reference, source)
    if reference_error:
        errors["reference"] = reference_error
    return render_template(
        "admin/template.html",
        template=found,
        source=source if source is not None else found.path.read_text(encoding="utf-8"),
        edited=source is not None,
        editable=settings.override_templates_dir is not None,
        settings=settings,
        reference=reference,
        preview=preview,
        errors=errors,
    ), (400 if errors else 200)


@bp.route("/templates/<name>/remove", methods=["POST"])
@roles_required("admin")
def template_remove(name: str):
    """Admins: delete the department's copy of a shipped template, going back to the shipped one."""
    _template_or_404(name)
    try:
        admin.remove_override(_settings(), name, db=g.db, actor=actor())
    except admin.AdminError as error:
        flash(str(error), "error")
    else:
        flash(f"The shipped {name} is used again")
    return redirect(url_for("admin.template", name=name))


# --- ministers and bills ---


@bp.route("/ministers")
@roles_required("admin")
def ministers():
    """Admins: ministers with their appointments and topics; end an appointment or add one."""
    today = _today().isoformat()
    own = store.own_department(g.db)
    ministers = store.ministers_with_appointments(g.db)
    # The department's own posts first, then the others that letters are addressed to.
    posts = sorted(
        ((m, a) for m in ministers for a in m["appointments"]),
        key=lambda pair: (
            pair[1]["department"] != (own or {}).get("code"),
            pair[1]["department"],
            pair[0]["name"],
        ),
    )
    return render_template(
        "admin/ministers.html",
        ministers=ministers,
        current=[(m, a) for m, a in posts if not a["end"] or a["end"] >= today],
        earlier=[(m, a) for m, a in posts if a["end"] and a["end"] < today],
        today=today,
        departments=store.departments(g.db),
        own=own,
        taxonomy=_taxonomy(),
    )


@bp.route("/ministers/appointments", methods=["POST"])
@roles_required("admin")
def appointment_add():
    """Admins: record a minister's new post (role, topics, first day)."""
    try:
        admin.add_minister_appointment(
            g.db,
            minister_id=request.form.get("minister_id", ""),
            department=request.form.get("department", ""),
            role=request.form.get("role", ""),
            topics=request.form.getlist("topics"),
            responsibilities=request.form.get("responsibilities", ""),
            start=request.form.get("start", ""),
            lead=request.form.get("lead") == "1",
            taxonomy=_taxonomy(),
            actor=actor(),
        )
    except admin.AdminError as error:
        flash(str(error), "error")
    else:
        flash("Appointment added")
    return redirect(url_for("admin.ministers"))


@bp.route("/ministers/appointments/<int:appointment_id>/end", methods=["POST"])
@roles_required("admin")
def appointment_end(appointment_id: int):
    """Admins: record the last day of an appointment."""
    try:
        admin.end_minister_appointment(g.db, appointment_id, request.form.get("end", ""), actor=actor())
    except admin.AdminError as error:
        flash(str(error), "error")
    else:
        flash("Appointment ended")
    return redirect(url_for("admin.ministers"))


@bp.route("/bills")
@roles_required("admin")
def bills():
    """Admins: bills with their stage and clauses with their status; record changes to either."""
    return render_template(
        "admin/bills.html", bills=store.bills_with_clauses(g.db), statuses=admin.CLAUSE_STATUSES
    )


@bp.route("/bills/<bill_id>/stage", methods=["POST"])
@roles_required("admin")
def bill_stage(bill_id: str):
    """Admins: record the stage a bill has reached."""
    try:
        admin.record_bill_stage(g.db, bill_id, request.form.get("stage", ""), actor=actor())
    except admin.AdminError as error:
        flash(str(error), "error")
    else:
        flash("Stage saved")
    return redirect(url_for("admin.bills", _anchor=f"bill-{bill_id}"))


@bp.route("/bills/<bill_id>/clauses/<number>/status", methods=["POST"])
@roles_required("admin")
def clause_status(bill_id: str, number: str):
    """Admins: record that a clause was withdrawn, amended ... on a date."""
    try:
        admin.record_clause_status(
            g.db,
            bill_id,
            number,
            request.form.get("status", ""),
            request.form.get("status_date", ""),
            request.form.get("note", ""),
            actor=actor(),
        )
    except admin.AdminError as error:
        flash(str(error), "error")
    else:
        flash(f"Status of clause {number} saved")
    return redirect(url_for("admin.bills", _anchor=f"bill-{bill_id}"))


# --- targets and the bank-holiday region ---


def _targets_page(errors: dict[str, str], status: int = 200):
    taxonomy = _taxonomy()
    return render_template(
        "admin/targets.html",
        case_types=[(c, case_type_target(g.db, c)) for c in taxonomy.case_types],
        fields=TARGET_FIELDS,
        changes=target_changes(g.db),
        region=holiday_region(g.db, _settings()),
        region_change=region_change(g.db),
        regions=HOLIDAY_REGIONS,
        can_change=g.user["role"] == "admin",
        errors=errors,
    ), status


@bp.route("/targets")
@roles_required(*READERS)
def targets():
    """Admins and unit managers: the working-day targets per case type and the bank-holiday region."""
    return _targets_page({})


@bp.route("/targets", methods=["POST"])
@roles_required("admin")
def targets_save():
    """Admins: save the targets (blank for the taxonomy's) and the region; they apply to new cases."""
    case_types = _taxonomy().case_types
    errors = save_department_settings(
        g.db,
        case_types,
        {
            c["id"]: {field: request.form.get(f"{field}-{c['id']}", "") for field in TARGET_FIELDS}
            for c in case_types
        },
        request.form.get("region", ""),
        actor=actor(),
        now=store.utc_now(),
    )
    if errors:
        return _targets_page(errors, 400)
    flash("Targets and region saved: they apply to cases opened from now on")
    return redirect(url_for("admin.targets"))
