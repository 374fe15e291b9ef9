"""The one name resolver: which entity does a user's text name? Used by `find`, `path`, `viz --focus` and every
entity parameter of the named queries, over the engine's nodes or an in-memory graph alike.

A text is compared with each entity's names on their match keys (`soyaku.core.japanese.match_key`: NFKC, case,
spaces, middle dots and hyphens do not matter). Matches are ranked, best first:

0. ``identifier``: the text is one of the entity's external identifiers (a ROR id or URL, a Wikidata QID, a
   法人番号, a Crossref Funder ID as 10.13039/…; see soyaku.core.identifiers);
1. ``id``: the text is the entity's id;
2. ``name``: it is the entity's name, Japanese or English name, or an alias;
3. ``id word``: it is one whole word of the id (``tregem`` for ``su-tregem-biopharma``);
4. ``prefix``: a name starts with it;
5. ``abbreviation``: Japanese text that is not part of a name but whose characters begin it and appear in it
   in order, the way Japanese names are shortened (京大 → 京都大学);
6. ``contains``: a name contains it; not offered when the text abbreviates a name (東京大学 contains 京大, but 京大
   is short for 京都大学, so `find 京大` does not list 東京大学).

Ids are matched whole (or word by word), never as substrings, so ``AMED`` does not find ``univ-shiga-med``.
When nothing matches, names within a small edit distance (rapidfuzz) are offered as "did you mean".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from soyaku.core.errors import SoyakuError
from soyaku.core.identifiers import SCHEMES, parse_reference
from soyaku.core.japanese import match_key

__all__ = ["Entity", "Match", "NameIndex", "NameNotFound", "AmbiguousName", "Resolved", "describe",
           "entity_from_properties"]

#: How each match kind ranks (lower is better) and how a message names it.
KINDS = ("identifier", "id", "name", "id word", "prefix", "abbreviation", "contains")
#: Kinds that identify an entity outright (a unique match of these kinds is picked without doubt).
EXACT_KINDS = frozenset({"identifier", "id", "name", "id word"})
#: Least rapidfuzz WRatio (0–100) for a "did you mean" suggestion, and how many to offer at most.
SUGGEST_CUTOFF = 75
SUGGEST_LIMIT = 5
#: Suggestions scoring this much below the best one are left out.
SUGGEST_SPREAD = 10

_ID_WORDS = re.compile(r"[-_.:/\s]+")
_KANA_KANJI = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_NAME_FIELDS = ("name", "name_ja", "name_en", "title", "title_en")


class NameNotFound(SoyakuError):
    """No entity matches a name the user gave (the message offers the closest names)."""


class AmbiguousName(SoyakuError):
    """Several entities match a name equally well (the message lists them with their ids)."""


@dataclass(frozen=True)
class Entity:
    """What the resolver needs to know of a node: id, label, display name, English name and all its names."""

    id: str
    label: str
    name: str
    name_en: str | None = None
    names: tuple[str, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()  # (scheme field, value), e.g. ("ror", "057zh3y96")


def entity_from_properties(label: str, props: dict) -> Entity:
    """An Entity from a node's properties (id, name, name_ja, name_en, aliases, title, title_en)."""
    names = [props[f] for f in _NAME_FIELDS if isinstance(props.get(f), str) and props[f]]
    aliases = props.get("aliases") or []
    names.extend(a for a in ([aliases] if isinstance(aliases, str) else aliases) if a)
    node_id = str(props.get("id", ""))
    identifiers = tuple((f, str(value)) for f in SCHEMES if props.get(f)
                        for value in (props[f] if isinstance(props[f], list) else [props[f]]))
    return Entity(node_id, label, str(names[0]) if names else node_id, props.get("name_en") or props.get("title_en"),
                  tuple(dict.fromkeys(names)), identifiers)


def describe(entity: Entity) -> str:
    """`name (Label, id x)` for messages."""
    return f"{entity.name} ({entity.label}, id {entity.id})"


@dataclass(frozen=True)
class Match:
    """An entity that matches a text, how (one of KINDS), and on which of its names."""

    entity: Entity
    kind: str
    matched: str

    @property
    def exact(self) -> bool:
        return self.kind in EXACT_KINDS


@dataclass(frozen=True)
class Resolved:
    """A parameter value the user gave and the entity it was resolved to."""

    parameter: str
    text: str
    match: Match

    def __str__(self) -> str:
        match = self.match
        how = "" if match.kind == "id" else f", by {match.kind}"
        if match.matched not in (match.entity.name, match.entity.id):
            how += f" {match.matched!r}"
        return f"{self.parameter}: {self.text!r} → {describe(match.entity)}{how}"


@dataclass
class _Keys:
    entity: Entity
    id_key: str
    id_words: frozenset[str]
    names: dict[str, str] = field(default_factory=dict)  # match key -> the name as written


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


