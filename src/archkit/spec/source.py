"""Parse YAML or JSON text into plain data, remembering where every spec path sits in the text.

PyYAML's composer gives each node its line and column; we build the data ourselves from the node
tree so that each spec path (``functions.get_user.memory``) maps to the position of its key and
value. Aliases are recorded where they are used, so an error inside an aliased block can say both
where the text is (the anchor) and which use of it is at fault.
"""

from __future__ import annotations

import copy
import json
import re
from collections import ChainMap
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from archkit.spec.errors import Loc, SpecError, SpecIssue, dotted

MAX_VALUES = 1_000_000
"""Upper bound of values one document may expand to (stops alias bombs before they eat the memory)."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists a spec may use. archkit enforces its own limit, far below any
YAML library's (libyaml stops at 1,000 since PyYAML 6.0.4; the pure-Python parser recurses until Python's
recursion limit), so the message and its position are the same whatever library version is installed."""
MAX_SCALAR_CHARS = 1 << 20
"""Longest single value (1 MiB): a spec holds names and settings, not data."""

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
# An alias is `*name` after a separator; `"*"` keys and `/api/*` patterns do not match.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_MAY_HAVE_ALIAS = re.compile(r"(?:^|[\s\[{,:])\*[^\s,\[\]{}]", re.MULTILINE)

Position = tuple[int, int]


@dataclass
class Source:
    """Where each spec path sits in the file (1-based line and column of its key and of its value)."""

    file: str | None = None
    keys: MutableMapping[Loc, Position] = field(default_factory=dict)
    values: MutableMapping[Loc, Position] = field(default_factory=dict)
    aliases: MutableMapping[Loc, tuple[str, int]] = field(default_factory=dict)
    """Path where an alias is used -> (anchor name, line of the anchored text)."""
    origins: MutableMapping[Loc, Loc] = field(default_factory=dict)
    """Path whose value an environment override replaced -> path of the override."""
    blocks: MutableMapping[Loc, bool] = field(default_factory=dict)
    """Paths holding a mapping or a list: issues point at the key (a block begins at its first child)."""
    raw: MutableMapping[Loc, str] = field(default_factory=dict)
    """Source text of plain scalars that YAML read as something other than a string (`NO`, `16.4`)."""
    problems: list[SpecIssue] = field(default_factory=list)
    """Problems found while parsing that do not stop it (duplicate keys); reported with the rest."""
    added: MutableMapping[Loc, str] = field(default_factory=dict)
    """Entry an environment override adds although its name is close to a declared one -> that name (if
    the entry then has problems, the likely cause is a misspelt name, reported instead)."""
    inherited: MutableMapping[Loc, Loc] = field(default_factory=dict)
    """Path filled from ``defaults`` -> path of the default (one problem in a default is reported once)."""

    def derive(self) -> Source:
        """A copy for resolving one environment: its writes go to an overlay, the base stays intact."""
        return Source(
            file=self.file,
            keys=ChainMap({}, self.keys),
            values=ChainMap({}, self.values),
            aliases=self.aliases,
            origins=ChainMap({}, self.origins),
            blocks=ChainMap({}, self.blocks),
            raw=ChainMap({}, self.raw),
            problems=list(self.problems),
            added=ChainMap({}, self.added),
            inherited=ChainMap({}, self.inherited),
        )

    def owner(self, loc: Loc) -> Loc:
        """The path a problem at ``loc`` belongs to: the default it was inherited from, else ``loc``."""
        for cut in range(len(loc), 0, -1):
            default = self.inherited.get(tuple(loc[:cut]))
            if default is not None:
                return (*default, *loc[cut:])
        return tuple(loc)

    def locate(self, loc: Loc, *, prefer_key: bool) -> Position | None:
        """Position of ``loc`` or of its nearest located ancestor."""
        first, second = (self.keys, self.values) if prefer_key else (self.values, self.keys)
        parts = tuple(loc)
        while parts:
            pos = first.get(parts) or second.get(parts)
            if pos is not None:
                return pos
            parts = parts[:-1]
        return None

    def note(self, loc: Loc) -> str:
        """Where the value at ``loc`` really came from, when that is not where its path suggests."""
        notes = []
        parts = tuple(loc)
        while parts:
            if parts in self.origins:
                notes.append(f"set by {dotted(self.origins[parts])}")
                break
            parts = parts[:-1]
        parts = tuple(loc)
        while parts:
            if parts in self.aliases:
                anchor, anchor_line = self.aliases[parts]
                where = self.keys.get(parts) or self.values.get(parts)
                used = f" on line {where[0]}" if where else ""
                notes.append(f"from anchor &{anchor} on line {anchor_line}, used via *{anchor}{used}")
                break
            parts = parts[:-1]
        return f" ({'; '.join(notes)})" if notes else ""

    def issue(self, loc: Loc, message: str, *, prefer_key: bool = False) -> SpecIssue:
        loc = self.owner(loc)
        pos = self.locate(loc, prefer_key=prefer_key or loc in self.blocks)
        line, column = pos if pos else (None, None)
        return SpecIssue(dotted(loc), message + self.note(loc), self.file, line, column)


