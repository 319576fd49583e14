"""Extract the workspace's messages and bring the Russian and Arabic catalogues up to date.

    .venv/bin/python scripts/messages.py

New messages are added untranslated: translate them in
src/ceasefire/web/locale/<code>/LC_MESSAGES/messages.po (tests fail until every one is).
"""

from __future__ import annotations

from ceasefire.web.catalogs import POT, update


def main() -> None:
    missing = update()
    print(f"wrote {POT}")
    for code, count in missing.items():
        print(f"{code}: {count} messages to translate")


if __name__ == "__main__":
    main()
