"""The pii stage: real Presidio and spaCy (no mocks), the MLRun function, the CLI."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import mlrun
import pandas as pd
import pytest
from mlrun.runtimes.utils import RunError

from genai_flow.pii import SUPPORTED_ENTITIES, PiiConfig, PiiMasker, get_masker, mask_text
from genai_flow.pii.evaluation import LabeledText, load_labeled, score
from genai_flow.pii.masker import resolve_overlaps
from genai_flow.pii.table import mask_table
from genai_flow.project import load_project
from genai_flow.schema import COLUMNS
from genai_flow.settings import get_settings

from ..helpers import ASSETS, REPO_ROOT, run_cli

EVAL_DIR = REPO_ROOT / "data" / "pii_eval"
EVAL_SET = EVAL_DIR / "pii_eval.jsonl"
STRUCTURED = ["EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS", "US_SSN"]
NAMES_AND_PLACES = ["PERSON", "LOCATION", "ADDRESS"]


def eval_allow_list() -> list[str]:
    return (EVAL_DIR / "allow_list.txt").read_text(encoding="utf-8").split("\n")[:-1]


def config(**overrides) -> PiiConfig:
    """The settings' PII configuration with ``overrides`` (by field name)."""
    return PiiConfig.from_settings(**overrides)


def mask(text: str, **overrides):
    return mask_text(text, config(**overrides))


@pytest.fixture(scope="module")
def labeled() -> list[LabeledText]:
    return load_labeled(EVAL_SET)


@pytest.fixture(scope="module")
def masker() -> PiiMasker:
    # The eval set's product and plan names are its company's vocabulary, not PII.
    return get_masker(config(allow_list=eval_allow_list()))


@pytest.fixture(scope="module")
def evaluated(labeled, masker):
    outputs = masker.mask_batch([record.text for record in labeled])
    return outputs, score(labeled, [entities for _, entities in outputs])


