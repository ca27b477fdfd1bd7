"""Every setting and every CLI command is documented for operators."""

from __future__ import annotations

from pathlib import Path

from precx.cli import app as cli
from precx.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_in_the_operating_guide_and_the_readme() -> None:
    operating = (ROOT / "docs" / "operating.md").read_text()
    readme = (ROOT / "README.md").read_text()
    for name, field in Settings.model_fields.items():
        env = f"PRECX_{name.upper()}"
        assert env in operating, f"{env} is missing from docs/operating.md"
        assert env in readme, f"{env} is missing from README.md"
        assert field.description, f"setting {name} has no description"


def test_every_cli_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()

    def name(command) -> str:  # type: ignore[no-untyped-def]
        return command.name or command.callback.__name__.replace("_", "-")

    commands = [f"precx {name(c)}" for c in cli.registered_commands]
    for group in cli.registered_groups:
        commands += [
            f"precx {group.name} {name(c)}" for c in group.typer_instance.registered_commands
        ]
    assert len(commands) >= 10
    for command in commands:
        assert command in readme, f"`{command}` is missing from README.md"


def test_the_quick_start_is_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
