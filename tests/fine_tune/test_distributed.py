"""Data-parallel fine-tuning: the fine-tune handler launched as 2 CPU workers (torchrun, torch
distributed with gloo) takes the same steps over the same number of examples as one worker, and
only the first worker logs; MPI launches (the cluster's mpijob) map onto torch's variables."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from genai_flow.fine_tune.distributed import from_launcher, is_main_process, per_worker_batch
from genai_flow.project import load_project

from ..helpers import ASSETS, REPO_ROOT, free_port
from .conftest import ticket_frame

PARAMS = {"max_examples": 8, "batch_size": 4, "max_steps": 0, "epochs": 1.0, "max_length": 320, "context_tokens": 0,
          "lora_dropout": 0.0, "seed": 0}


def test_two_gloo_workers_take_the_same_steps_over_the_same_examples_as_one(embedded_db, tmp_path):
    dataset = tmp_path / "masked.parquet"
    ticket_frame(train=8).to_parquet(dataset)
    single = load_project(REPO_ROOT).run_function(
        "fine-tune", inputs={"dataset": str(dataset)}, local=True,
        params={**PARAMS, "checkpoint_dir": str(tmp_path / "single")})
    alone = single.status.results
    assert (alone["workers"], alone["train_steps"], alone["examples_seen"]) == (1, 2, 8)

    launch = subprocess.run(
        [str(Path(sys.executable).with_name("torchrun")), "--nproc_per_node=2", f"--master_port={free_port()}",
         str(ASSETS / "distributed_fine_tune.py"), str(dataset),
         json.dumps({**PARAMS, "checkpoint_dir": str(tmp_path / "distributed")})],
        capture_output=True, text=True, timeout=600, cwd=REPO_ROOT,
    )
    assert launch.returncode == 0, launch.stderr[-3000:]
    uid = json.loads(launch.stdout.strip().splitlines()[-1])["uid"]
    together = embedded_db.read_run(uid, project="genai-flow")["status"]["results"]
    assert together["workers"] == 2
    assert (together["train_steps"], together["examples_seen"], together["train_examples"]) == (
        alone["train_steps"], alone["examples_seen"], alone["train_examples"])
    assert len(together["loss_per_step"]) == 2
    # Only the first worker logged a model: one model artifact per run, two runs.
    models = embedded_db.list_artifacts(project="genai-flow", kind="model")
    assert sorted(m["metadata"]["tree"] for m in models) == sorted([single.uid(), uid])


def test_an_mpi_launch_becomes_torch_distributed_variables(tmp_path):
    hostfile = tmp_path / "hostfile"
    hostfile.write_text("# MPI operator\nfine-tune-worker-0 slots=1\nfine-tune-worker-1 slots=1\n")
    environ = {"OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "2", "OMPI_COMM_WORLD_LOCAL_RANK": "0",
               "OMPI_MCA_orte_default_hostfile": str(hostfile)}
    assert from_launcher(environ) == 2
    assert {k: environ[k] for k in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT")} == {
        "RANK": "1", "WORLD_SIZE": "2", "LOCAL_RANK": "0", "MASTER_ADDR": "fine-tune-worker-0",
        "MASTER_PORT": "29500"}
    assert not is_main_process(environ)
    torchrun = {"RANK": "0", "WORLD_SIZE": "4", "OMPI_COMM_WORLD_SIZE": "9"}  # torchrun's own win
    assert from_launcher(torchrun) == 4 and is_main_process(torchrun)
    assert from_launcher({}) == 1


def test_a_batch_that_does_not_split_over_the_workers_is_refused():
    assert per_worker_batch(8, 2) == 4
    with pytest.raises(ValueError, match="batch_size 4 does not split evenly over 3 workers"):
        per_worker_batch(4, 3)