# ------------------------------------------------------------------------ evaluation set
def test_eval_set_is_the_generators_output_and_well_formed(labeled):
    spec = importlib.util.spec_from_file_location("pii_eval_generate", EVAL_DIR / "generate.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    expected = [json.dumps(r, ensure_ascii=False) for r in generator.generate()]
    assert EVAL_SET.read_text(encoding="utf-8").splitlines() == expected
    assert eval_allow_list() == generator.allow_list()

    assert len(labeled) >= 300
    clean = [r for r in labeled if not r.entities]
    assert len(clean) >= 60  # texts with no PII at all
    types = {e["type"] for r in labeled for e in r.entities}
    assert types == set(SUPPORTED_ENTITIES)
    for record in labeled:  # spans point at real text, without stray spaces
        for entity in record.entities:
            value = record.text[entity["start"] : entity["end"]]
            assert value == value.strip() and value, (record.id, entity)


def test_load_labeled_names_the_bad_line(tmp_path):
    path = tmp_path / "labels.jsonl"
    path.write_text('{"text": "ok", "entities": []}\n{"text": "short", "entities": '
                    '[{"type": "PERSON", "start": 2, "end": 99}]}\n')
    with pytest.raises(ValueError, match=r"labels.jsonl:2: bad entity"):
        load_labeled(path)


# ----------------------------------------------------------------------------- detection
@pytest.mark.parametrize("entity", STRUCTURED)
def test_recall_on_structured_pii_is_at_least_95_percent(evaluated, entity):
    _, result = evaluated
    assert result.per_type[entity]["labeled"] >= 30
    assert result.per_type[entity]["recall"] >= 0.95, [m for m in result.misses if m["type"] == entity]


@pytest.mark.parametrize("entity", NAMES_AND_PLACES)
def test_recall_on_names_and_places_is_at_least_85_percent(evaluated, entity):
    _, result = evaluated
    assert result.per_type[entity]["labeled"] >= 50
    assert result.per_type[entity]["recall"] >= 0.85, [m for m in result.misses if m["type"] == entity]


def test_precision_and_leak_on_the_eval_set(evaluated):
    _, result = evaluated
    assert result.overall["precision"] >= 0.95, result.false_positives
    assert result.leaked_chars <= 0.02  # at most 2% of PII characters survive masking


def test_texts_without_pii_come_out_unchanged(labeled, evaluated):
    outputs, _ = evaluated
    changed = [
        (record.text, masked)
        for record, (masked, _) in zip(labeled, outputs)
        if not record.entities and masked != record.text
    ]
    assert changed == []


def test_us_phone_number_is_a_phone_not_uk_nhs():
    # 415-839-2608 passes the NHS mod-11 checksum: Presidio's default registry calls it UK_NHS
    # with score 1.0 (checked below on the same spaCy model); the tuned registry does not.
    from presidio_analyzer import AnalyzerEngine

    text = "Call me at 415-839-2608 after five."
    default = AnalyzerEngine(nlp_engine=get_masker(config()).analyzer.nlp_engine)
    assert "UK_NHS" in {r.entity_type for r in default.analyze(text, language="en")}

    masked, entities = mask(text)
    assert [(e["type"], text[e["start"] : e["end"]]) for e in entities] == [
        ("PHONE_NUMBER", "415-839-2608")
    ]
    assert masked == "Call me at <PHONE_NUMBER> after five."


def test_mask_text_reports_offsets_in_the_original_text():
    text = "Hi, I'm Kenji Watanabe. Mail kenji.w@proton.me or call +49 30 12345678."
    masked, entities = mask(text)
    found = {(e["type"], text[e["start"] : e["end"]]) for e in entities}
    assert found == {
        ("PERSON", "Kenji Watanabe"),
        ("EMAIL_ADDRESS", "kenji.w@proton.me"),
        ("PHONE_NUMBER", "+49 30 12345678"),
    }
    assert all(set(e) == {"type", "start", "end", "score"} and 0 < e["score"] <= 1 for e in entities)
    assert masked == "Hi, I'm <PERSON>. Mail <EMAIL_ADDRESS> or call <PHONE_NUMBER>."


def test_entities_and_threshold_choose_what_is_masked():
    text = "Priya Sharma (priya@example.org) reported it from 10.1.2.3."
    only_email, entities = mask(text, entities=["EMAIL_ADDRESS"])
    assert only_email == "Priya Sharma (<EMAIL_ADDRESS>) reported it from 10.1.2.3."
    assert [e["type"] for e in entities] == ["EMAIL_ADDRESS"]
    strict, _ = mask(text, score_threshold=0.99)  # only validated matches (score 1.0)
    assert strict == "Priya Sharma (<EMAIL_ADDRESS>) reported it from 10.1.2.3."
    with pytest.raises(ValueError, match="unknown PII entities: UK_NHS"):
        config(entities=["UK_NHS"])


def test_address_recognizer_masks_whole_blocks_in_any_case():
    from genai_flow.pii.address import AddressRecognizer

    address = AddressRecognizer()
    text = "Ship to 742 Evergreen Terrace, Springfield, IL 62704 please"
    found = [text[r.start : r.end] for r in address.analyze(text, ["ADDRESS"])]
    assert found == ["742 Evergreen Terrace, Springfield, IL 62704"]
    lower = text.lower()
    assert [lower[r.start : r.end] for r in address.analyze(lower, ["ADDRESS"])] == [
        "742 evergreen terrace, springfield, il 62704"
    ]


def test_overlapping_detections_resolve_to_the_container():
    from presidio_analyzer import RecognizerResult

    text = "221B Baker Street, London NW1 6XE"
    results = [
        RecognizerResult("ADDRESS", 0, len(text), 0.75),
        RecognizerResult("PERSON", 5, 10, 0.85),  # "Baker"
        RecognizerResult("LOCATION", 19, 25, 0.85),  # "London"
    ]
    assert [(r.entity_type, r.start, r.end) for r in resolve_overlaps(results, text)] == [
        ("ADDRESS", 0, len(text))
    ]


# ----------------------------------------------------------------------------- operators
CARD_TEXT = "Charge card 4111 1111 1111 1111 for Mr. Okafor."


def test_operator_replace_is_the_default():
    assert mask(CARD_TEXT)[0] == "Charge card <CREDIT_CARD> for Mr. <PERSON>."


def test_operator_mask():
    masked, _ = mask(CARD_TEXT, operator="mask")
    assert masked == "Charge card " + "*" * 19 + " for Mr. ******."
    partial, _ = mask(  # the hub pii-recognizer's (name, params) form
        CARD_TEXT, entity_operators={"CREDIT_CARD": ["mask", {"chars_to_mask": 15, "masking_char": "#"}]}
    )
    assert partial == "Charge card " + "#" * 15 + "1111 for Mr. <PERSON>."


def test_operator_hash_is_stable_with_a_salt_and_random_without():
    salt = "a-salt-of-16-chars-or-more"
    first, _ = mask(CARD_TEXT, operator="hash", hash_salt=salt)
    again, _ = mask(CARD_TEXT, operator="hash", hash_salt=salt)
    expected = hashlib.sha256(b"Okafor" + salt.encode()).hexdigest()
    assert first == again and first.endswith(f"Mr. {expected}.")
    unsalted = {mask(CARD_TEXT, operator="hash")[0] for _ in range(2)}
    assert len(unsalted) == 2 and "Okafor" not in "".join(unsalted)


def test_operator_redact_and_keep():
    redacted, _ = mask(CARD_TEXT, operator="redact")
    assert redacted == "Charge card  for Mr. ."
    kept, entities = mask(CARD_TEXT, entity_operators={"PERSON": "keep", "DEFAULT": "redact"})
    assert kept == "Charge card  for Mr. Okafor." and len(entities) == 2


def test_bad_operators_are_refused_with_the_choices():
    with pytest.raises(ValueError, match="unknown operator 'scramble' for PERSON: choose one of replace"):
        config(entity_operators={"PERSON": "scramble"})
    with pytest.raises(ValueError, match="names entities that are not detected: PASSPORT"):
        config(entity_operators={"PASSPORT": "mask"})


# ------------------------------------------------------------------------- configuration
def test_explicit_zero_and_empty_values_reach_the_config():
    settings = get_settings(pii_hash_salt="a-salt-of-16-chars-or-more")
    explicit = PiiConfig.from_settings(settings, score_threshold=0.0, allow_list=[], hash_salt="")
    assert (explicit.score_threshold, explicit.allow_list, explicit.hash_salt) == (0.0, [], "")
    defaults = PiiConfig.from_settings(settings)
    assert defaults.score_threshold == settings.pii_score_threshold > 0
    assert defaults.allow_list == settings.pii_allow_list != []
    assert defaults.hash_salt == "a-salt-of-16-chars-or-more"


def test_a_zero_threshold_and_an_empty_allow_list_are_honoured():
    street = "the form is at 42 elm street."  # a lower-case street line alone scores 0.3
    assert mask(street)[0] == street
    assert [e["type"] for e in mask(street, score_threshold=0.0)[1]] == ["ADDRESS"]
    browser = "Sync with Microsoft Teams fails in Chrome."  # spaCy reads Chrome as a place
    assert mask(browser)[0] == browser  # Chrome is on the settings' allow list
    assert "Chrome" not in mask(browser, allow_list=[])[0]


def test_no_entities_or_no_phone_regions_are_errors_not_defaults():
    with pytest.raises(ValueError, match="pii entities is empty: name the entity types"):
        config(entities=[])
    with pytest.raises(ValueError, match="phone_regions is empty"):
        config(phone_regions=[])
    assert config(entities=["EMAIL_ADDRESS"], phone_regions=[]).phone_regions == []
    with pytest.raises(TypeError, match="PiiMasker takes a PiiConfig"):
        PiiMasker({"entities": ["PERSON"]})


def test_config_survives_json_and_equal_configs_share_one_masker():
    original = config(entities=["person", "EMAIL_ADDRESS"], score_threshold=0.0,
                      entity_operators={"person": ["mask", {"chars_to_mask": 2}]})
    assert original.entities == ["PERSON", "EMAIL_ADDRESS"]
    rebuilt = PiiConfig(**json.loads(json.dumps(dataclasses.asdict(original))))
    assert rebuilt == original
    assert get_masker(rebuilt) is get_masker(original)
    assert get_masker(config(score_threshold=0.5)) is not get_masker(original)
    masked, _ = mask_text("Mail ana@gmx.net, thanks, Ana", rebuilt)
    assert masked == "Mail <EMAIL_ADDRESS>, thanks, **a"


# ------------------------------------------------------------------------------- offline
def test_nothing_reaches_the_network(tmp_path):
    # A fresh process with every non-loopback resolve/connect refused and recorded, and an
    # empty tldextract cache so that a cached suffix list cannot hide a download.
    result = run_cli_script(ASSETS / "pii" / "no_network_check.py", {"TLDEXTRACT_CACHE": str(tmp_path)})
    assert result["ours"] == []
    assert result["control"], "the guard did not see tldextract's own download attempt"
    assert "<EMAIL_ADDRESS> or <EMAIL_ADDRESS>" in result["masked"]
    assert "<IP_ADDRESS>" in result["masked"]


def run_cli_script(script: Path, env: dict) -> dict:
    import os
    import subprocess

    completed = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300,
        env={**os.environ, **env}, cwd=REPO_ROOT,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------- tables (plain)
def test_mask_table_keeps_columns_masks_numbers_and_rejects_non_text(masker):
    frame = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "text": ["Call Maria at (415) 839-2671", None, 4158392671, ["not", "text"]],
            "answer": ["Sure, Maria.", "ok", "", "fine"],
        }
    )
    table = mask_table(frame, ["text", "answer"], masker, progress=False)
    assert list(table.masked.columns) == ["id", "text", "answer"]
    assert table.masked["id"].tolist() == ["a", "b", "c"]  # "d" is rejected, not dropped silently
    assert table.masked["text"].tolist() == ["Call <PERSON> at <PHONE_NUMBER>", None, "<PHONE_NUMBER>"]
    assert table.rejected.to_dict("records") == [{"row": 3, "reason": "column 'text': list value is not text"}]


