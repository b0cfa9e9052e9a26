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


def test_readme_starts_with_the_two_commands():
    head = (ROOT / "README.md").read_text(encoding="utf-8")[:1200]
    assert "python3 tasks.py report" in head and "python3 tasks.py test" in head
    assert "python3 tasks.py test" in (ROOT / ".ci" / "run").read_text()


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    for name, command in cli.commands.items():
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help and ("Example" in command.help or name == "bench"), name
