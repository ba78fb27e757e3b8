"""A province analysed county by county — here, on a real dask.distributed LocalCluster, with a worker killed —
gives exactly the report a single process gives for the whole province."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from api.distributed import analyze_province, executor
from graph.report import build_report
from loaders.generate import province, write_csv
from loaders.province import combine, county_paths, is_province
from loaders.validate import load_dataset


def make_province(root: Path, counties: int, seed: int, scale: float = 0.04) -> Path:
    for code, _name, tables in province(counties, scale, seed):
        write_csv(tables, root / code)
    return root


def single_process(path: Path) -> dict[str, Any]:
    ds = combine([(p.name, load_dataset(p)) for p in county_paths(path)])
    return build_report(ds)


def same(a: dict[str, Any], b: dict[str, Any]) -> None:
    diff = next(((x, y) for x, y in zip(a["findings"], b["findings"], strict=True) if x != y), None)
    assert diff is None, {k: (diff[0][k], diff[1][k]) for k in diff[0] if diff[0][k] != diff[1].get(k)}
    assert a["summary"] == b["summary"]
    assert a["dataset"] == b["dataset"]
    assert a["as_of"] == b["as_of"]
    assert a["ranking"] == b["ranking"]


@pytest.mark.parametrize("seed", [1, 7, 2026])
def test_counties_one_after_another_equal_one_process(tmp_path: Path, seed: int) -> None:
    path = make_province(tmp_path, 3, seed)
    assert is_province(path) and len(county_paths(path)) == 3
    outcome = analyze_province(path)
    assert not outcome.failed and outcome.report is not None
    want = single_process(path)
    assert len(want["findings"]) > 50 and want["plan"]["actions"]
    same(outcome.report, want)


@pytest.mark.cluster
def test_a_local_cluster_gives_the_same_report(tmp_path: Path) -> None:
    path = make_province(tmp_path, 4, 11)
    outcome = analyze_province(path, workers=2, memory_limit="2GiB")
    assert not outcome.failed and outcome.report is not None
    same(outcome.report, single_process(path))


@pytest.mark.cluster
def test_a_killed_worker_costs_only_a_retry(tmp_path: Path) -> None:
    path = make_province(tmp_path, 4, 5, scale=0.06)
    want = single_process(path)
    killed: list[int] = []
    with executor(workers=2, memory_limit="2GiB") as ex:
        client = ex.client  # type: ignore[union-attr]

        def kill_one_when_busy() -> None:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not killed:
                busy = [w for w, tasks in client.processing().items() if tasks]
                if busy:
                    pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                time.sleep(0.05)

        t = threading.Thread(target=kill_one_when_busy)
        t.start()
        from api import distributed

        outcome = distributed.analyze_province(path, scheduler=client.scheduler.address)
        t.join()
    assert killed, "no worker was killed"
    assert not outcome.failed and outcome.report is not None
    same(outcome.report, want)


def crash_on(monkeypatch: pytest.MonkeyPatch, county: Path) -> list[str]:
    """Make reading ``county`` fail the way a crash does (an unexpected error, every time); returns the tries."""
    import loaders.validate

    real, tries = loaders.validate.load_dataset, []

    def load(path: Path | str) -> Any:
        if Path(path) == county:
            tries.append(str(path))
            raise OSError("disk read error (injected by the test)")
        return real(path)

    monkeypatch.setattr(loaders.validate, "load_dataset", load)
    return tries


def test_a_county_that_keeps_failing_is_named_and_the_rest_reported(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_province(tmp_path, 3, 3)
    broken = county_paths(path)[1]
    tries = crash_on(monkeypatch, broken)
    outcome = analyze_province(path)
    assert len(tries) == 3
    assert [f["county"] for f in outcome.failed] == [broken.name]
    assert "3" in outcome.failed[0]["zh"] and "OSError" in outcome.failed[0]["en"]
    assert outcome.report is not None and outcome.report["problems"] == outcome.failed
    others = {p.name for p in county_paths(path)} - {broken.name}
    assert {f["subject"]["id"][:3] for f in outcome.report["findings"]} == others


def test_a_reference_into_another_county_is_named_as_crossing(tmp_path: Path) -> None:
    path = make_province(tmp_path, 2, 9)
    first, second = county_paths(path)
    grids = (second / "grids.csv").read_text(encoding="utf-8").splitlines()
    foreign = next(line.split(",")[0] for line in (first / "communities.csv").read_text(encoding="utf-8").splitlines()[1:])
    header, row = grids[0].split(","), grids[1].split(",")
    row[header.index("community_id")] = foreign
    (second / "grids.csv").write_text("\n".join([grids[0], ",".join(row), *grids[2:]]) + "\n", encoding="utf-8")
    outcome = analyze_province(path)
    assert [f["county"] for f in outcome.failed] == [second.name]
    crossing = [p for p in outcome.failed[0]["problems"] if p["value"] == foreign]
    assert crossing and "跨县" in crossing[0]["zh"] and first.name in crossing[0]["en"]


def test_the_cli_runs_a_province_and_exits_non_zero_when_a_county_fails(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from typer.testing import CliRunner

    from api.cli import app

    path = make_province(tmp_path / "p", 2, 4)
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["analyze", str(path), "-f", "json", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text(encoding="utf-8"))["findings"] == single_process(path)["findings"]
    whole = json.loads(out.read_text(encoding="utf-8"))
    county = whole["summary"]["streets"][-1]["county"]
    res = CliRunner().invoke(app, ["analyze", str(path), "--county", county, "-f", "json", "-o", str(out)])
    assert res.exit_code == 0, res.output
    part = json.loads(out.read_text(encoding="utf-8"))
    assert part["findings"] == [f for f in whole["findings"] if f["scope"]["county"] == county] != []
    res = CliRunner().invoke(app, ["analyze", str(path), "--county", "没有这个县", "-f", "json", "-o", str(out)])
    assert res.exit_code == 2 and "没有县「没有这个县」" in res.output
    crash_on(monkeypatch, county_paths(path)[0])
    res = CliRunner().invoke(app, ["analyze", str(path), "-f", "json", "-o", str(out)])
    assert res.exit_code == 1
    assert "X01" in res.output


def test_raw_betweenness_normalised_equals_the_library_s_normalised_values() -> None:
    from graph import centrality
    from graph.merge import normaliser
    from graph.network import Net, build_graph
    from loaders.generate import generate

    tmp = Path(__import__("tempfile").mkdtemp())
    write_csv(generate(seed=3), tmp)
    B = centrality.backbone(Net(build_graph(load_dataset(tmp))))
    raw, normalised = centrality.betweenness(B, normalized=False), centrality.betweenness(B)
    n = B.number_of_nodes()
    assert n > 100 and max(raw.values()) > 0
    assert all(abs(raw[p] / normaliser(n) - normalised[p]) < 1e-12 for p in B)


def test_rankings_merge_over_the_whole_backbone() -> None:
    from graph.centrality import MIN_BETWEENNESS
    from graph.merge import RAW, SIZE, merge_rankings, normaliser

    def row(p: str, raw: float) -> dict[str, Any]:
        return {"person_id": p, "betweenness": 0.0, RAW: raw}

    n = 100 + 60
    big = MIN_BETWEENNESS * normaliser(n)
    parts = [{SIZE: 100, "ranking": [row("a", 3 * big), row("c", big), row("d", big / 2)]},
             {SIZE: 60, "ranking": [row("b", 2 * big), row("e", big)]}]
    merged = merge_rankings(parts, top=3)
    assert [r["person_id"] for r in merged] == ["a", "b", "c"]  # ties by id; "d" under the threshold
    assert merged[0]["betweenness"] == round(3 * MIN_BETWEENNESS, 5) and RAW not in merged[0]



def test_a_province_loads_as_one_data_set_and_a_crossing_reference_is_refused(tmp_path: Path) -> None:
    from graph.errors import DataRefused
    from loaders.province import load_any

    path = make_province(tmp_path, 2, 8)
    ds = load_any(path)
    assert len({s["county"] for s in ds.rows("streets")}) == 2
    assert ds.counts()["grids"] == sum(load_dataset(p).counts()["grids"] for p in county_paths(path))
    first, second = county_paths(path)
    comm = (first / "communities.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    lines = (second / "compounds.csv").read_text(encoding="utf-8").splitlines()
    head, row = lines[0].split(","), lines[1].split(",")
    row[head.index("community_id")] = comm
    (second / "compounds.csv").write_text("\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(DataRefused) as refused:
        load_any(path)
    assert any(p.value == comm and "跨县" in p.zh for p in refused.value.problems)


@pytest.mark.neo4j
def test_a_province_loaded_into_neo4j_reports_what_its_counties_report(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from graph.store import datasets
    from loaders.province import load_any

    path = make_province(tmp_path, 3, 21)
    before = datasets.read_dataset(db)
    datasets.write_dataset(db, load_any(path))
    from_neo4j = build_report(datasets.read_dataset(db))
    merged = analyze_province(path).report
    assert merged is not None
    assert from_neo4j["findings"] == merged["findings"]
    assert from_neo4j["summary"] == merged["summary"]
    assert from_neo4j["ranking"] == merged["ranking"]
    datasets.write_dataset(db, before)  # the data set the other tests expect


@pytest.mark.neo4j
@pytest.mark.cluster
def before_counties(path: Path) -> list[dict[str, str]]:
    """Every street row of a province folder (each names its county)."""
    from loaders.province import load_any

    return load_any(path).rows("streets")


def test_report_workers_analyses_the_loaded_province_by_county_with_the_same_findings(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import json

    from typer.testing import CliRunner

    from api.cli import app
    from api.distributed import analyze_dataset
    from graph.report import build_report
    from graph.store import datasets
    from loaders.province import load_any

    path = make_province(tmp_path / "p", 3, 5)
    before = datasets.read_dataset(db)
    assert CliRunner().invoke(app, ["validate", str(path)]).exit_code == 0
    loaded = CliRunner().invoke(app, ["load", str(path), "--label", "province-test"])
    assert loaded.exit_code == 0, loaded.output
    assert datasets.current(db)["fingerprint"] == load_any(path).fingerprint  # type: ignore[index]
    try:
        one, parts = tmp_path / "one.json", tmp_path / "parts.json"
        assert CliRunner().invoke(app, ["report", "-f", "json", "-o", str(one)]).exit_code == 0
        res = CliRunner().invoke(app, ["report", "--workers", "2", "-f", "json", "-o", str(parts)])
        assert res.exit_code == 0, res.output
        a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (one, parts))
        # the plain report of several counties runs them one after another too: both equal one whole report
        whole = json.loads(json.dumps(build_report(datasets.read_dataset(db)), default=str, ensure_ascii=False))
        for x in (a, b):
            assert x["findings"] == whole["findings"] and x["as_of"] == whole["as_of"]
            assert x["ranking"] == whole["ranking"] and x["plan"] == whole["plan"]
            assert x["dataset"] == whole["dataset"]
        assert "X01" in res.output or "县" in res.output  # a progress line per county
        for kind, key in (("communities", "community_id"), ("streets", "street_id")):
            assert sorted(b["summary"][kind], key=lambda r: r[key]) == sorted(a["summary"][kind], key=lambda r: r[key])
        assert b["ranking"] == a["ranking"] and b["dataset"]["counts"] == a["dataset"]["counts"]
        # the workers read the counties' parts of the kept snapshot, cut once and kept beside it
        from graph.store.snapshots import archive

        kept = archive().get("province-test").path / "counties"
        index = json.loads((kept / "index.json").read_text(encoding="utf-8"))
        assert sorted(index["extracts"]) == sorted({s["county"] for s in before_counties(path)})
        stamp = (kept / "index.json").stat().st_mtime_ns
        again = tmp_path / "again.json"
        assert CliRunner().invoke(app, ["report", "--workers", "1", "-f", "json", "-o", str(again)]).exit_code == 0
        assert json.loads(again.read_text(encoding="utf-8"))["findings"] == a["findings"]
        assert (kept / "index.json").stat().st_mtime_ns == stamp  # reused, not cut again
        # without a snapshot of the current data set the data set is read from Neo4j and cut: the same findings
        assert CliRunner().invoke(app, ["history", "drop", "province-test"]).exit_code == 0
        read = tmp_path / "read.json"
        assert CliRunner().invoke(app, ["report", "--workers", "2", "-f", "json", "-o", str(read)]).exit_code == 0
        assert json.loads(read.read_text(encoding="utf-8"))["findings"] == a["findings"]
        # one after another in this process: the same again
        sequential = analyze_dataset(datasets.read_dataset(db))
        assert sequential.report is not None and sequential.report["findings"] == a["findings"]
        assert sequential.report["dataset"]["fingerprint"] == whole["dataset"]["fingerprint"]
    finally:
        datasets.write_dataset(db, before, wait=True)  # the data set the other tests expect
        CliRunner().invoke(app, ["history", "drop", "province-test"])