# ------------------------------------------------------------------ MLRun function (local)
def _ticket_frame(records: list[LabeledText]) -> pd.DataFrame:
    """Rows in the stage contract's columns, the eval texts as the customer's question."""
    return pd.DataFrame(
        [
            {"id": f"t{i}", "source": "tests", "type": "ticket", "split": "train",
             "subject": "Account question", "text": r.text,
             "answer": "Thanks, we are on it.", "chunk": 0}
            for i, r in enumerate(records)
        ],
        columns=COLUMNS,
    )


@pytest.fixture
def project(embedded_db):
    return load_project(REPO_ROOT)


def test_pii_function_masks_a_dataset_and_reports(project, labeled, tmp_path):
    records = [r for r in labeled if r.entities][:16] + [r for r in labeled if not r.entities][:4]
    dataset = tmp_path / "tickets.parquet"
    _ticket_frame(records).to_parquet(dataset)
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps({"text": r.text, "entities": r.entities}) + "\n"
                              for r in labeled[:120]))

    run = project.run_function(
        "pii",
        inputs={"dataset": str(dataset), "labels": str(labels)},
        params={"allow_list": eval_allow_list(), "sample_size": 5},
        local=True,
    )
    assert run.state() == "completed"
    results = run.status.results

    masked = mlrun.get_dataitem(run.outputs["masked"]).as_df()
    assert list(masked.columns) == COLUMNS and len(masked) == len(records)
    for record, text in zip(records, masked["text"]):
        for entity in record.entities:  # no labeled value survives (allowing for rare misses)
            value = record.text[entity["start"] : entity["end"]]
            if value in text:
                assert entity["type"] in NAMES_AND_PLACES, (value, text)
    assert masked["text"].str.contains("<").sum() == 16
    assert masked["text"].tolist()[16:] == [r.text for r in records[16:]]

    stats = mlrun.get_dataitem(run.outputs["pii_stats"]).as_df()
    assert stats["count"].sum() == results["entities_found"] > 16
    assert set(stats["column"]) == {"text"}
    page = mlrun.get_dataitem(run.outputs["highlighted"]).get().decode()
    assert page.count("<mark") >= 5  # the sample, highlighted
    for entity, count in stats.groupby("entity_type")["count"].sum().items():
        assert f"{entity}: {count}</span>" in page  # the legend, with counts
    entities_report = json.loads(mlrun.get_dataitem(run.outputs["pii_entities"]).get())
    assert len(entities_report) == results["rows_with_pii"] == 16
    assert results["rows"] == 20 and results["rows_rejected"] == 0

    for key in ("precision", "recall", "f1", "recall_person", "precision_email_address"):
        assert 0.85 <= results[key] <= 1.0, key
    assert project.get_artifact("pii-mask-pii_masked") is not None


