"""The Alembic migrations build exactly the schema the models declare, on SQLite and on PostgreSQL."""
import uuid
import warnings

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from support import create_app
from support.extensions import db
from support.tickets import text_index


def _empty_database(database_uri, tmp_path):
    """A fresh, empty database next to the test's own: a file for SQLite, a new database on the cluster."""
    if database_uri.startswith("sqlite"):
        return f"sqlite:///{tmp_path}/migrated.db", None
    name = f"mig_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(database_uri, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return database_uri.rsplit("/", 1)[0] + "/" + name, (admin, name)


def _index_names() -> set[str]:
    """Index names straight from the catalogue (reflection skips SQLite's expression indexes)."""
    sql = ("SELECT name FROM sqlite_master WHERE type = 'index'" if db.engine.dialect.name == "sqlite"
           else "SELECT indexname FROM pg_indexes")
    with db.engine.connect() as conn:
        return set(conn.scalars(sa.text(sql)))


def test_upgrade_matches_models_and_downgrade_empties(app_config, database_uri, tmp_path):
    url, cleanup = _empty_database(database_uri, tmp_path)
    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            with warnings.catch_warnings():       # SQLite cannot reflect expression indexes: checked below
                warnings.filterwarnings("ignore", "(autogenerate skipping|Skipped unsupported reflection of) .*expression")
                # the full-text tables are not models (an FTS5 table cannot be one): left out as env.py leaves them out
                context = MigrationContext.configure(conn, opts={"include_name": text_index.include_name})
                diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        assert {"ix_ticket_email_lower", "ix_ticket_company_lower"} <= _index_names()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert text_index.PG_TABLE in tables or text_index.FTS_TABLE in tables
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
    if cleanup:
        admin, name = cleanup
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{name}"'))
        admin.dispose()
