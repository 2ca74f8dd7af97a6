"""MLRun function `embed`: embed knowledge-base chunks with MiniLM into a Chroma collection."""

import json
from typing import Optional

import mlrun

from genai_flow.dataset_io import read_dataset
from genai_flow.embed import EmbedConfig, StoreLocation, index_chunks
from genai_flow.local_mode import is_local_mode
from genai_flow.model_loading import ModelConfig
from genai_flow.settings import get_settings


def embed_chunks(
    context: mlrun.MLClientCtx,
    dataset: mlrun.DataItem,
    collection: Optional[str] = None,
    types: Optional[list] = None,
    batch_size: Optional[int] = None,
    prune_changed: bool = True,
) -> None:
    """Embed dataset chunks (MiniLM) into a Chroma collection; only new content is embedded.

    Each chunk is stored under a hash of its id, subject and text with its metadata (id,
    source, type, split, subject, chunk), so a rerun on the same data adds nothing. The store
    is the folder ``<project>/.chroma`` unless ``GENAI_FLOW_CHROMA_URL`` names a Chroma server.

    :param dataset:       the (masked) dataset, with the columns of genai_flow.schema
    :param collection:    collection name, 3-63 characters (default: setting
                          chroma_collection, "knowledge-base")
    :param types:         row types to embed (default: setting embed_types, ["article"])
    :param batch_size:    chunks per encode + upsert step (default: setting
                          embed_batch_size, 32)
    :param prune_changed: remove the stored older version of a chunk whose text changed

    Outputs: ``collection`` (JSON: name, count, embedding model, location, added, skipped,
    ...) and ``rejected`` (rows that could not be embedded, with the reason, if any);
    results ``added``, ``skipped``, ``replaced``, ``total``, ``rows_rejected``, ``chunks_truncated``
    (chunks longer than the model reads, also named in a warning) and
    ``chunks_per_second``.
    """
    settings = get_settings()
    config = EmbedConfig.from_settings(settings, collection=collection, types=types, batch_size=batch_size)
    location = StoreLocation.from_settings(settings)
    if location.kind == "persistent" and not is_local_mode():
        context.logger.warning(
            f"writing the collection to {location} inside this job's container: set "
            "GENAI_FLOW_CHROMA_URL to a Chroma server so that serving can read it"
        )
    source = f"dataset {dataset.url or dataset.key}"
    report = index_chunks(
        read_dataset(dataset),
        config,
        location,
        ModelConfig.from_settings(settings),
        prune_changed=prune_changed,
        source=source,
    )
    summary = {"name": report.collection, "count": report.total, **report.summary()}
    context.logger.info(
        f"collection {report.collection} at {report.location}: {report.added} added, "
        f"{report.skipped} already stored, {report.replaced} replaced, {report.total} in all"
    )
    if report.truncated:
        context.logger.warning(
            f"{len(report.truncated)} chunks are longer than {report.embedding_model} reads, so only "
            f"their beginning is embedded: {', '.join(report.truncated[:10])}"
            + (" ..." if len(report.truncated) > 10 else "")
            + " (lower the data-prep setting chunk_tokens)"
        )
    if len(report.rejected):
        context.logger.warning(f"{len(report.rejected)} rows rejected (see the 'rejected' dataset)")
        context.log_dataset("rejected", df=report.rejected, format="csv", index=False)
    context.log_artifact(
        "collection", body=json.dumps(summary, indent=1), format="json", local_path="collection.json"
    )
    context.log_results(
        {
            "added": report.added,
            "skipped": report.skipped,
            "replaced": report.replaced,
            "total": report.total,
            "rows_rejected": len(report.rejected),
            "chunks_truncated": len(report.truncated),
            "chunks_per_second": round(report.added / report.seconds, 1) if report.seconds > 0 else 0.0,
        }
    )
