"""The README documents every table column and is in step with kit/schema.py; every CLI command has help."""
import subprocess
import sys

from click.testing import CliRunner

from kit.cli import cli
from repo import ROOT
from kit.schema import TABLES


def test_every_column_is_in_the_readme_dictionary():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [f"{table}.{col.name}" for table, cols in TABLES.items() for col in cols
               if f"| `{col.name}` |" not in readme.split(f"### `{table}.csv`", 1)[-1]]
    assert not missing, f"add these columns to the README (python tools/update_readme.py): {missing}"


def test_readme_dictionary_is_generated_from_the_schema():
    check = subprocess.run([sys.executable, str(ROOT / "tools" / "update_readme.py"), "--check"])
    assert check.returncode == 0, "run: python tools/update_readme.py"


def test_readme_starts_with_the_three_commands_and_the_fetch_step():
    head = (ROOT / "README.md").read_text(encoding="utf-8")[:1200]
    commands = ["python3 tasks.py report", "python3 tasks.py test", "python3 tasks.py lab"]
    assert all(c in head for c in commands), head
    assert [head.index(c) for c in commands] == sorted(head.index(c) for c in commands), "report, test, lab in order"
    assert "kit fetch links.txt --into" in head and "--user-agent" in head
    assert "python3 tasks.py test" in (ROOT / ".ci" / "run").read_text()
    tasks = (ROOT / "tasks.py").read_text(encoding="utf-8")
    assert '"lab": lab' in tasks and all(c in tasks for c in commands)


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    for name, command in cli.commands.items():
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help and ("Example" in command.help or name == "bench"), name