def _position(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _TooDeep(Exception):
    """Nesting deeper than :data:`MAX_DEPTH`, found at ``mark``."""

    def __init__(self, mark: Any) -> None:
        super().__init__(mark)
        self.mark = mark


def _too_deep(file: str | None, loc: Loc, line: int | None, column: int | None) -> SpecError:
    message = f"the document is nested too deeply (limit {MAX_DEPTH} levels of mappings and lists)"
    return SpecError([SpecIssue(dotted(loc), message, file, line, column)])


class _PositionLoader(yaml.SafeLoader):
    """SafeLoader whose aliases are shallow copies marked with where they are used, and which stops at
    :data:`MAX_DEPTH` levels of nesting before the parser or Python's recursion limit does."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.alias_targets: dict[int, tuple[str, yaml.Node]] = {}
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.CollectionStartEvent):
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    raise _TooDeep(self.peek_event().start_mark)
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            target = super().compose_node(parent, index)
            if target is None:
                return None
            alias = copy.copy(target)
            alias.start_mark, alias.end_mark = event.start_mark, event.end_mark
            self.alias_targets[id(alias)] = (str(event.anchor), target)
            return alias
        return super().compose_node(parent, index)


def _fast_loader(text: str) -> Any:
    # libyaml composes much faster but cannot tell an alias from its anchor; use it when there are none.
    if hasattr(yaml, "CSafeLoader") and not _MAY_HAVE_ALIAS.search(text):
        return yaml.CSafeLoader(text)
    return _PositionLoader(text)


class _Builder:
    """Turns a composed node tree into dicts, lists and scalars, filling a :class:`Source`."""

    def __init__(self, loader: Any, source: Source, json_mode: bool) -> None:
        self.loader = loader
        self.source = source
        self.json_mode = json_mode
        self.aliases: dict[int, tuple[str, yaml.Node]] = getattr(loader, "alias_targets", {})
        self.count = 0
        self.stack: set[int] = set()

    def fail(self, node: yaml.Node, loc: Loc, message: str) -> SpecError:
        return SpecError([SpecIssue(dotted(loc), message, self.source.file, *_position(node))])

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise self.fail(
                node, loc, f"the document expands to more than {MAX_VALUES} values (an alias bomb?)"
            )
        self.source.values[loc] = _position(node)
        alias = self.aliases.get(id(node))
        if alias is not None:
            self.source.aliases[loc] = (alias[0], _position(alias[1])[0])
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, loc)
        if len(loc) >= MAX_DEPTH:  # reached through aliases, or composed by libyaml, which has no such limit
            line, column = _position(node)
            raise _too_deep(self.source.file, (), line, column)
        self.source.blocks[loc] = True
        marker = id(node.value)  # shared by an anchor and every alias of it
        if marker in self.stack:
            raise self.fail(node, loc, "an alias refers to a node containing itself (recursive alias)")
        self.stack.add(marker)
        try:
            if isinstance(node, yaml.MappingNode):
                if node.tag != _MAP_TAG:
                    raise self.fail(node, loc, f"unsupported YAML tag {node.tag}; expected a plain mapping")
                return {
                    key: self.build(value, (*loc, key)) for key, (_, value) in self.pairs(node, loc).items()
                }
            if node.tag != _SEQ_TAG:
                raise self.fail(node, loc, f"unsupported YAML tag {node.tag}; expected a plain list")
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        finally:
            self.stack.discard(marker)

    def pairs(
        self, node: yaml.MappingNode, loc: Loc, record: bool = True
    ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Key -> (key node, value node), with YAML merge keys (``<<: *base``) applied: own keys win.

        ``record`` notes key positions and duplicates (off for the sources of a merge).
        """
        own: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        merged: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG and not self.json_mode:
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for src in sources:
                    if not isinstance(src, yaml.MappingNode):
                        raise self.fail(src, loc, "a merge key (<<) needs a mapping or a list of mappings")
                    merged.append(src)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, loc, "mapping keys must be plain scalars")
            key = key_node.value  # the text as written: `on:` stays 'on', `200:` stays '200'
            child = (*loc, key)
            if record and key in own:
                first = self.source.keys[child]
                self.source.problems.append(
                    SpecIssue(
                        dotted(child),
                        f"duplicate key '{key}' (first defined on line {first[0]}); a name may appear once",
                        self.source.file,
                        *_position(key_node),
                    )
                )
            elif record:
                self.source.keys[child] = _position(key_node)
            own[key] = (key_node, value_node)
        for src in merged:
            marker = id(src.value)
            if marker in self.stack:
                raise self.fail(src, loc, "a merge key refers to a mapping containing itself")
            self.stack.add(marker)
            try:
                assert isinstance(src, yaml.MappingNode)
                for key, (key_node, value_node) in self.pairs(src, loc, record=False).items():
                    if key not in own:
                        own[key] = (key_node, value_node)
                        self.source.keys.setdefault((*loc, key), _position(key_node))
            finally:
                self.stack.discard(marker)
        return own

    def scalar(self, node: yaml.ScalarNode, loc: Loc) -> Any:
        if self.json_mode:
            return None  # JSON values come from the json module; this pass only records positions
        if len(node.value) > MAX_SCALAR_CHARS:
            message = f"a value of {len(node.value):,} characters; values are limited to {MAX_SCALAR_CHARS:,}"
            raise self.fail(node, loc, message)
        value = self.loader.construct_object(node, deep=True)
        if not node.style and not isinstance(value, str) and node.tag != _STR_TAG:
            self.source.raw[loc] = node.value
        return value


