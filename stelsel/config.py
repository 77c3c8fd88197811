"""Settings, read from the environment (STELSEL_*) in this one place."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent


class Settings(BaseSettings):
    """All settings of stelsel. Each field is documented in docs/configuratie.md."""

    model_config = SettingsConfigDict(env_prefix="STELSEL_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{REPO_DIR / 'stelsel.db'}",
        description=(
            "SQLAlchemy database URL. SQLite file by default; postgresql+psycopg://… in production."
        ),
    )
    data_dir: Path = Field(
        default=REPO_DIR / "data",
        description="Folder with the bundled register (register/) and geography (geo/).",
    )
    wegwijzer_index_map: Path | None = Field(
        default=None,
        description=(
            "Folder where a server keeps the wegwijzer's built index for its next start (made "
            "0700; not used when others can read it). Default: stelsel-wegwijzer-<uid> in the "
            "temporary folder."
        ),
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Public base URL, used for links in API responses and e-mails.",
    )
    secret_key: str = Field(
        default="dev-only-change-me",
        description="Secret for signing sessions and links. Must be set in production.",
        repr=False,
    )
    log_level: str = Field(default="INFO", description="Log level (DEBUG, INFO, WARNING, ERROR).")
    log_format: Literal["tekst", "json"] = Field(
        default="tekst", description="Log lines as text, or as one JSON object a line ('json')."
    )
    eerste_contact_werkdagen: int = Field(
        default=3,
        ge=1,
        le=30,
        description="Working days a receiver has for first contact on a referral.",
    )
    bewaartermijn_dagen: int = Field(
        default=365,
        ge=30,
        le=1095,
        description=(
            "Days after a case is closed before `stelsel opschonen` removes personal data "
            "(30 to 1095: long enough to finish a referral, not longer than helping needs)."
        ),
    )
    bewaartermijn_extra_dagen: int = Field(
        default=30,
        ge=0,
        le=365,
        description=(
            "Grace period after the retention period for a case whose referrals are still "
            "open: then they are closed as `verlopen` and the personal data is removed anyway."
        ),
    )
    minimale_groep: int = Field(
        default=10,
        ge=3,
        le=1000,
        description=(
            "Fewest responses a quality figure is shown for; smaller groups are hidden and "
            "cannot be derived by subtraction (docs/kwaliteit.md)."
        ),
    )
    verloop_werkdagen: int = Field(
        default=10,
        ge=1,
        le=60,
        description=(
            "Working days after the first-contact deadline before an untouched referral "
            "expires (status mislukt, reason `verlopen`) and goes back to its sender."
        ),
    )
    link_geldig_dagen: int = Field(
        default=14,
        ge=1,
        le=90,
        description=(
            "Days a link e-mailed to a provider without users stays valid (accept, decline, "
            "ask a question, claim an account)."
        ),
    )
    enquete_geldig_dagen: int = Field(
        default=30,
        ge=1,
        le=180,
        description="Days the single-use questionnaire link e-mailed after a case stays valid.",
    )
    smtp_host: str = Field(
        default="", description="SMTP server for e-mail; empty: write .eml files."
    )
    smtp_port: int = Field(default=25, description="SMTP port.")
    smtp_starttls: bool = Field(
        default=False, description="Upgrade the SMTP connection with STARTTLS before sending."
    )
    smtp_gebruiker: str = Field(default="", description="SMTP user name; empty: no login.")
    smtp_wachtwoord: str = Field(default="", description="SMTP password.", repr=False)
    mail_afzender: str = Field(default="stelsel@localhost", description="From address of e-mails.")
    mail_map: Path = Field(
        default=REPO_DIR / "uitvoer" / "mail",
        description="Folder for e-mails as .eml files when no SMTP server is set.",
    )
    outbox_lease_seconden: int = Field(
        default=60,
        ge=15,
        description=(
            "Seconds an outbox worker holds a message it is sending; renewed every third of it "
            "while sending, so after a crashed worker a message waits at most this long."
        ),
    )
    max_gelijktijdig: int = Field(
        default=16,
        ge=1,
        le=1000,
        description=(
            "Requests one worker handles at once; the database pool holds as many connections. "
            "Past it, requests wait in line (see wachtrij_seconden)."
        ),
    )
    wachtrij_seconden: float = Field(
        default=2.0,
        ge=0,
        le=60,
        description=(
            "How long a request waits for a free slot before the worker answers 503 with "
            "Retry-After (load shedding) instead of letting it time out."
        ),
    )
    cookie_secure: bool | None = Field(
        default=None,
        description=(
            "Send the session cookie over HTTPS only. Empty: yes, unless base_url is "
            "http://127.0.0.1, http://localhost or http://[::1] (developing on http)."
        ),
    )
    vertrouw_proxy: bool = Field(
        default=False,
        description=(
            "Believe X-Forwarded-Proto from the reverse proxy in front (for HSTS). Only set it "
            "when nothing can reach the server except through that proxy."
        ),
    )

    @property
    def cookie_veilig(self) -> bool:
        """Whether the session cookie carries the Secure flag."""
        if self.cookie_secure is not None:
            return self.cookie_secure
        lokaal = ("http://127.0.0.1", "http://localhost", "http://[::1]")
        return not any(
            self.base_url == p or self.base_url.startswith((p + ":", p + "/")) for p in lokaal
        )


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached; tests clear the cache to change them)."""
    return Settings()


def instellingsfouten(fout: ValidationError) -> list[str]:
    """What is wrong with the settings, one line per setting, in plain words: the variable,
    why, and the value given (settings are not secret-free, so secrets are not echoed)."""
    regels = []
    for e in fout.errors():
        veld = str(e["loc"][0]) if e["loc"] else "?"
        info = Settings.model_fields.get(veld)
        geheim = info is not None and info.repr is False
        waarde = "" if geheim else f" (nu: {e.get('input')!s})"
        ctx = e.get("ctx", {})
        uitleg = {
            "greater_than_equal": f"moet minstens {ctx.get('ge')} zijn",
            "less_than_equal": f"mag hoogstens {ctx.get('le')} zijn",
            "int_parsing": "moet een heel getal zijn",
            "float_parsing": "moet een getal zijn",
            "bool_parsing": "moet true of false zijn",
        }.get(e["type"], e["msg"])
        regels.append(f"STELSEL_{veld.upper()}: {uitleg}{waarde}")
    return regels
