"""support: the customer-support desk of Ingram Micro Sweden and Norway."""
import os

from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Build the support app; tests hand in a dict, production reads instance/ and the environment."""
    app = Flask(__name__, instance_relative_config=True, template_folder="../templates")
    app.config.from_object("support.config.Defaults")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)   # instance/config.py
        app.config.from_prefixed_env("SUPPORT")            # SUPPORT_SECRET_KEY=...
    else:
        app.config.update(test_config)
    _embedded_defaults(app)

    from . import agent, api, cli, extensions, faq, hours_text, i18n, logging_setup, mail, markets, outbox
    from . import notifications, privacy, production, search, tickets, web
    production.init_app(app)      # refuse a missing SECRET_KEY; cookie flags, engine options, ProxyFix
    logging_setup.init_app(app)   # structured logs, X-Request-ID
    app.extensions["markets"] = markets.build_markets(app.config["MARKET_OVERRIDES"])
    extensions.init_app(app)
    i18n.init_app(app)
    hours_text.init_app(app)      # opening status and badge in templates
    search.init_app(app)          # empty in-memory indexes, one per language
    faq.init_app(app)             # load + validate content/faq.yaml, feed search
    tickets.init_app(app)
    outbox.init_app(app)          # flask worker: the registered jobs, then the outbox
    mail.init_app(app)            # flask mail ingest|fetch|send; fetching is a worker job
    privacy.init_app(app)         # flask data erase|export|purge; retention is a daily worker job
    agent.init_app(app)
    notifications.init_app(app)   # agents told of what matters: in the app and by mail; two worker jobs
    web.init_app(app)             # `/`, /healthz, error pages, security headers
    app.register_blueprint(api.bp)
    app.register_blueprint(faq.bp)
    app.register_blueprint(tickets.bp)
    app.register_blueprint(agent.bp)
    cli.init_app(app)
    if test_config is None:
        production.settle(app)    # indexes built, start-up objects out of the garbage collector's rounds
    return app


def _embedded_defaults(app: Flask) -> None:
    """Fill what an embedded run needs: SQLite and uploads in the instance folder."""
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "support.db")
    if not app.config["UPLOAD_DIR"]:
        app.config["UPLOAD_DIR"] = os.path.join(app.instance_path, "uploads")
