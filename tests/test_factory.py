"""The factory: configuration layers, `/` by Accept-Language, health check, error pages."""
import pytest

from support import create_app


def test_environment_layer_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("SUPPORT_SECRET_KEY", "from-env")
    monkeypatch.setenv("SUPPORT_SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path}/x.db")
    monkeypatch.setenv("SUPPORT_MARKET_OVERRIDES", '{"no": {"support_email": "kundeservice@example.no"}}')
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.extensions["markets"]["no"].support_email == "kundeservice@example.no"


def test_test_config_replaces_instance_and_environment(monkeypatch, app_config):
    monkeypatch.setenv("SUPPORT_SECRET_KEY", "from-env")
    assert create_app(app_config).config["SECRET_KEY"] == "test-secret"


@pytest.mark.parametrize("header, expected, reason", [
    ("sv-SE,sv;q=0.9,en;q=0.8", "/sv/", "Swedish browser"),
    ("nb-NO,nb;q=0.9", "/nb/", "Norwegian Bokmål browser"),
    ("no;q=1.0,en;q=0.5", "/nb/", "generic Norwegian maps to Bokmål"),
    ("nn-NO", "/nb/", "Nynorsk readers get Bokmål, the closest we have"),
    ("de-DE,en;q=0.7", "/en/", "first supported language wins over an unsupported first choice"),
    ("fr-FR", "/en/", "nothing supported: English"),
    ("", "/en/", "no header: English"),
])
def test_root_redirects_by_accept_language(client, header, expected, reason):
    response = client.get("/", headers={"Accept-Language": header})
    assert response.status_code == 302, reason
    assert response.headers["Location"].endswith(expected), reason


def test_healthz_answers_when_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_healthz_503_when_database_is_gone(app_config, tmp_path):
    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite"})
    assert app.test_client().get("/healthz").status_code == 503


@pytest.mark.parametrize("lang, text", [("sv", "Vi hittade inte sidan"), ("nb", "Vi fant ikke siden"),
                                        ("en", "We could not find that page")])
def test_404_in_the_visitors_language(client, lang, text):
    response = client.get(f"/{lang}/faq/no-such-entry")
    assert response.status_code == 404
    assert text in response.get_data(as_text=True)


def test_500_is_a_page_not_a_traceback(app_config):
    app = create_app({**app_config, "TESTING": False, "PROPAGATE_EXCEPTIONS": False})

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom", headers={"Accept-Language": "sv"})
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and "secret detail" not in body and "Traceback" not in body
