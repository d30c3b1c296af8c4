"""In a pipe, crmtpl prints plain lines: no padding, no wrapping, no box drawing, no
trailing blank line (as ``ruff rule --all`` and ``gh ... | cat`` do)."""

from __future__ import annotations

from tests.e2e.sandbox import Sandbox, cli_env, crmtpl

BOX = set("─│┏┓┗┛┃━┡┩╇┳┻└┘┌┐├┤┼╭╮╰╯")


def narrow() -> dict[str, str]:
    """A 60-column environment (computed per test: the session sandbox must run first)."""
    return cli_env(COLUMNS="60")


def assert_plain(text: str) -> None:
    assert text.endswith("\n") and not text.endswith("\n\n"), repr(text[-40:])
    for line in text.splitlines():
        assert line == line.rstrip(), f"trailing spaces: {line!r}"
    assert not BOX & set(text)


def test_a_lookup_table_is_plain_in_a_pipe(sandbox: Sandbox) -> None:
    done = crmtpl("run", "lookup", "examples/sandbox.xml", "--phone", "5503302", env=narrow())
    assert done.returncode == 0, done.stderr
    assert_plain(done.stdout)
    assert "Remark             Key account; prefers calls in the morning." in done.stdout


def test_run_users_is_tab_separated_in_a_pipe(sandbox: Sandbox) -> None:
    done = crmtpl("run", "users", "examples/sandbox.xml", env=narrow())
    assert done.returncode == 0, done.stderr
    assert_plain(done.stdout)
    lines = done.stdout.splitlines()
    assert lines[0] == "UserUniqueId\tFirstName\tLastName\tEmail"
    assert "11\tAlice\tLee\talice@example.com" in lines


def test_rules_are_one_unwrapped_line_each_in_a_pipe() -> None:
    done = crmtpl("rules", env=narrow())
    assert done.returncode == 0, done.stderr
    assert_plain(done.stdout)
    rows = done.stdout.splitlines()[:-1]
    assert all(len(row.split("\t")) == 4 for row in rows)
    assert any(len(row) > 80 for row in rows)
    assert "CT101\txml-not-well-formed\terror\tThe file is not well-formed XML" in rows


def test_render_is_plain_in_a_pipe() -> None:
    done = crmtpl("render", "call-journal", "examples/sandbox.xml", env=narrow())
    assert done.returncode == 0, done.stderr
    assert_plain(done.stdout)
    assert done.stdout.startswith("### CallJournal › ")
