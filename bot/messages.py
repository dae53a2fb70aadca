"""The gateway's own texts (page title, API error messages), read from bot/messages.yml.

Loaded once by `create_app`, never at import time.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import yaml

MESSAGES_FILE = Path(__file__).with_name("messages.yml")


@dataclass(frozen=True)
class Messages:
    app_title: str
    errors: Mapping[str, Mapping[str, str]]

    def error(self, code: str, **values: object) -> str:
        """The Vietnamese and English text of an error code, joined as "vi / en"."""
        texts = self.errors.get(code) or self.errors["server_error"]
        return " / ".join(texts[lang].format(**values) for lang in ("vi", "en"))


def load_messages(path: Path = MESSAGES_FILE) -> Messages:
    with path.open(encoding="utf-8") as stream:
        raw = yaml.safe_load(stream)
    return Messages(app_title=raw["app_title"], errors=raw["errors"])
