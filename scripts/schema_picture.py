"""Draw the graph schema (labels and relationship types, from graph.dataformat) to docs/graph-model.png."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import networkx as nx

from api.notebook import setup_fonts
from graph.dataformat import BY_NAME, TABLES

ZH = {"County": "县", "Street": "街道", "Community": "社区", "Compound": "小区", "Grid": "网格", "Building": "楼栋",
      "PartyOrg": "党组织", "Person": "人员", "CentralHousehold": "党员中心户", "Agency": "机关单位",
      "Project": "书记项目", "Department": "部门", "Demand": "群众诉求"}


def schema_graph() -> nx.MultiDiGraph:
    S = nx.MultiDiGraph()
    S.add_edge("Street", "County", type="IN_COUNTY")
    for t in TABLES:
        if t.rel:
            a, b = t.refs
            S.add_edge(BY_NAME[a.refs[0]].label, BY_NAME[b.refs[0]].label, type=t.rel)
            continue
        for c in t.refs:
            for target in c.refs:
                S.add_edge(t.label, BY_NAME[target].label, type=c.rel)
    return S


def main() -> None:
    font = setup_fonts()
    S = schema_graph()
    pos = {"County": (0, 4), "Street": (0, 3), "Community": (0, 2), "Compound": (-2.2, 1), "Grid": (0.6, 1),
           "Building": (-1, 0), "PartyOrg": (-3.4, 2.6), "Person": (2.8, 1.6), "CentralHousehold": (-3.2, 0),
           "Agency": (3.4, 3.2), "Project": (1.8, 3.8), "Department": (2.6, -0.4), "Demand": (1.2, -0.2)}
    fig, ax = plt.subplots(figsize=(15, 10))
    nx.draw_networkx_nodes(S, pos, ax=ax, node_size=2600, node_color="#f3e3e3", edgecolors="#C00000")
    nx.draw_networkx_labels(S, pos, ax=ax, labels={n: f"{ZH[n]}\n{n}" for n in S}, font_size=9, font_family=font)
    seen: dict[tuple[str, str], list[str]] = {}
    for u, v, d in S.edges(data=True):
        seen.setdefault((u, v), []).append(d["type"])
    for (u, v), types in sorted(seen.items()):
        rad = 0.0 if u != v else 0.3
        nx.draw_networkx_edges(S, pos, edgelist=[(u, v)], ax=ax, arrows=True, arrowsize=14, node_size=2600,
                               edge_color="#777777", connectionstyle=f"arc3,rad={0.08 if (v, u) in seen else rad}")
        (x1, y1), (x2, y2) = pos[u], pos[v]
        ax.text((x1 + x2) / 2, (y1 + y2) / 2 + (0.75 if u == v else 0), "\n".join(sorted(set(types))),
                fontsize=7, color="#2e6fbd",
                ha="center", va="center", bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})
    ax.set_title("orgnet 图模型 / the graph model: node labels and relationship types", fontsize=14)
    ax.axis("off")
    out = Path(__file__).resolve().parent.parent / "docs" / "graph-model.png"
    fig.savefig(out, dpi=90, bbox_inches="tight")
    print(out)


if __name__ == "__main__":
    main()
