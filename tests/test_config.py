"""Every setting is documented in docs/configuratie.md, and secrets are never shown."""

from pathlib import Path

from stelsel.config import Settings

DOC = Path(__file__).resolve().parent.parent / "docs" / "configuratie.md"


def test_every_setting_is_documented():
    text = DOC.read_text(encoding="utf-8")
    missing = [n for n in Settings.model_fields if f"`STELSEL_{n.upper()}`" not in text]
    assert not missing, f"undocumented settings: {missing}"
    assert all(f.description for f in Settings.model_fields.values())


def test_secret_is_not_in_repr(monkeypatch):
    monkeypatch.setenv("STELSEL_SECRET_KEY", "zeer-geheim-123")
    monkeypatch.setenv("STELSEL_SMTP_WACHTWOORD", "ook-geheim-456")
    shown = repr(Settings())
    assert "zeer-geheim-123" not in shown and "ook-geheim-456" not in shown
