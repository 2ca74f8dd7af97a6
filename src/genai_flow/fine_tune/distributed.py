"""Data-parallel training on several workers: what each worker needs to know about the others.

Two launchers start the workers: ``torchrun`` (sets RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR,
MASTER_PORT) and MPI, as an MLRun ``mpijob`` does (OpenMPI sets OMPI_COMM_WORLD_*; the MPI
operator lists the workers' hosts in the hostfile, the first is rank 0). The Hugging Face
Trainer reads torch's variables, so MPI's are mapped onto them; each worker then trains on its
share of every batch (gloo on CPU, NCCL on GPUs) and the gradients are averaged.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import MutableMapping

DEFAULT_PORT = "29500"
_MPI = {"RANK": "OMPI_COMM_WORLD_RANK", "WORLD_SIZE": "OMPI_COMM_WORLD_SIZE",
        "LOCAL_RANK": "OMPI_COMM_WORLD_LOCAL_RANK"}


def from_launcher(environ: MutableMapping[str, str] = os.environ) -> int:
    """Fill torch's variables from an MPI launch (when torchrun did not set them); the world size."""
    if "WORLD_SIZE" not in environ and _MPI["WORLD_SIZE"] in environ:
        for torch_name, mpi_name in _MPI.items():
            environ[torch_name] = environ.get(mpi_name, "0")
        environ.setdefault("MASTER_ADDR", _first_host(environ.get("OMPI_MCA_orte_default_hostfile")))
        environ.setdefault("MASTER_PORT", DEFAULT_PORT)
    return world_size(environ)


def _first_host(hostfile: str | None) -> str:
    """Rank 0's host: the first line of the MPI hostfile (``host slots=N``), else this host."""
    if hostfile and Path(hostfile).is_file():
        for line in Path(hostfile).read_text().splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                return line.split()[0]
    return "127.0.0.1"


def world_size(environ: MutableMapping[str, str] = os.environ) -> int:
    return int(environ.get("WORLD_SIZE", "1"))


def is_main_process(environ: MutableMapping[str, str] = os.environ) -> bool:
    """Rank 0 logs the model and results; the other workers only train."""
    return int(environ.get("RANK", "0")) == 0


def per_worker_batch(batch_size: int, workers: int) -> int:
    """Each worker's share of a batch: ``batch_size`` stays the examples per optimizer step, so
    a run on N workers takes the same steps over the same examples as one on a single worker."""
    if batch_size % workers:
        raise ValueError(f"batch_size {batch_size} does not split evenly over {workers} workers")
    return batch_size // workers


def sum_over_workers(value: int) -> int:
    """``value`` summed over all workers (itself when training alone)."""
    import torch
    import torch.distributed as dist

    if not (dist.is_available() and dist.is_initialized()):
        return value
    total = torch.tensor([value], dtype=torch.long)
    dist.all_reduce(total)
    return int(total.item())
