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


class SourcePairConfig(_Strict):
    """Weights for pairs of two source families (e.g. ACLED against GDELT): what each
    feature says depends on who reports; features not listed keep their global weight."""

    offset: float = 0.0  # added to the score of every such pair
    weights: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _non_negative(self) -> SourcePairConfig:
        negative = sorted(k for k, v in self.weights.items() if v < 0)
        if negative:
            raise ValueError(
                f"weights must be >= 0 (got {negative[0]}: {self.weights[negative[0]]})"
            )
        return self


def pair_key(family_a: str, family_b: str) -> str:
    """The key of a pair of source families in `source_pairs`: the two names, sorted, joined
    by '-' ('acled-gdelt', 'gdelt-gdelt')."""
    return "-".join(sorted((family_a, family_b)))


class IncidentsConfig(_Strict):
    """The whole deduplication configuration (data/config/incidents.yaml)."""

    version: int
    candidates: CandidateConfig
    threshold: float  # two groups join when their pairs score this much on average
    link_threshold: float  # pairs scoring less are not kept as links
    unlinked_score: float  # what a pair that is not a link counts for in the average
    features: dict[str, FeatureConfig]
    source_pairs: dict[str, SourcePairConfig] = Field(default_factory=dict)
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

    def pair_weights(self, family_a: str, family_b: str) -> tuple[float, dict[str, float]]:
        """The offset and the weight of every configured feature for a pair of reports of
        these source families."""
        pair = self.source_pairs.get(pair_key(family_a, family_b))
        weights = {n: f.weight for n, f in self.features.items()}
        if pair is None:
            return 0.0, weights
        return pair.offset, {**weights, **{n: w for n, w in pair.weights.items() if n in weights}}


def load_incidents_config(override: Override = None) -> IncidentsConfig:
    """The packaged configuration, with an override (path or mapping, else the file named by
    CEASEFIRE_INCIDENTS_CONFIG) merged over it; feature names and params are checked."""
    from ceasefire.incidents.features import check_feature_config

    config, where = load_layered(
        "incidents", IncidentsConfig, override, ENV_VAR, open_maps={"source_pairs"}
    )
    check_feature_config(config, where)
    return config.model_copy(update={"source": where})
