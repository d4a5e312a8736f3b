"""Application-wide commands: `flask translate ...` and `flask demo seed`."""
import subprocess
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .markets import LANGUAGES

TRANSLATIONS = Path(__file__).parent / "translations"
translate = AppGroup("translate", help="Extract, update and compile the UI text catalogues.")
demo = AppGroup("demo", help="Demo data for the embedded run.")


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True)


def _domains() -> list[str]:
    return current_app.config["BABEL_DOMAIN"].split(";")


@translate.command("compile")
def translate_compile():
    """Compile every domain's .po files to .mo."""
    _pybabel("compile", "-d", str(TRANSLATIONS), "-D", " ".join(_domains()))


@translate.command("update")
@click.argument("domain")
@click.argument("paths", nargs=-1, required=True)
def translate_update(domain, paths):
    """Extract the strings of PATHS into DOMAIN's catalogues (sv, nb, en)."""
    pot = TRANSLATIONS / f"{domain}.pot"
    _pybabel("extract", "-F", "pyproject.toml", "-k", "_l", "-o", str(pot), *paths)
    for lang in LANGUAGES:
        exists = (TRANSLATIONS / lang / "LC_MESSAGES" / f"{domain}.po").exists()
        _pybabel("update" if exists else "init", "-i", str(pot), "-d", str(TRANSLATIONS), "-D", domain, "-l", lang)
    pot.unlink()


@demo.command("seed")
def demo_seed():
    """Create the demo agent with a fresh password (printed) and, once, a few demo tickets."""
    from .demo import seed
    from .agent.accounts import generate_password
    email, password, second = seed(password=generate_password())
    click.echo(f"Demo agent login: {email} / {password}  (http://127.0.0.1:5000/agent/login)")
    if second:                             # admins must use a second factor (TWO_FACTOR_REQUIRED)
        key, codes = second
        click.echo(f"Second step: add the key {key} to an authenticator app, or use a recovery code "
                   f"(each works once): {', '.join(codes[:3])}")


def init_app(app: Flask) -> None:
    """Register the command groups."""
    app.cli.add_command(translate)
    app.cli.add_command(demo)
