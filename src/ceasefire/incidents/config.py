"""The deduplication configuration: candidate limits, feature weights and the threshold."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ceasefire.incidents.settings import Override, load_layered

ENV_VAR = "CEASEFIRE_INCIDENTS_CONFIG"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CandidateConfig(_Strict):
    """Which pairs are compared at all."""

    max_distance_km: float = Field(gt=0)
    max_time_gap_h: float = Field(ge=0)
    max_radius_km: float = Field(ge=0)
    max_interval_h: float = Field(ge=0)
    slab_days: float = Field(default=30, gt=0)


class FeatureConfig(_Strict):
    """A feature's weight and parameters."""

    weight: float = Field(ge=0)
    params: dict[str, Any] = Field(default_factory=dict)


class IncidentsConfig(_Strict):
    """The whole deduplication configuration (data/config/incidents.yaml)."""

    version: int
    candidates: CandidateConfig
    threshold: float  # two groups join when their pairs score this much on average
    link_threshold: float  # pairs scoring less are not kept as links
    unlinked_score: float  # what a pair that is not a link counts for in the average
    features: dict[str, FeatureConfig]
    exclusive_sources: list[str] = Field(default_factory=list)
    workers: int = Field(default=2, ge=1)
    source: str = Field(default="incidents.yaml", exclude=True)

    @model_validator(mode="after")
    def _ordered(self) -> IncidentsConfig:
        if not self.unlinked_score <= self.link_threshold <= self.threshold:
            raise ValueError(
                "unlinked_score <= link_threshold <= threshold must hold (got "
                f"{self.unlinked_score}, {self.link_threshold}, {self.threshold})"
            )
        return self

    def weight(self, name: str) -> float:
        """The weight of a feature (0 when it is not configured)."""
        feature = self.features.get(name)
        return feature.weight if feature is not None else 0.0


def load_incidents_config(override: Override = None) -> IncidentsConfig:
    """The packaged configuration, with an override (path or mapping, else the file named by
    CEASEFIRE_INCIDENTS_CONFIG) merged over it; feature names and params are checked."""
    from ceasefire.incidents.features import check_feature_config

    config, where = load_layered("incidents", IncidentsConfig, override, ENV_VAR, open_maps=set())
    check_feature_config(config, where)
    return config.model_copy(update={"source": where})
