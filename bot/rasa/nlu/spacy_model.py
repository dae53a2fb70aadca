"""Save the blank Vietnamese spaCy pipeline (pyvi word segmentation) that `SpacyNLP` loads.

`spacy.blank("vi")` has no package path, so it is written to a directory once at set-up:

    python -m bot.rasa.nlu.spacy_model var/spacy_vi

config.yml points `SpacyNLP` at that directory (`model: var/spacy_vi`). The trained Rasa model keeps only
the path, so the directory must exist wherever the model runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_DIRECTORY = Path("var/spacy_vi")


def save_blank_vietnamese(directory: Path) -> Path:
    """Write `spacy.blank("vi")` to `directory` and return it."""
    import spacy

    nlp = spacy.blank("vi")
    directory.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(directory)
    return directory


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIRECTORY)
    arguments = parser.parse_args(argv)
    print(save_blank_vietnamese(arguments.directory))


if __name__ == "__main__":
    main()
