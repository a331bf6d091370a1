"""A list of literal words as one regular expression shaped like a trie.

Python's `re` tries the alternatives of `a|b|c...` one after another at every place in the text,
so a list of a few hundred words costs a few hundred checks per character. The same words as a
trie ("п(?:ожалуйста|лиз)") cost one check per letter read. Longer words are still preferred: at
a word that is also the start of a longer one, the longer is tried first (as with the words
sorted longest first), and the caller's lookarounds decide, by backtracking, where it ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_Node = dict[str, "_Node"]
_END = ""


def trie_source(words: Iterable[str]) -> str:
    """Regex source that matches exactly the given words (taken literally)."""
    root: _Node = {}
    for word in words:
        if not word:
            raise ValueError("an empty word would match everywhere")
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}
    return "(?:" + _source(root) + ")"


def _source(node: _Node) -> str:
    branches = [re.escape(char) + _source(child) for char, child in sorted(node.items()) if char != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if _END in node else body