def _looks_like_json(text: str, file: str | None) -> bool:
    if file is not None:
        return file.lower().endswith(".json")
    return text.lstrip()[:1] in ("{", "[")


def _compose_and_build(loader: Any, source: Source, json_mode: bool) -> Any:
    try:
        node = loader.get_single_node()
        if node is None:
            message = "the file is empty; expected a mapping with at least `project`"
            raise SpecError([SpecIssue("", message, source.file, 1, 1)])
        return _Builder(loader, source, json_mode).build(node, ())
    finally:
        loader.dispose()


def parse_document(text: str, file: str | None = None) -> tuple[Any, Source]:
    """Parse YAML or JSON ``text`` into plain data and its :class:`Source` positions.

    Raises :class:`SpecError` for text that is not well-formed (with the line and column of the problem).
    Duplicate keys do not stop parsing: they are collected in ``Source.problems``.
    """
    source = Source(file=file)
    json_data: Any = None
    if _looks_like_json(text, file):
        try:
            json_data = json.loads(text)
        except json.JSONDecodeError as exc:
            if file is not None:  # a .json file must be JSON
                issue = SpecIssue("", f"malformed JSON: {exc.msg}", file, exc.lineno, exc.colno)
                raise SpecError([issue]) from None
        except RecursionError:
            raise _too_deep(file, (), 1, 1) from None
    if json_data is not None:
        # Values come from the json module (JSON's own rules for numbers and escapes); YAML only locates them.
        # Tabs between tokens and surrogate escapes are JSON but not YAML; same-length stand-ins keep columns.
        text = _SURROGATE_ESCAPE.sub(r"\\u0020", text.replace("\t", " "))
    json_mode = json_data is not None
    try:
        loader = _fast_loader(text)
        try:
            data = _compose_and_build(loader, source, json_mode)
        except (yaml.YAMLError, RecursionError):
            if isinstance(loader, _PositionLoader):
                raise
            # libyaml's messages and limits change between releases: parse again with the pure-Python
            # loader, whose errors are stable and whose nesting limit is archkit's own.
            source = Source(file=file)
            data = _compose_and_build(_PositionLoader(text), source, json_mode)
    except _TooDeep as exc:
        raise _too_deep(file, (), exc.mark.line + 1, exc.mark.column + 1) from None
    except yaml.MarkedYAMLError as exc:
        if json_mode:
            return json_data, Source(file=file)  # JSON PyYAML cannot follow: keep the data, lose positions
        mark = exc.problem_mark or exc.context_mark
        problem = "; ".join(str(p) for p in (exc.context, exc.problem) if p)
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise SpecError([SpecIssue("", f"malformed YAML: {problem}", file, line, col)]) from None
    except yaml.YAMLError as exc:
        raise SpecError([SpecIssue("", f"malformed YAML: {exc}", file)]) from None
    except RecursionError:
        raise _too_deep(file, (), 1, 1) from None
    return (json_data if json_data is not None else data), source