class NameIndex:
    """Entities searchable by any of their names; build once, then `search`, `resolve` or `suggest`."""

    def __init__(self, entities: Iterable[Entity]):
        self._keys: list[_Keys] = []
        for entity in entities:
            keys = _Keys(entity, match_key(entity.id), frozenset(filter(None, map(match_key, _ID_WORDS.split(entity.id)))))
            for name in entity.names:
                if key := match_key(name):
                    keys.names.setdefault(key, name)
            self._keys.append(keys)

    def __len__(self) -> int:
        return len(self._keys)

    def _match(self, keys: _Keys, text: str, wanted: str, ref: tuple[str, str] | None = None) -> Match | None:
        if ref and ref in keys.entity.identifiers:
            return Match(keys.entity, "identifier", f"{SCHEMES[ref[0]].name} {ref[1]}")
        if text.strip() == keys.entity.id or wanted == keys.id_key:
            return Match(keys.entity, "id", keys.entity.id)
        if wanted in keys.names:
            return Match(keys.entity, "name", keys.names[wanted])
        if wanted in keys.id_words:
            return Match(keys.entity, "id word", keys.entity.id)
        best: Match | None = None
        japanese = len(wanted) > 1 and all(_KANA_KANJI.match(c) for c in wanted)
        for key, name in keys.names.items():
            if key.startswith(wanted):
                kind = "prefix"
            elif wanted in key:
                kind = "contains"
            elif japanese and key[0] == wanted[0] and _is_subsequence(wanted, key):
                kind = "abbreviation"
            else:
                continue
            if best is None or KINDS.index(kind) < KINDS.index(best.kind):
                best = Match(keys.entity, kind, name)
        return best

    def search(self, text: str, label: str | None = None) -> list[Match]:
        """Every entity that matches `text` (optionally only of `label`), best first."""
        wanted = match_key(text)
        if not wanted:
            return []
        ref = parse_reference(text)
        found = [m for k in self._keys if (label is None or k.entity.label == label)
                 and (m := self._match(k, text, wanted, ref))]
        if any(m.kind == "abbreviation" for m in found):  # 京大 is 京都大学's abbreviation, not a part of 東京大学
            found = [m for m in found if m.kind != "contains"]
        return sorted(found, key=lambda m: (KINDS.index(m.kind), len(m.matched), m.entity.name, m.entity.id))

    def suggest(self, text: str, label: str | None = None) -> list[Entity]:
        """The entities whose names (or id words) are closest to `text`, for "did you mean"."""
        from rapidfuzz import fuzz, process

        wanted = match_key(text)
        choices = {}
        for keys in self._keys:
            if label is None or keys.entity.label == label:
                for key in (*keys.names, *keys.id_words, keys.id_key):
                    if 2 * len(key) >= len(wanted):  # a short word inside the text is no suggestion
                        choices[(len(choices), keys.entity.id)] = key
        entities = {k.entity.id: k.entity for k in self._keys}
        found: list[Entity] = []
        scored = process.extract(wanted, choices, scorer=fuzz.WRatio, score_cutoff=SUGGEST_CUTOFF, limit=None)
        for _, score, (_, entity_id) in scored:
            if score >= scored[0][1] - SUGGEST_SPREAD and entities[entity_id] not in found:
                found.append(entities[entity_id])
        return found[:SUGGEST_LIMIT]

    def resolve(self, text: str, label: str | None = None) -> Match:
        """The one entity `text` names: the only match of the best kind, else NameNotFound or AmbiguousName."""
        what = f"no {label}" if label else "nothing"
        matches = self.search(text, label)
        if not matches:
            hint = self._not_found_hint(text, label)
            raise NameNotFound(f"{what} is named {text!r}; {hint}")
        best = [m for m in matches if m.kind == matches[0].kind]
        if len(best) == 1:
            return best[0]
        shown = "; ".join(describe(m.entity) for m in best[:8])
        more = f" and {len(best) - 8} more" if len(best) > 8 else ""
        how = "is the name of" if best[0].exact else f"matches ({best[0].kind})"
        kinds = f"{label} entities" if label else "entities"
        raise AmbiguousName(f"{text!r} {how} {len(best)} {kinds}: {shown}{more}. "
                            "Give the id or a fuller name (`soyaku find` lists candidates).")

    def _not_found_hint(self, text: str, label: str | None) -> str:
        if label and (elsewhere := self.search(text)):
            return "it names " + "; ".join(describe(m.entity) for m in elsewhere[:3]) + f", not a {label}"
        if close := self.suggest(text, label):
            return "did you mean " + " or ".join(describe(e) for e in close) + "?"
        return "try `soyaku find` with part of the Japanese or English name, an alias or the id"
