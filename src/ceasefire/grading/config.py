"""The grading configuration: reliability per source, independence, credibility rules."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ceasefire.incidents.settings import Override, load_layered

ENV_VAR = "CEASEFIRE_GRADING_CONFIG"
Reliability = Literal["A", "B", "C", "D", "E", "F"]
RELIABILITY: tuple[Reliability, ...] = ("A", "B", "C", "D", "E", "F")
CREDIBILITY = (1, 2, 3, 4, 5, 6)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReliabilityConfig(_Strict):
    """Reliability A-F per source type and per source name."""

    by_source: dict[str, Reliability]
    by_source_name: dict[str, Reliability] = Field(default_factory=dict)
    default: Reliability = "F"


class IndependenceConfig(_Strict):
    """What makes two reports one source."""

    copied_text_ratio: float = Field(default=95, ge=0, le=100)
    self_origin: list[str] = Field(default_factory=list)


class CredibilityRule(_Strict):
    """Grade when at least `independent` groups are graded `min_reliability` or better."""

    grade: int = Field(ge=1, le=6)
    independent: int = Field(ge=0)
    min_reliability: Reliability = "F"


class Factors(_Strict):
    """Confidence factors in [0, 1] per reliability and per credibility grade."""

    reliability: dict[Reliability, float]
    credibility: dict[int, float]

    @model_validator(mode="after")
    def _complete(self) -> Factors:
        missing: list[str] = [r for r in RELIABILITY if r not in self.reliability]
        missing += [str(c) for c in CREDIBILITY if c not in self.credibility]
        if missing:
            raise ValueError(f"factors missing for {', '.join(missing)}")
        return self


class GradingConfig(_Strict):
    """The whole grading configuration (data/config/grading.yaml)."""

    version: int
    reliability: ReliabilityConfig
    independence: IndependenceConfig
    credibility: list[CredibilityRule]
    factors: Factors

    @model_validator(mode="after")
    def _catch_all(self) -> GradingConfig:
        if not any(rule.independent == 0 for rule in self.credibility):
            raise ValueError("credibility needs a last rule with independent: 0 (e.g. grade 6)")
        return self


def load_grading_config(override: Override = None) -> GradingConfig:
    """The packaged grading configuration with an override (path or mapping, else the file
    named by CEASEFIRE_GRADING_CONFIG) merged over it."""
    config, _ = load_layered(
        "grading", GradingConfig, override, ENV_VAR,
        open_maps={"reliability.by_source", "reliability.by_source_name"},
    )  # fmt: skip
    return config
