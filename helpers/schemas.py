"""The curated tables' columns, types and allowed values, declared once with pandera.

Each table of ``data/`` has a :class:`TableSpec`: its file name, its identifier column and a
pandera schema. The loaders in :mod:`helpers.data` read every file through these specs, so the
data dictionary in ``data/README.md``, the loaders and the tests all refer to one definition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from helpers.vocabulary import (  # re-exported: the schemas are built from them
    ANTIBODIES,
    ANTIBODY_CLASSES,
    CHECK_LEVELS,
    DESIGNS,
    DIRECTIONS,
    DOMAINS,
    DRUGS,
    FOLLOWUP_BASES,
    ID_PATTERN,
    MSAS,
    REPORTING,
    SEXES,
    STATISTICS,
    TREATMENT_CLASSES,
)


def _category(values: tuple[str, ...]) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(list(values), ordered=False)


def _text(*, nullable: bool = False, **kwargs: object) -> pa.Column:
    return pa.Column("str", nullable=nullable, **kwargs)  # type: ignore[arg-type]


def _ident(*, nullable: bool = False, unique: bool = False) -> pa.Column:
    return pa.Column("str", pa.Check.str_matches(ID_PATTERN), nullable=nullable, unique=unique)


def choice(values: tuple[str, ...], *, nullable: bool = False) -> pa.Column:
    """A categorical column that accepts only ``values`` (kept in that order), for any table."""
    return pa.Column(_category(values), pa.Check.isin(list(values)), nullable=nullable, coerce=True)


def _count(*, nullable: bool = True, minimum: int = 0) -> pa.Column:
    return pa.Column("Int64", pa.Check.ge(minimum), nullable=nullable, coerce=True)


def _number(*, nullable: bool = True, minimum: float | None = 0.0) -> pa.Column:
    checks = [pa.Check.ge(minimum)] if minimum is not None else []
    return pa.Column("Float64", checks, nullable=nullable, coerce=True)


def _flag() -> pa.Column:
    return pa.Column("boolean", nullable=True, coerce=True)


@dataclass(frozen=True)
class TableSpec:
    """How one curated table is stored and checked.

    ``id_column`` names the column that identifies a row in error messages (and must be unique
    when ``unique_id`` is true); ``flags`` lists the ``true``/``false`` columns, which the loader
    turns into booleans before validation.
    """

    name: str
    schema: pa.DataFrameSchema
    id_column: str
    unique_id: bool = True
    flags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def columns(self) -> list[str]:
        return list(self.schema.columns)


def _schema(name: str, columns: dict[str, pa.Column]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(columns, name=name, strict=True, ordered=False)


STUDIES = TableSpec(
    "studies",
    _schema(
        "studies",
        {
            "study_id": _ident(unique=True),
            "first_author": _text(),
            "year": pa.Column("Int64", pa.Check.in_range(1990, 2100), coerce=True),
            "review_ref": _count(nullable=True, minimum=1),
            "design": choice(DESIGNS),
            "n_patients": _count(nullable=False, minimum=1),
            "n_female": _count(),
            "drugs": _text(checks=pa.Check.str_matches(r"^[a-z]+(;[a-z]+)*$")),
            "followup_weeks": _number(nullable=False),
            "followup_basis": choice(FOLLOWUP_BASES),
            "followup_min_weeks": _number(),
            "followup_max_weeks": _number(),
            "journal": _text(),
            "doi": _text(checks=pa.Check.str_matches(r"^10\.\d{4,9}/\S+$")),
            "doi_checked": choice(CHECK_LEVELS),
            "pmid": _text(nullable=True, checks=pa.Check.str_matches(r"^\d{6,9}$")),
            "citation": _text(),
        },
    ),
    id_column="study_id",
)

GROUPS = TableSpec(
    "groups",
    _schema(
        "groups",
        {
            "group_id": _ident(unique=True),
            "study_id": _ident(),
            "drug": choice(DRUGS),
            "n_patients": _count(nullable=False, minimum=1),
            "n_female": _count(),
            "percent_of_study_reported": _number(),
            "reporting": choice(REPORTING),
            "dose_as_reported": _text(nullable=True),
            "source": _ident(),
        },
    ),
    id_column="group_id",
)

PATIENTS = TableSpec(
    "patients",
    _schema(
        "patients",
        {
            "patient_id": _ident(unique=True),
            "study_id": _ident(),
            "group_id": _ident(),
            "label_in_source": _text(),
            "age_years": _number(nullable=True),
            "sex": choice(SEXES, nullable=True),
            "msa": choice(MSAS, nullable=True),
            "other_antibodies": _text(nullable=True),
            "ana_titre": _text(nullable=True, checks=pa.Check.str_matches(r"^1:\d+$")),
            "refractory": _flag(),
            "steroid_dependent": _flag(),
            "disease_duration_months": _number(),
            "source": _ident(),
            "note": _text(nullable=True),
        },
    ),
    id_column="patient_id",
    flags=("refractory", "steroid_dependent"),
)

AUTOANTIBODIES = TableSpec(
    "autoantibodies",
    _schema(
        "autoantibodies",
        {
            "study_id": _ident(),
            "group_id": _ident(),
            "antibody": choice(ANTIBODIES),
            "antibody_class": choice(ANTIBODY_CLASSES),
            "n_positive": _count(nullable=False),
            "n_tested": _count(nullable=False, minimum=1),
            "source": _ident(),
        },
    ),
    id_column="group_id",
    unique_id=False,
)

PRIOR_TREATMENTS = TableSpec(
    "prior_treatments",
    _schema(
        "prior_treatments",
        {
            "study_id": _ident(),
            "patient_id": _ident(),
            "treatment": _text(),
            "treatment_class": choice(TREATMENT_CLASSES),
            "as_printed": _text(),
            "source": _ident(),
        },
    ),
    id_column="patient_id",
    unique_id=False,
)

CHARACTERISTICS = TableSpec(
    "characteristics",
    _schema(
        "characteristics",
        {
            "study_id": _ident(),
            "group_id": _ident(nullable=True),
            "characteristic": _text(),
            "statistic": choice(STATISTICS),
            "value": _number(nullable=False),
            "unit": _text(),
            "n": _count(nullable=False, minimum=1),
            "percent_reported": _number(),
            "as_printed": _text(),
            "source": _ident(),
        },
    ),
    id_column="study_id",
    unique_id=False,
)

OUTCOMES = TableSpec(
    "outcomes",
    _schema(
        "outcomes",
        {
            "outcome_id": _ident(unique=True),
            "study_id": _ident(),
            "group_id": _ident(nullable=True),
            "patient_id": _ident(nullable=True),
            "subgroup": _text(nullable=True),
            "domain": choice(DOMAINS),
            "measure": _text(),
            "timepoint_weeks": _number(),
            "direction": choice(DIRECTIONS),
            "n_assessed": _count(minimum=1),
            "n_improved": _count(),
            "n_events": _count(),
            "percent_reported": _number(),
            "value_before": _number(minimum=None),
            "value_after": _number(minimum=None),
            "unit": _text(nullable=True),
            "p_value": pa.Column("Float64", pa.Check.in_range(0, 1), nullable=True, coerce=True),
            "as_reported": _text(),
            "source": _ident(),
        },
    ),
    id_column="outcome_id",
)

SOURCES = TableSpec(
    "sources",
    _schema(
        "sources",
        {
            "source_id": _ident(unique=True),
            "citation": _text(),
            "locator": _text(checks=pa.Check.str_matches(r"^(doi|pmid|pmc|url):\S+$")),
            "checked": choice(CHECK_LEVELS),
            "note": _text(nullable=True),
        },
    ),
    id_column="source_id",
)

#: Every curated table, in the order the loaders read them.
TABLES: tuple[TableSpec, ...] = (
    SOURCES,
    STUDIES,
    GROUPS,
    PATIENTS,
    AUTOANTIBODIES,
    PRIOR_TREATMENTS,
    CHARACTERISTICS,
    OUTCOMES,
)