def test_pii_function_refuses_a_missing_column(project, labeled, tmp_path):
    dataset = tmp_path / "tickets.csv"
    _ticket_frame(labeled[:3]).drop(columns=["answer"]).to_csv(dataset, index=False)
    with pytest.raises(RunError, match=r"is missing the column\(s\) answer \(it has: "):
        project.run_function("pii", inputs={"dataset": str(dataset)}, local=True)


def test_pii_function_refuses_an_empty_dataset(project, tmp_path):
    dataset = tmp_path / "empty.parquet"
    pd.DataFrame(columns=COLUMNS).astype(str).to_parquet(dataset)
    with pytest.raises(RunError, match="has no rows: nothing to mask"):
        project.run_function("pii", inputs={"dataset": str(dataset)}, local=True)


def test_pii_function_names_an_unreadable_source(project, tmp_path):
    dataset = tmp_path / "tickets.jsonl"
    dataset.write_text('{"text": "fine"}\nthis is not json\n')
    with pytest.raises(RunError, match=r"cannot read dataset .*tickets\.jsonl"):
        project.run_function("pii", inputs={"dataset": str(dataset)}, params={"columns": ["text"]},
                             local=True)


# ------------------------------------------------------------------------------------ CLI
def test_cli_masks_one_text():
    result = run_cli("pii", "Write to ana.souza@gmx.net or call 020 7946 0958, thanks, Ana")
    answer = json.loads(result.stdout)
    assert answer["masked"] == "Write to <EMAIL_ADDRESS> or call <PHONE_NUMBER>, thanks, <PERSON>"
    assert [e["type"] for e in answer["entities"]] == ["EMAIL_ADDRESS", "PHONE_NUMBER", "PERSON"]


