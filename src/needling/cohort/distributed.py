"""Dask backend for trials: the same fixed chunks, computed on a local cluster or a remote scheduler."""

from __future__ import annotations

from needling.errors import InputError


def run_chunks(work, trial, tasks, seed: int, workers: int | None = None, scheduler: str | None = None, progress=None):
    """Compute ``work(trial, arm, chunk, size, seed)`` for every task on Dask; results come back in task order.

    Parameters
    ----------
    work : callable
        ``work(trial, arm, chunk, size, seed)``: one chunk of one arm, run on a worker.
    trial : Trial
        The trial, sent to every worker.
    tasks : list of (int, int, int)
        ``(arm, chunk, size)`` of each chunk.
    seed : int
        The trial's seed (each chunk derives its own from it).
    workers : int, optional
        Worker processes of a LocalCluster (default 2).
    scheduler : str, optional
        Address of an existing scheduler; then ``workers`` is ignored.
    progress : callable, optional
        Called with ``(done, total)`` as chunks finish.

    Returns
    -------
    list
        ``work``'s result for every task, in task order.

    Raises
    ------
    InputError
        For fewer than one worker, or a scheduler that cannot be reached.
    """
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="10s")
        else:
            if workers is not None and workers < 1:
                raise InputError(f"--workers {workers} is out of range; valid: >= 1", field="--workers")
            cluster = LocalCluster(
                n_workers=workers or 2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
            )
            client = Client(cluster)
    except (OSError, ValueError, TypeError) as exc:  # refused, timed out, or not an address at all
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(
            f"cannot reach the Dask scheduler {scheduler!r}: {first}; valid: an address like tcp://HOST:8786",
            field="--scheduler",
        ) from None
    try:
        futures = [client.submit(work, trial, a, c, size, seed, pure=False) for a, c, size in tasks]
        for done, _ in enumerate(as_completed(futures), start=1):
            if progress:
                progress(done, len(tasks))
        return client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
