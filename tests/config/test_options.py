"""Declared settings: parsing, errors that name the culprit, and the generated reference."""

from pathlib import Path

import pytest

from dpghub.config import options


def test_defaults_and_environment(monkeypatch):
    monkeypatch.delenv("DPGHUB_CONFIG", raising=False)
    monkeypatch.setenv("DPGHUB_PORT", "9001")
    monkeypatch.setenv("DPGHUB_ALLOWED_HOSTS", "a.example, b.example")
    monkeypatch.setenv("DPGHUB_DEBUG", "yes")
    values = options.load()
    assert (values["PORT"], values["ALLOWED_HOSTS"], values["DEBUG"]) == (9001, ["a.example", "b.example"], True)
    assert values["JOB_BACKEND"] == "embedded"


def test_bad_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("DPGHUB_PORT", "eighty")
    with pytest.raises(options.ConfigError, match="DPGHUB_PORT"):
        options.load()
    monkeypatch.setenv("DPGHUB_PORT", "80")
    monkeypatch.setenv("DPGHUB_DEBUG", "maybe")
    with pytest.raises(options.ConfigError, match="DPGHUB_DEBUG: expected a boolean"):
        options.load()


def test_toml_file_and_its_errors(tmp_path, monkeypatch):
    config = tmp_path / "dpghub.toml"
    config.write_text('port = 8123\nsecure_cookies = true\n')
    monkeypatch.setenv("DPGHUB_CONFIG", str(config))
    monkeypatch.delenv("DPGHUB_PORT", raising=False)
    monkeypatch.delenv("DPGHUB_SECURE_COOKIES", raising=False)
    values = options.load()
    assert (values["PORT"], values["SECURE_COOKIES"]) == (8123, True)
    config.write_text("prot = 1\n")
    with pytest.raises(options.ConfigError, match="unknown setting\\(s\\) prot"):
        options.load()
    config.write_text("port = \n")
    with pytest.raises(options.ConfigError, match="not valid TOML"):
        options.load()


def test_configuration_reference_is_up_to_date():
    doc = Path(__file__).parents[2] / "docs" / "configuration.md"
    assert doc.read_text() == options.as_markdown(), "run: dpghub config --markdown > docs/configuration.md"