def test_cli_honours_a_zero_threshold_and_refuses_no_entities():
    result = run_cli("pii", "--threshold", "0", "The form is at 42 Elm Street.")
    assert [e["type"] for e in json.loads(result.stdout)["entities"]] == ["ADDRESS"]
    refused = run_cli("pii", "--entities", "", "Call Ana", check=False)
    assert refused.returncode == 2 and "pii entities is empty" in refused.stderr


def test_cli_jsonl_keeps_order_and_reports_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": 1, "text": "My IBAN is GB33BUKB20201555555555"}),
        "{not json",
        json.dumps({"text": "No personal data here."}),
        json.dumps({"body": "no text key"}),
        json.dumps({"text": "Server 2001:db8::1 is down"}),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n")
    result = run_cli("pii", "--jsonl", str(source), check=False)
    assert result.returncode == 1
    assert "2 of 5 lines could not be masked" in result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 5
    assert out[0] == {"id": 1, "masked": "My IBAN is <IBAN_CODE>",
                      "entities": [{"type": "IBAN_CODE", "start": 11, "end": 33, "score": 1.0}]}
    assert out[1]["line"] == 2 and "not valid JSON" in out[1]["error"]
    assert out[2] == {"masked": "No personal data here.", "entities": []}
    assert out[3]["line"] == 4 and 'string "text"' in out[3]["error"]
    assert out[4]["masked"] == "Server <IP_ADDRESS> is down"
