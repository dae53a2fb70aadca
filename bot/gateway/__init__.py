"""The gateway: the one public entry (aiohttp app, chat API, widget, pages; admin and review sub-apps)."""
