#!/usr/bin/env python3
"""List module cycles in the workspace's crates; exit 1 when there is one.

A module is a source file (or an inline `mod x { … }` in one). Module A depends on module B when
A names a path into B (`use crate::b::…`, `super::b::f()`, `self::b::T`) and B is neither A nor
one of A's descendants: a parent declaring, re-exporting or routing to its own children is
structure, not a dependency. A child naming its parent's items is a dependency, so
"parent routes to child, child calls a helper in the parent" is a cycle, as are two siblings
that call each other. Cargo already forbids cycles between crates, so each crate is read alone.

Usage: scripts/module-cycles.py [crates-dir]   (default: crates/ next to this script's parent)
"""

import re
import sys
from pathlib import Path

STRING = re.compile(r'r(#*)"(?:.|\n)*?"\1|b?"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])\'', re.S)
COMMENT = re.compile(r"//[^\n]*|/\*(?:.|\n)*?\*/", re.S)
PATH = re.compile(r"(?<![\w:])((?:crate|super|self)(?:::(?:super|\w+))*)(::\{)?")
INLINE_MOD = re.compile(r"\bmod\s+(\w+)\s*\{")


def strip(code: str) -> str:
    """The code without comments and string or char literals (kept as blanks, lines intact)."""
    code = COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), code)
    return STRING.sub(lambda m: '""', code)


def file_modules(src: Path) -> dict:
    """Each source file's module path (a tuple) in the crate rooted at `src`."""
    out = {}
    for f in src.rglob("*.rs"):
        rel = f.relative_to(src).with_suffix("")
        parts = list(rel.parts)
        if parts in (["lib"], ["main"]):
            parts = []
        elif parts[-1] == "mod":
            parts = parts[:-1]
        elif parts[0] == "bin":
            continue
        out[f] = tuple(parts)
    return out


def brace_groups(code: str, start: int) -> tuple:
    """The text of the `{…}` group opening at `start`, and the index after it."""
    depth = 0
    for i in range(start, len(code)):
        if code[i] == "{":
            depth += 1
        elif code[i] == "}":
            depth -= 1
            if depth == 0:
                return code[start + 1 : i], i + 1
    return code[start + 1 :], len(code)


def split_top(text: str) -> list:
    """Split a use-group's items at top-level commas."""
    items, depth, cur = [], 0, ""
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            items.append(cur)
            cur = ""
        else:
            cur += ch
    items.append(cur)
    return [i.strip() for i in items if i.strip()]


def expand(prefix: str, group: str) -> list:
    """`a::{b, c::{d, e}}` as the full paths a::b, a::c::d, a::c::e."""
    out = []
    for item in split_top(group):
        item = re.sub(r"\s+as\s+\w+$", "", item)
        if "{" in item:
            head, _, rest = item.partition("{")
            out += expand(prefix + "::" + head.rstrip(":").strip(), rest[: rest.rfind("}")])
        elif item not in ("self", "*"):
            out.append(prefix + "::" + item)
        else:
            out.append(prefix)
    return out


def resolve(path: str, here: tuple, modules: set):
    """The module a path points into, seen from module `here`; None when outside the crate."""
    parts = path.split("::")
    if parts[0] == "crate":
        base, rest = (), parts[1:]
    elif parts[0] == "self":
        base, rest = here, parts[1:]
    else:
        base, rest = here, parts
        while rest and rest[0] == "super":
            base, rest = base[:-1], rest[1:]
    target = base
    for p in rest:
        if target + (p,) in modules:
            target = target + (p,)
        else:
            break
    return target


def references(code: str):
    """(offset, path) for every crate-relative path in the code, use-groups expanded."""
    for m in PATH.finditer(code):
        if m.group(2):
            group, _ = brace_groups(code, m.end() - 1)
            for p in expand(m.group(1), group):
                yield m.start(), p
        else:
            yield m.start(), m.group(1)


def inline_scopes(code: str, here: tuple):
    """(start, end, module) for each inline `mod x { … }` (outermost first)."""
    out = []
    for m in INLINE_MOD.finditer(code):
        _, end = brace_groups(code, m.end() - 1)
        out.append((m.start(), end, m.group(1)))
    scopes = []
    for start, end, name in out:
        parents = [s for s in scopes if s[0] <= start and end <= s[1]]
        base = parents[-1][2] if parents else here
        scopes.append((start, end, base + (name,)))
    return scopes


def crate_graph(src: Path) -> dict:
    files = file_modules(src)
    codes = {f: strip(f.read_text(encoding="utf-8")) for f in files}
    modules = set(files.values())
    for f, here in files.items():
        for _, _, m in inline_scopes(codes[f], here):
            modules.add(m)
    edges = {m: set() for m in modules}
    for f, here in files.items():
        code = codes[f]
        scopes = inline_scopes(code, here)
        for at, path in references(code):
            inner = [s for s in scopes if s[0] <= at < s[1]]
            origin = inner[-1][2] if inner else here
            target = resolve(path, origin, modules)
            descendant = target[: len(origin)] == origin
            if target is not None and not descendant:
                edges[origin].add(target)
    return edges


def cycles(edges: dict) -> list:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def name(m: tuple) -> str:
    return "::".join(m) or "(crate root)"


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "crates"
    found = 0
    for crate in sorted(p for p in root.iterdir() if (p / "src").is_dir()):
        edges = crate_graph(crate / "src")
        for comp in cycles(edges):
            found += 1
            members = set(comp)
            print(f"{crate.name}: cycle among {', '.join(name(m) for m in comp)}")
            for m in comp:
                into = sorted(name(t) for t in edges[m] if t in members)
                print(f"    {name(m)} -> {', '.join(into)}")
    if found:
        print(f"{found} module cycle(s): break each by moving the shared item down into a module both can use")
        return 1
    print("no module cycles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
