"""The commands: evidence add|show|verify, incidents list|show|merge|split, violations status;
and `ceasefire run` registering its inputs and logging what it produced."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ceasefire.cli.main import app
from ceasefire.evidence import EvidenceStore
from ceasefire.resources import data_path

runner = CliRunner()
SAMPLE = data_path("events", "ucdp_ged_2023_sample_ua_ru.csv")
CLASH = "ucdp:275430"  # one of the two Minsk-era clashes in the sample


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run on the bundled sample, with a photo attached to a report before it."""
    folder = tmp_path_factory.mktemp("cli")
    invoke("run", "minsk-ii-2015", "--events", str(SAMPLE), "--out", str(folder), "--quiet")
    photo = folder / "crater.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    store = str(folder / "store.duckdb")
    invoke("evidence", "add", str(photo), "--store", store, "--from", "Patrol 7",
           "--channel", "upload", "--by", "duty officer", "--event", CLASH)  # fmt: skip
    invoke("run", "minsk-ii-2015", "--events", str(SAMPLE), "--out", str(folder), "--quiet")
    return folder


def test_run_registers_its_inputs_and_logs_its_outputs(out: Path) -> None:
    evidence = EvidenceStore.beside(out / "store.duckdb")
    entries = evidence.log.entries()
    actions = [e["action"] for e in entries]
    # the input once (same content both runs), each run's derivation, the photo and its link
    assert actions == ["received", "derived", "received", "attached", "derived"]
    assert entries[0]["sha256"] == sha256(SAMPLE) and entries[0]["from"] == "ucdp"
    last = entries[-1]
    assert last["inputs"] == [sha256(SAMPLE)]
    assert last["outputs"]["violations.csv"] == sha256(out / "violations.csv")
    assert last["outputs"]["summary.json"] == sha256(out / "summary.json")
    assert "store.duckdb" not in last["outputs"]
    assert evidence.verify().ok


def test_exported_findings_carry_the_hashes_to_reverify(out: Path) -> None:
    violations = pd.read_csv(out / "violations.csv", dtype=str, keep_default_na=False)
    photo = sha256(out / "crater.jpg")
    hashes = violations.set_index("event_id")["evidence_sha256"].str.split(";")
    assert set(hashes[CLASH]) == {sha256(SAMPLE), photo}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["evidence"]["attached"] == [photo]
    for sha in (photo, sha256(SAMPLE)):
        stored = EvidenceStore.beside(out / "store.duckdb").path_of(sha)
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha


def test_evidence_show_and_verify(out: Path) -> None:
    store = str(out / "store.duckdb")
    shown = json.loads(invoke("evidence", "show", sha256(SAMPLE)[:10], "--store", store, "--json"))
    assert [e["action"] for e in shown["entries"]] == ["received", "derived", "derived"]
    assert "ok: 5 entries chained" in invoke("evidence", "verify", "--store", store)
    unknown = runner.invoke(app, ["evidence", "show", "abcdef12", "--store", store])
    assert unknown.exit_code == 1 and "no evidence item 'abcdef12'" in unknown.output


def test_evidence_verify_fails_and_names_the_entry(tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    for k in range(3):
        note = tmp_path / f"note-{k}.txt"
        note.write_text(f"report {k}")
        invoke(
            "evidence",
            "add",
            str(note),
            "--store",
            str(store),
            "--from",
            "x",
            "--channel",
            "e-mail",
        )
    log = EvidenceStore.beside(store).log.path
    text = log.read_text().replace('"from":"x"', '"from":"y"', 1)
    log.write_text(text)
    result = runner.invoke(app, ["evidence", "verify", "--store", str(store)])
    assert result.exit_code == 1
    assert "entry 1 (line 1): content changed" in result.output


def test_incidents_commands(out: Path) -> None:
    store = str(out / "store.duckdb")
    listed = json.loads(
        invoke("incidents", "list", "--store", store, "--json", "--with-violations")
    )
    assert len(listed) == 2
    shown = json.loads(invoke("incidents", "show", CLASH, "--store", store, "--json"))
    assert shown["reports"] == 1 and shown["admiralty_code"] == "B2"
    assert shown["violations"][0]["status"] == "alleged"
    other = next(i["incident_id"] for i in listed if i["incident_id"] != shown["incident_id"])
    merged = json.loads(invoke("incidents", "merge", shown["incident_id"], other, "--store", store,
                               "--by", "analyst", "--reason", "test merge", "--json"))  # fmt: skip
    assert len(merged["incidents"]) == 1
    together = json.loads(invoke("incidents", "show", CLASH, "--store", store, "--json"))
    assert together["reports"] == 2 and together["judgements"][0]["by"] == "analyst"
    text = invoke("incidents", "show", CLASH, "--store", store)
    assert "judged positive" in text
    split = json.loads(invoke("incidents", "split", CLASH, "ucdp:423342", "--store", store,
                              "--by", "analyst", "--reason", "undo", "--json"))  # fmt: skip
    assert len(split["incidents"]) == 2
    bad = runner.invoke(app, ["incidents", "show", "inc-0000", "--store", store])
    assert bad.exit_code == 1 and "unknown incident 'inc-0000'" in bad.output
    missing = runner.invoke(app, ["incidents", "list", "--store", str(out / "nope.duckdb")])
    assert missing.exit_code == 1 and "no such store" in missing.output


def test_violations_status_command(out: Path) -> None:
    store = str(out / "store.duckdb")
    listed = json.loads(invoke("violations", "list", "--store", store, "--json"))
    violation = listed[0]["violation_id"]
    invoke("violations", "status", violation, "--store", store, "--set", "verified",
           "--reason", "crater analysis", "--by", "monitor")  # fmt: skip
    shown = json.loads(invoke("violations", "status", violation, "--store", store, "--json"))
    assert shown["status"] == "verified"
    assert shown["history"][-1]["who"] == "monitor"
    typo = runner.invoke(app, ["violations", "status", violation, "--store", store, "--set",
                               "dismised", "--reason", "x", "--by", "y"])  # fmt: skip
    assert typo.exit_code == 1 and "did you mean 'dismissed'" in typo.output
    no_reason = runner.invoke(
        app, ["violations", "status", violation, "--store", store, "--set", "dismissed"]
    )
    assert no_reason.exit_code == 1 and "--reason" in no_reason.output
