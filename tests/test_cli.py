"""The CLI: every command has help and is in the README; bad input is refused and stores nothing."""

from pathlib import Path

import pytest

from app import store
from app.cli import cli
from app.config import PROJECT_ROOT
from tests.conftest import SEED_LETTER, json_lines


def all_commands(group=cli, prefix=""):
    for name, command in group.commands.items():
        yield f"{prefix}{name}", command
        if hasattr(command, "commands"):
            yield from all_commands(command, f"{prefix}{name} ")


@pytest.mark.parametrize(("name", "command"), list(all_commands()))
def test_every_command_has_help_and_is_in_the_readme(name, command):
    assert command.help, f"mincorr {name} has no help text"
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"mincorr {name}" in readme, f"README does not document `mincorr {name}`"


def test_init_loads_reference_data(run_cli, settings):
    result = run_cli("init")
    assert result.exit_code == 0
    assert "Reference data:" in result.output
    assert store.own_department(store.open_db(settings.db_path))["code"] == "MOJ"


def test_import_before_init_says_what_to_do(run_cli):
    result = run_cli("import", str(SEED_LETTER))
    assert result.exit_code != 0
    assert "mincorr init" in result.output


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("notapdf.pdf", b"Dear Minister, this is a text file called .pdf", "not a PDF"),
        ("notazip.docx", b"Dear Minister, this is a text file called .docx", "not a Word document"),
        ("letter.rtf", b"{\\rtf1 Dear Minister}", "unsupported file type (.rtf)"),
    ],
)
def test_bad_input_gets_a_one_line_reason_and_stores_nothing(
    db, run_cli, settings, tmp_path, name, content, reason
):
    path = tmp_path / name
    path.write_bytes(content)
    result = run_cli("import", str(path), "--json")
    assert result.exit_code == 1
    [refused] = json_lines(result.output)
    assert refused["status"] == "refused"
    assert reason in refused["reason"]
    assert "\n" not in refused["reason"]
    check = store.open_db(settings.db_path)
    assert check["letters"].count == 0
    assert check["originals"].count == 0
    assert check["cases"].count == 0


def test_a_folder_imports_good_files_and_refuses_bad_ones(db, run_cli, tmp_path):
    folder = tmp_path / "post"
    folder.mkdir()
    (folder / "a.txt").write_text(SEED_LETTER.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "b.pdf").write_bytes(b"not a pdf")
    (folder / ".hidden.txt").write_text("ignored", encoding="utf-8")
    results = json_lines(run_cli("import", str(folder), "--received", "2009-04-16", "--json").output)
    assert [(Path(r["file"]).name, r["status"]) for r in results] == [
        ("a.txt", "created"),
        ("b.pdf", "refused"),
    ]


def test_without_a_model_letters_are_imported_for_a_person_to_triage(db, run_cli):
    [result] = json_lines(run_cli("import", str(SEED_LETTER), "--received", "2009-04-16", "--json").output)
    assert result["status"] == "created"
    assert result["case_status"] == "triage"
    [case] = json_lines(run_cli("show", result["reference"], "--json").output)
    assert case["topic"] is None
    assert case["bill"]["id"] == "coroners-and-justice-bill-2008-09"


def test_show_unknown_reference(db, run_cli):
    result = run_cli("show", "MC999999")
    assert result.exit_code != 0
    assert "no case with reference MC999999" in result.output


def test_bad_received_date_is_refused(db, run_cli):
    result = run_cli("import", str(SEED_LETTER), "--received", "16/04/2009")
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_viewing_a_case_is_audited(trained_db, run_cli, settings):
    [result] = json_lines(run_cli("import", str(SEED_LETTER), "--received", "2009-04-16", "--json").output)
    run_cli("show", result["reference"])
    case = store.get_case_by_reference(trained_db, result["reference"])
    actions = [e["action"] for e in store.events_for_case(trained_db, case["id"])]
    assert actions == ["case opened", "draft created", "case viewed"]


def test_cases_lists_every_case(trained_db, run_cli):
    run_cli("import", str(SEED_LETTER), "--received", "2009-04-16")
    listing = run_cli("cases").output
    assert "Dr Caroline Lucas MEP" in listing
    assert "2009-05-15" in listing
    [case] = json_lines(run_cli("cases", "--json").output)
    assert set(case) >= {
        "reference",
        "case_type",
        "received",
        "due",
        "draft_due",
        "correspondent",
        "topic",
        "status",
    }


def test_user_add_reads_the_password_from_standard_input(db, run_cli):
    result = run_cli("user", "add", "officer1", "--role", "correspondence-officer", input="a-long-password\n")
    assert result.exit_code == 0
    user = store.get_user_by_username(db, "officer1")
    assert user["role"] == "correspondence-officer"
    assert "a-long-password" not in user["password_hash"]
    short = run_cli("user", "add", "officer2", "--role", "drafter", input="short\n")
    assert short.exit_code != 0
    assert "at least 10 characters" in short.output


def test_an_import_that_crashes_part_way_can_be_run_again(trained_db, run_cli, tmp_path, monkeypatch):
    import app.drafting.for_case as drafting

    folder = tmp_path / "post"
    folder.mkdir()
    seed = SEED_LETTER.read_text(encoding="utf-8")
    for number in range(3):
        (folder / f"letter{number}.txt").write_text(seed + f"\nPS {number}\n", encoding="utf-8")
    real_compose = drafting.compose_draft
    calls = {"n": 0}

    def crash_on_second_letter(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("power cut")
        return real_compose(*args, **kwargs)

    monkeypatch.setattr(drafting, "compose_draft", crash_on_second_letter)
    with pytest.raises(RuntimeError, match="power cut"):
        run_cli("import", str(folder), "--received", "2009-04-16")
    # The first letter is stored whole; nothing of the second is left half-stored.
    assert trained_db["cases"].count == 1
    assert trained_db["letters"].count == 1
    assert trained_db["drafts"].count == 1
    monkeypatch.setattr(drafting, "compose_draft", real_compose)
    results = json_lines(run_cli("import", str(folder), "--received", "2009-04-16", "--json").output)
    assert [r["status"] for r in results] == ["duplicate", "created", "created"]
    assert trained_db["cases"].count == 3


def test_listing_cases_as_json_audits_each_case_shown(trained_db, run_cli):
    run_cli("import", str(SEED_LETTER), "--received", "2009-04-16")
    run_cli("cases", "--json")
    case = store.list_cases(trained_db)[0]
    assert [e["action"] for e in store.events_for_case(trained_db, case["id"])][-1] == "case viewed"
