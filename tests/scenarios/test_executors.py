"""Sweeps give the same rows on any executor: sequential, a process pool, a Dask cluster."""

from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal

import pytest

from kim.components import Component
from kim.money import Euro
from kim.scenarios import SweepResult, grid, random_scenarios, sweep

RANGES = {
    "case_management_flat_rate": (55_000, 61_000),
    "coordination_flat_rate": (55_000, 61_000),
    "kim_budget": (60_000_000, 80_000_000),
}


def sequential() -> SweepResult:
    draws = random_scenarios(12, RANGES, year=2023, seed=3, step=Decimal(500))
    return sweep(draws, year=2023, progress=False)


def test_a_process_pool_gives_the_sequential_rows_in_order() -> None:
    draws = random_scenarios(12, RANGES, year=2023, seed=3, step=Decimal(500))
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = sweep(draws, year=2023, executor=pool, chunk_size=5, progress=False)
    assert pooled.executor == "ProcessPoolExecutor"
    assert [r.scenario for r in pooled.rows] == [f"draw-{i}" for i in range(12)]
    assert pooled.rows == sequential().rows


def test_a_dask_local_cluster_gives_the_sequential_rows() -> None:
    # Runs when the `cluster` extra (dask.distributed) is installed, else skips.
    distributed = pytest.importorskip("dask.distributed")
    rates = grid("case_management_flat_rate", [55_000, 57_000, 60_000], year=2023)
    with (
        distributed.LocalCluster(
            processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        result = sweep(
            rates, year=2023, executor=client.get_executor(), chunk_size=1, progress=False
        )
    assert result.executor == "ClientExecutor"
    # 57,000 € is the confirmed 2023 rate: the middle row is the baseline's total.
    assert [r.totals[Component.CASE_MANAGEMENT] for r in result.rows] == [
        Euro("37783107.18"),
        Euro("39089754.59"),
        Euro("40989200.48"),
    ]
    assert result.rows == sweep(rates, year=2023, progress=False).rows
