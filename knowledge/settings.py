"""Every environment variable the project reads, in one place.

Nothing here touches the disk or the network: `Settings.from_env()` only reads
`os.environ`. The README's settings table mirrors this module.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"
# The national portal records beside the project (development and CI): read in place, never copied in.
SHARED_TTHC = PROJECT_ROOT.parent / "shared" / "tthc"
NATIONAL_CATALOGUE = SHARED_TTHC / "national-procedures-2026-07.jsonl.gz"
PORTAL_CATALOGUE = SHARED_TTHC / "portal-procedures-2026-07.jsonl.gz"
PORTAL_USAGE = SHARED_TTHC / "portal-usage-2025-12.csv"


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _bool(name: str, default: bool) -> bool:
    value = (os.environ.get(name) or "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name}: {value!r} is not true or false")


def _float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


_ORIGIN = re.compile(r"https?://[A-Za-z0-9.\-]+(?::[0-9]{1,5})?")


def origins(value: str, name: str = "WIDGET_ALLOWED_ORIGINS") -> tuple[str, ...]:
    """"https://hue.gov.vn, https://www.hue.gov.vn/" -> ("https://hue.gov.vn", "https://www.hue.gov.vn").

    Each entry is a scheme and host (and port) as browsers send them in `Origin`; anything else is refused here,
    at start-up, rather than silently never matching.
    """
    found = []
    for entry in re.split(r"[,\s]+", value or ""):
        entry = entry.strip().rstrip("/").lower()
        if not entry:
            continue
        if not _ORIGIN.fullmatch(entry):
            raise ValueError(f"{name}: {entry!r} is not an origin such as https://hue.gov.vn (scheme://host[:port])")
        if entry not in found:
            found.append(entry)
    return tuple(found)


@dataclass(frozen=True)
class Settings:
    # Knowledge base (SQLAlchemy URL). Default: a SQLite file under the git-ignored var/.
    database_url: str = f"sqlite:///{VAR_DIR / 'knowledge.db'}"
    # Rasa's tracker store; read by endpoints.yml through the same variable name.
    tracker_store_url: str = f"sqlite:///{VAR_DIR / 'tracker.db'}"
    # Where the gateway finds Rasa (REST channel + /status) and the action server (/health).
    rasa_url: str = "http://127.0.0.1:5005"
    action_server_url: str = "http://127.0.0.1:5055"
    # Port `python -m actions.serve` listens on (always 127.0.0.1).
    action_server_port: int = 5055
    # Seconds between cheap checks whether the procedures table changed (the action server's search index).
    index_refresh_seconds: int = 30
    # The gateway: the one public entry.
    gateway_host: str = "0.0.0.0"
    gateway_port: int = 8000
    # Longest chat message accepted by the gateway, in characters.
    max_message_chars: int = 1000
    # Largest request body the gateway reads, in bytes (bigger bodies get 413).
    max_request_bytes: int = 16 * 1024
    # Largest file staff may upload to the admin's "Nhập dữ liệu" page, in bytes (only that page; 413 above).
    admin_upload_max_bytes: int = 50 * 1024 * 1024
    # Where uploaded catalogue files are kept (random names) between preview and apply.
    upload_dir: str = str(VAR_DIR / "uploads")
    # The admin's "Cập nhật tên thủ tục cho mô hình" button (lookup tables, `rasa train`, model swap); false: off.
    admin_retrain_enabled: bool = True
    # Seconds the gateway waits for Rasa before answering 503.
    rasa_timeout_seconds: int = 30
    # Slow clients (bot.gateway.connections): a new connection's first request headers, and any request's body,
    # must arrive within this (else the connection is closed, or the request gets 408); an idle keep-alive
    # connection is closed after KEEPALIVE_TIMEOUT_SECONDS.
    request_read_timeout_seconds: float = 10
    keepalive_timeout_seconds: float = 15
    # The gateway's address as citizens reach it (links the bot sends, e.g. printable checklists).
    public_url: str = "http://127.0.0.1:8000"
    # Where citizens are sent when the bot does not know.
    national_portal_url: str = "https://dichvucong.gov.vn"
    city_portal_url: str = "https://dichvucong.hue.gov.vn"
    national_hotline: str = "18001096"
    city_hotline: str = "1022"
    # When the hotlines answer, shown with the numbers under "Gặp nhân viên" (Vietnamese, English).
    hotline_hours: str = "Giờ hành chính, thứ Hai đến thứ Sáu"
    hotline_hours_en: str = "Office hours, Monday to Friday"
    # Sites that may embed the chat widget (its script tag, or /chat in a frame): CORS on the widget's /api/ calls
    # and CSP frame-ancestors. Empty: only the gateway's own pages.
    widget_allowed_origins: tuple[str, ...] = ()
    # A browser idle for this long starts a new conversation (the widget forgets its sender id).
    widget_idle_minutes: int = 30
    # Secret for signing staff sessions (admin/review); required only by those sub-apps.
    session_secret: str = field(default="", repr=False)
    # Tokens Rasa (HTTP API and REST channel) and the action server require. `python -m bot.stack` generates both
    # at every start (secrets.token_urlsafe) unless they are set, and hands them to the processes it starts.
    rasa_token: str = field(default="", repr=False)
    action_server_token: str = field(default="", repr=False)
    # The supervisor `python -m bot.stack` keeps its pid file and state file (stack-<gateway port>.pid, .json) here.
    stack_run_dir: str = str(VAR_DIR / "run")
    # The state file the gateway reports in /healthz (set by bot.stack for the gateway it starts; empty: none).
    stack_state_file: str = ""
    # A crashed process is restarted after 1, 2, 4 … seconds (STACK_BACKOFF_SECONDS doubled, at most 30); after
    # STACK_MAX_RESTARTS restarts of one process within STACK_RESTART_WINDOW_SECONDS the supervisor gives up.
    stack_max_restarts: int = 5
    stack_restart_window_seconds: int = 300
    stack_backoff_seconds: int = 1
    # The supervisor's logs (var/log/<process>.log, stack.log) are rotated at LOG_MAX_BYTES, keeping LOG_BACKUPS
    # older files (<name>.log.1 …).
    log_max_bytes: int = 10 * 1024 * 1024
    log_backups: int = 5

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ.get
        base = cls()
        return replace(
            base,
            database_url=env("DATABASE_URL") or base.database_url,
            tracker_store_url=env("TRACKER_STORE_URL") or base.tracker_store_url,
            rasa_url=(env("RASA_URL") or base.rasa_url).rstrip("/"),
            action_server_url=(env("ACTION_SERVER_URL") or base.action_server_url).rstrip("/"),
            action_server_port=_int("ACTION_SERVER_PORT", base.action_server_port),
            index_refresh_seconds=_int("INDEX_REFRESH_SECONDS", base.index_refresh_seconds),
            gateway_host=env("GATEWAY_HOST") or base.gateway_host,
            gateway_port=_int("GATEWAY_PORT", base.gateway_port),
            max_message_chars=_int("MAX_MESSAGE_CHARS", base.max_message_chars),
            max_request_bytes=_int("MAX_REQUEST_BYTES", base.max_request_bytes),
            admin_upload_max_bytes=_int("ADMIN_UPLOAD_MAX_BYTES", base.admin_upload_max_bytes),
            upload_dir=env("UPLOAD_DIR") or base.upload_dir,
            admin_retrain_enabled=_bool("ADMIN_RETRAIN_ENABLED", base.admin_retrain_enabled),
            rasa_timeout_seconds=_int("RASA_TIMEOUT_SECONDS", base.rasa_timeout_seconds),
            request_read_timeout_seconds=_float("REQUEST_READ_TIMEOUT_SECONDS", base.request_read_timeout_seconds),
            keepalive_timeout_seconds=_float("KEEPALIVE_TIMEOUT_SECONDS", base.keepalive_timeout_seconds),
            public_url=(env("PUBLIC_URL") or base.public_url).rstrip("/"),
            national_portal_url=env("NATIONAL_PORTAL_URL") or base.national_portal_url,
            city_portal_url=env("CITY_PORTAL_URL") or base.city_portal_url,
            national_hotline=env("NATIONAL_HOTLINE") or base.national_hotline,
            city_hotline=env("CITY_HOTLINE") or base.city_hotline,
            hotline_hours=env("HOTLINE_HOURS") or base.hotline_hours,
            hotline_hours_en=env("HOTLINE_HOURS_EN") or base.hotline_hours_en,
            widget_allowed_origins=origins(env("WIDGET_ALLOWED_ORIGINS") or ""),
            widget_idle_minutes=_int("WIDGET_IDLE_MINUTES", base.widget_idle_minutes),
            session_secret=env("SESSION_SECRET") or "",
            rasa_token=env("RASA_TOKEN") or "",
            action_server_token=env("ACTION_SERVER_TOKEN") or "",
            stack_run_dir=env("STACK_RUN_DIR") or base.stack_run_dir,
            stack_state_file=env("STACK_STATE_FILE") or "",
            stack_max_restarts=_int("STACK_MAX_RESTARTS", base.stack_max_restarts),
            stack_restart_window_seconds=_int("STACK_RESTART_WINDOW_SECONDS", base.stack_restart_window_seconds),
            stack_backoff_seconds=_int("STACK_BACKOFF_SECONDS", base.stack_backoff_seconds),
            log_max_bytes=_int("LOG_MAX_BYTES", base.log_max_bytes),
            log_backups=_int("LOG_BACKUPS", base.log_backups),
        )
