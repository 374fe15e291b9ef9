"""Issue 10, nothing hangs: `soyaku path --max-hops 8` is a bounded shortest-paths search, not an enumeration."""

from __future__ import annotations

import time

from soyaku.queries.paths import find_paths


def test_eight_hops_answer_without_enumerating_every_path(conn):
    started = time.monotonic()
    paths = find_paths(conn.driver, conn.database, "京都大学", "Ministry of Health", max_hops=8, limit=2)
    elapsed = time.monotonic() - started
    assert elapsed < 60, f"took {elapsed:.0f} s: the search is not bounded"  # enumerating ran for over 10 minutes
    assert len(paths) == 2
    lengths = [len(p.relationships) for p in paths]
    assert lengths == sorted(lengths) and lengths[0] <= 8
    assert paths[0].nodes[0]["name"] == "京都大学" and paths[0].nodes[-1]["id"] == paths[1].nodes[-1]["id"]
    assert all(r["type"] != "MENTIONS" for p in paths for r in p.relationships)


def test_paths_through_a_label_and_shortest_first(conn):
    paths = find_paths(conn.driver, conn.database, "橋渡し研究支援プログラム", "創薬ベンチャーエコシステム強化事業",
                       via="Startup", max_hops=6, limit=3)
    assert paths, "the seed graph links the two programs through a startup"
    for found in paths:
        assert any("Startup" in node["labels"] for node in found.nodes[1:-1])
        assert len(found.nodes) == len(found.relationships) + 1 == len({n["id"] for n in found.nodes})
    assert [len(p.relationships) for p in paths] == sorted(len(p.relationships) for p in paths)
