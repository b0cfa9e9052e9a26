"""The extraction on a Dask cluster (a real LocalCluster with two worker processes) gives the local tables."""
import pytest

pytest.importorskip("dask.distributed", reason="dask.distributed is a dependency of the kit; install it with pip install -e .")

from dask.distributed import Client, LocalCluster  # noqa: E402

import kit.pipeline.distributed  # noqa: E402
from kit.errors import KitError  # noqa: E402
from kit.paths import SEEDS  # noqa: E402
from kit.pipeline.runner import run  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        with Client(local.scheduler_address, set_as_default=False) as client:
            # Each process fingerprints the code once, when first asked; ask all of them now, together,
            # so that a kit file saved by someone else during the test run cannot make them differ.
            client.run(kit.pipeline.distributed._fingerprint)
            kit.pipeline.distributed._fingerprint()
        yield local


def test_cluster_run_gives_the_same_tables_as_the_local_run(cluster, tmp_path):
    local = run([SEEDS], tmp_path / "local", cache_dir=tmp_path / "cache-local", progress=False)
    remote = run([SEEDS], tmp_path / "cluster", cache_dir=tmp_path / "cache-cluster", progress=False,
                 scheduler=cluster.scheduler_address)
    assert remote.cache_hits == 0
    for name, frame in local.tables.items():
        assert remote.tables[name].equals(frame), name
    for name in ("articles", "places", "casualty_claims", "attribution_claims", "events"):
        assert (tmp_path / "cluster" / f"{name}.csv").read_bytes() == (tmp_path / "local" / f"{name}.csv").read_bytes()
    again = run([SEEDS], tmp_path / "cluster", cache_dir=tmp_path / "cache-cluster", progress=False,
                scheduler=cluster.scheduler_address)
    assert again.cache_hits == 5  # cluster results are cached like local ones


def test_a_worker_with_other_code_is_refused(cluster):
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        kit.pipeline.distributed.check_workers(client)  # same code: fine
        with pytest.raises(KitError, match="different version of the kit"):
            kit.pipeline.distributed.check_workers(client, expected="0000000000000000")


def test_an_unreachable_scheduler_is_a_plain_error(monkeypatch):
    monkeypatch.setattr(kit.pipeline.distributed, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(KitError, match="could not be reached"):
        kit.pipeline.distributed.extract_on_cluster([object()], None, None, "tcp://127.0.0.1:9")
