"""The worked example in docs/ledger.md is what the code computes."""

from __future__ import annotations

import re
from pathlib import Path

from ceasefire.ledger import MemoryTree, Subtree, range_subtrees

from .vectors import RFC6962_LEAVES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "ledger.md").read_text(encoding="utf-8")
TREE = MemoryTree.from_entries(RFC6962_LEAVES[:7])
ROW = re.compile(r"^\| \((\d), (\d)\) \| (\w) \| [^|]+ \| `([0-9a-f]{64})` \|$", re.MULTILINE)


def named_hashes() -> dict[str, bytes]:
    return {name: bytes.fromhex(value) for _, _, name, value in ROW.findall(DOC)}


def test_every_subtree_in_the_table_has_the_hash_the_tree_stores() -> None:
    rows = ROW.findall(DOC)
    assert len(rows) == 2 * 7 - (7).bit_count()
    for level, index, name, value in rows:
        assert TREE.subtree_hash(int(level), int(index)).hex() == value, name


def test_the_roots_and_the_edge_node_in_the_example_are_the_computed_ones() -> None:
    assert f"`{TREE.root(7).hex()}`" in DOC
    assert f"`{TREE.root(3).hex()}`" in DOC
    edge = MemoryTree.from_entries(RFC6962_LEAVES[4:7]).root()
    assert f"l = node_hash(i, j)` =\n`{edge.hex()}`" in DOC
    assert range_subtrees(4, 7) == [Subtree(1, 2), Subtree(0, 6)]


def test_the_proofs_in_the_example_are_the_named_nodes_the_code_returns() -> None:
    names = named_hashes()
    names["l"] = MemoryTree.from_entries(RFC6962_LEAVES[4:7]).root()
    inclusion = re.search(r"\*\*Inclusion of leaf 4 in size 7\*\*: `\[([a-z, ]+)\]`", DOC)
    consistency = re.search(r"\*\*Consistency from size 3 to size 7\*\*: `\[([a-z, ]+)\]`", DOC)
    assert inclusion is not None and consistency is not None
    assert TREE.inclusion_proof(4) == [names[n] for n in inclusion.group(1).split(", ")]
    assert TREE.consistency_proof(3) == [names[n] for n in consistency.group(1).split(", ")]
