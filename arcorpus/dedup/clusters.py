"""Clustering verified pairs, and choosing the document a cluster keeps.

This module deliberately knows nothing about signatures or documents: integers and ids only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def connected_components(n: int, edges: Iterable[tuple[int, int]]) -> list[int]:
    """Component label of each of ``n`` items: the smallest item index in its component.

    Union-find with path halving; the labels depend only on the set of edges, not on their order.
    """
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(int(a)), find(int(b))
        if ra != rb:
            if ra < rb:
                parent[rb] = ra
            else:
                parent[ra] = rb
    return [find(x) for x in range(n)]


def choose_kept(members: Sequence[tuple[int, Any, int]]) -> int:
    """The input index of the member a cluster keeps.

    ``members`` are ``(input index, doc id, completeness score)``. Rule: the highest completeness score
    (the number of words in the cleaned document's matching key: the most complete text after cleaning),
    then the earliest in input order. Only that last tie-break depends on input order.
    """
    if not members:
        raise ValueError("choose_kept needs at least one member")
    return min(members, key=lambda m: (-m[2], m[0]))[0]
