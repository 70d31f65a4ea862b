"""Load an agreement file: parse YAML, validate the models, check every reference."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ceasefire.agreement.bundled import resolve_agreement_path
from ceasefire.agreement.model import Agreement
from ceasefire.agreement.references import check_references
from ceasefire.agreement.validation_errors import format_key_path, problems_from
from ceasefire.agreement.yaml_source import read_yaml
from ceasefire.errors import AgreementError, Problem


def load_agreement(name_or_path: str | Path) -> Agreement:
    """Load and validate an agreement (bundled name or path); raise AgreementError with all
    problems found, each naming the file, line and key path."""
    path = resolve_agreement_path(name_or_path)
    doc = read_yaml(path)
    if not isinstance(doc.data, dict):
        raise AgreementError(
            [
                Problem(
                    str(path), "", "expected a YAML mapping of agreement keys (id, title, ...)", 1
                )
            ]
        )
    try:
        agreement = Agreement.model_validate(doc.data, context={"base_dir": path.parent})
    except ValidationError as exc:
        raise AgreementError(problems_from(exc, doc)) from None
    findings = check_references(agreement)
    if findings:
        raise AgreementError(
            [
                Problem(str(path), format_key_path(key), message, doc.line_of(key))
                for key, message in findings
            ]
        )
    agreement._source = path
    return agreement
