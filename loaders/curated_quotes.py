"""The seed texts and the quotes records cite from them: each quote is found verbatim (NFKC, white space ignored)
and located at a line of its seed, and every amount a record states must be written as one of its quotes writes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from soyaku.core.japanese import ShareAmount, YenAmount

from .curated_records import Problems, Source, squash
from .curated_yaml import LINE

__all__ = ["Seeds"]


def _occurrences(text: str, needle: str, lines: list[int]) -> list[tuple[int, int]]:
    """(first line, last line) of every occurrence of `needle` in the squashed seed text, overlapping ones included."""
    spans: list[tuple[int, int]] = []
    pos = text.find(needle) if needle else -1
    while pos >= 0:
        spans.append((lines[pos], lines[pos + len(needle) - 1]))
        pos = text.find(needle, pos + 1)
    return spans


class Seeds:
    """The seed text of every source folder, squashed for matching, and the checks of the quotes cited from them."""

    def __init__(self, problems: Problems):
        self.problems = problems
        self.texts: dict[str, tuple[str, list[int], str]] = {}  # doc → (squashed text, line of each char, file)

    def load(self, folder: Path) -> str | None:
        """Read the one seed text `<folder>/<folder>_*.txt`; its file name, or None (and a problem)."""
        seeds = sorted(folder.glob(f"{folder.name}_*.txt"))
        if len(seeds) != 1:
            self.problems.add(folder, None, None, f"expected exactly one seed text {folder.name}_*.txt, found {len(seeds)}")
            return None
        text = seeds[0].read_text(encoding="utf-8")
        squashed: list[str] = []
        lines: list[int] = []
        for number, line in enumerate(text.splitlines(), start=1):
            piece = squash(line)
            squashed.append(piece)
            lines.extend([number] * len(piece))
        self.texts[folder.name] = ("".join(squashed), lines, seeds[0].name)
        return seeds[0].name

    def states(self, doc: str, text: str) -> bool:
        """Whether the seed text of `doc` contains `text` (NFKC, white space ignored)."""
        return squash(text) in self.texts[doc][0]

    def sources(self, raw: Any, folder: str, file: Path, line: int) -> tuple[Source, ...]:
        """A record's `sources`, each quote located in its seed (the record's own folder's unless `doc` says)."""
        if not isinstance(raw, list) or not raw:
            self.problems.add(file, line, "sources", "every record needs `sources`: a list of {doc, quote}")
            return ()
        found: list[Source] = []
        for item in raw:
            at = item.get(LINE, line) if isinstance(item, dict) else line
            if not isinstance(item, dict) or not isinstance(item.get("quote"), str) or not item["quote"].strip():
                self.problems.add(file, at, "sources", "each source needs a non-empty `quote` (and optionally `doc`, `line`, `near`)")
                continue
            for key in sorted(set(item) - {"doc", "quote", "line", "near", LINE}):
                self.problems.add(file, at, f"sources.{key}", "unknown key in a source; known: doc, quote, line, near")
            doc = str(item.get("doc", folder)).zfill(3)
            if doc not in self.texts:
                self.problems.add(file, at, "sources.doc", f"unknown document {doc!r}; known: {', '.join(sorted(self.texts))}")
                continue
            located = self.locate(doc, item, file, at)
            if located is not None:
                found.append(Source(doc, self.texts[doc][2], item["quote"], located))
        return tuple(found)

    def locate(self, doc: str, item: dict[str, Any], file: Path, at: int) -> int | None:
        """The line where the quote starts: its one occurrence, or the one its `line` or `near` pin selects."""
        text, lines, seed_file = self.texts[doc]
        quote = item["quote"]
        spans = _occurrences(text, squash(quote), lines)
        if not spans:
            self.problems.add(file, at, "sources.quote", f"quote not found in {seed_file}: {quote!r}; copy it verbatim from the seed")
            return None
        starts = ", ".join(str(s) for s, _ in spans)
        pin, near = item.get("line"), item.get("near")
        if pin is not None:
            if isinstance(pin, bool) or not isinstance(pin, int):
                self.problems.add(file, at, "sources.line", f"`line` must be a line number of {seed_file}, got {pin!r}")
                return None
            hits = [s for s, e in spans if s <= pin <= e]
            if not hits:
                self.problems.add(file, at, "sources.line", f"{quote!r} is not at line {pin} of {seed_file}; it occurs at line(s) {starts}")
                return None
            return hits[0]
        if near is not None:
            anchors = _occurrences(text, squash(near), lines) if isinstance(near, str) and near.strip() else []
            if len(anchors) != 1:
                what = "not found" if not anchors else f"occurs {len(anchors)} times"
                self.problems.add(file, at, "sources.near", f"`near` must be a quote that occurs once in {seed_file}; {near!r} {what}")
                return None
            anchor = anchors[0][0]
            distance = sorted((abs(s - anchor), s) for s, _ in spans)
            if len(distance) > 1 and distance[0][0] == distance[1][0]:
                self.problems.add(file, at, "sources.near", f"{quote!r} occurs as near to {near!r} at lines {distance[0][1]} and {distance[1][1]}; pin it with `line`")
                return None
            return distance[0][1]
        if len(spans) > 1:
            self.problems.add(file, at, "sources.quote", f"{quote!r} occurs {len(spans)} times in {seed_file} (lines {starts}); "
                              "pin the one meant with `line: N` or `near: <a quote next to it>`")
            return None
        return spans[0][0]

    def check_amounts_quoted(self, values: dict[str, Any], sources: tuple[Source, ...], file: Path, line: int) -> None:
        """An amount must be written as one of the record's quotes writes it (NFKC, spaces ignored)."""
        if not sources:
            return  # the missing or unfound quotes are already reported
        quotes = [squash(source.quote) for source in sources]
        for name, value in values.items():
            if isinstance(value, (YenAmount, ShareAmount)) and not any(squash(value.text) in quote for quote in quotes):
                self.problems.add(file, line, name, f"the amount {value.text!r} does not occur in the record's quote(s): "
                                  f"quote the text that states it, or write the amount as the quote does")
