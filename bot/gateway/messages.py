"""The gateway's own texts (page title, API error messages, page texts), read from bot/gateway/messages.yml.

Loaded once by `create_app`, never at import time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import yaml

MESSAGES_FILE = Path(__file__).with_name("messages.yml")


@dataclass(frozen=True)
class Messages:
    app_title: str
    errors: Mapping[str, Mapping[str, str]]
    # Texts of the gateway's own pages: pages[page][language][key] (e.g. the printable checklist).
    pages: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict)

    def page(self, name: str, language: str) -> Mapping[str, str]:
        """The texts of page `name` in `language` ("vi" or "en"; anything else is Vietnamese)."""
        texts = self.pages[name]
        return texts.get(language) or texts["vi"]

    def error(self, code: str, language: str | None = None, **values: object) -> str:
        """The text of an error code in `language` ("vi" or "en"); with none, both joined as "vi / en"."""
        texts = self.errors.get(code) or self.errors["server_error"]
        languages = (language,) if language in ("vi", "en") else ("vi", "en")
        return " / ".join(texts[lang].format(**values) for lang in languages)


def load_messages(path: Path = MESSAGES_FILE) -> Messages:
    with path.open(encoding="utf-8") as stream:
        raw = yaml.safe_load(stream)
    return Messages(app_title=raw["app_title"], errors=raw["errors"], pages=raw.get("pages") or {})
