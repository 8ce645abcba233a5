"""The curated tables' columns, types and allowed values, declared once with pandera.

Each table of ``data/`` has a :class:`TableSpec`: its file name, its identifier column and a
pandera schema. The loaders in :mod:`helpers.data` read every file through these specs, so the
data dictionary in ``data/README.md``, the loaders and the tests all refer to one definition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from helpers import vocabulary as v  # the controlled vocabularies (allowed values)


def _text(*, nullable: bool = False, **kwargs: object) -> pa.Column:
    return pa.Column("str", nullable=nullable, **kwargs)  # type: ignore[arg-type]


def _ident(*, nullable: bool = False, unique: bool = False) -> pa.Column:
    return pa.Column("str", pa.Check.str_matches(v.ID_PATTERN), nullable=nullable, unique=unique)


def choice(values: tuple[str, ...], *, nullable: bool = False) -> pa.Column:
    """A categorical column that accepts only ``values`` (kept in that order), for any table."""
    dtype = pd.CategoricalDtype(list(values), ordered=False)
    return pa.Column(dtype, pa.Check.isin(list(values)), nullable=nullable, coerce=True)


def _count(*, nullable: bool = True, minimum: int = 0) -> pa.Column:
    return pa.Column("Int64", pa.Check.ge(minimum), nullable=nullable, coerce=True)


def _number(*, nullable: bool = True, minimum: float | None = 0.0) -> pa.Column:
    checks = [pa.Check.ge(minimum)] if minimum is not None else []
    return pa.Column("Float64", checks, nullable=nullable, coerce=True)


#: A yes/no column (``true``/``false`` in the file, empty when not reported).
_FLAG = pa.Column("boolean", nullable=True, coerce=True)


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


def _table(
    name: str,
    id_column: str,
    columns: dict[str, pa.Column],
    checks: object = None,
    **kwargs: object,
) -> TableSpec:
    """The :class:`TableSpec` of ``data/<name>.csv``: exactly these columns, in any order."""
    schema = pa.DataFrameSchema(columns, checks, name=name, strict=True, ordered=False)
    return TableSpec(name, schema, id_column, **kwargs)  # type: ignore[arg-type]


STUDIES = _table(
    "studies",
    "study_id",
    {
        "study_id": _ident(unique=True),
        "first_author": _text(),
        "year": pa.Column("Int64", pa.Check.in_range(1990, 2100), coerce=True),
        "review_ref": _count(nullable=True, minimum=1),
        "design": choice(v.DESIGNS),
        "n_patients": _count(nullable=False, minimum=1),
        "n_female": _count(),
        "drugs": _text(checks=pa.Check.str_matches(r"^[a-z]+(;[a-z]+)*$")),
        "followup_weeks": _number(nullable=False),
        "followup_basis": choice(v.FOLLOWUP_BASES),
        "followup_min_weeks": _number(),
        "followup_max_weeks": _number(),
        "journal": _text(),
        "doi": _text(checks=pa.Check.str_matches(r"^10\.\d{4,9}/\S+$")),
        "doi_checked": choice(v.CHECK_LEVELS),
        "pmid": _text(nullable=True, checks=pa.Check.str_matches(r"^\d{6,9}$")),
        "citation": _text(),
    },
)

GROUPS = _table(
    "groups",
    "group_id",
    {
        "group_id": _ident(unique=True),
        "study_id": _ident(),
        "drug": choice(v.DRUGS),
        "n_patients": _count(nullable=False, minimum=1),
        "n_female": _count(),
        "percent_of_study_reported": _number(),
        "reporting": choice(v.REPORTING),
        "dose_as_reported": _text(nullable=True),
        "source": _ident(),
    },
)

PATIENTS = _table(
    "patients",
    "patient_id",
    {
        "patient_id": _ident(unique=True),
        "study_id": _ident(),
        "group_id": _ident(),
        "label_in_source": _text(),
        "age_years": _number(nullable=True),
        "sex": choice(v.SEXES, nullable=True),
        "msa": choice(v.MSAS, nullable=True),
        "other_antibodies": _text(nullable=True),
        "ana_titre": _text(nullable=True, checks=pa.Check.str_matches(r"^1:\d+$")),
        "refractory": _FLAG,
        "steroid_dependent": _FLAG,
        "disease_duration_months": _number(),
        "source": _ident(),
        "note": _text(nullable=True),
    },
    flags=("refractory", "steroid_dependent"),
)

AUTOANTIBODIES = _table(
    "autoantibodies",
    "group_id",
    {
        "study_id": _ident(),
        "group_id": _ident(),
        "antibody": choice(v.ANTIBODIES),
        "antibody_class": choice(v.ANTIBODY_CLASSES),
        "n_positive": _count(nullable=False),
        "n_tested": _count(nullable=False, minimum=1),
        "source": _ident(),
    },
    unique_id=False,
)

PRIOR_TREATMENTS = _table(
    "prior_treatments",
    "patient_id",
    {
        "study_id": _ident(),
        "patient_id": _ident(),
        "treatment": _text(),
        "treatment_class": choice(v.TREATMENT_CLASSES),
        "as_printed": _text(),
        "source": _ident(),
    },
    unique_id=False,
)

CHARACTERISTICS = _table(
    "characteristics",
    "study_id",
    {
        "study_id": _ident(),
        "group_id": _ident(nullable=True),
        "characteristic": _text(),
        "statistic": choice(v.STATISTICS),
        "value": _number(nullable=False),
        "unit": _text(),
        "n": _count(nullable=False, minimum=1),
        "percent_reported": _number(),
        "as_printed": _text(),
        "source": _ident(),
    },
    unique_id=False,
)

OUTCOMES = _table(
    "outcomes",
    "outcome_id",
    {
        "outcome_id": _ident(unique=True),
        "study_id": _ident(),
        "group_id": _ident(nullable=True),
        "patient_id": _ident(nullable=True),
        "subgroup": _text(nullable=True),
        "domain": choice(v.DOMAINS),
        "measure": _text(),
        "timepoint_weeks": _number(),
        "direction": choice(v.DIRECTIONS),
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
)

SOURCES = _table(
    "sources",
    "source_id",
    {
        "source_id": _ident(unique=True),
        "citation": _text(),
        "locator": _text(checks=pa.Check.str_matches(r"^(doi|pmid|pmc|url):\S+$")),
        "checked": choice(v.CHECK_LEVELS),
        "note": _text(nullable=True),
    },
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

# --- The reference tables of notebooks 01 and 05 (not case data) ---------------------------------

_IDS = rf"^{v.ID_PATTERN[1:-1]}(;{v.ID_PATTERN[1:-1]})*$"
_TARGET = r"^(JAK[123]|TYK2)(/(JAK[123]|TYK2))?$"
_DRUG_LIST = rf"^({'|'.join(v.DRUGS)})(;({'|'.join(v.DRUGS)}))*$"

JAK_PATHWAY = _table(
    "jak_pathway",
    "element_id",
    {
        "element_id": _ident(unique=True),
        "pathway": choice(v.PATHWAYS),
        "kind": choice(v.KINDS),
        "label": _text(),
        "full_name": _text(),
        "links_to": pa.Column("str", pa.Check.str_matches(_IDS), nullable=True),
        "inhibited_by": pa.Column("str", pa.Check.str_matches(_DRUG_LIST), nullable=True),
        "source": pa.Column("str", pa.Check.str_matches(v.LOCATOR_PATTERN)),
        "drug_source": pa.Column("str", pa.Check.str_matches(v.LOCATOR_PATTERN), nullable=True),
    },
)

JAK_IC50 = _table(
    "jak_ic50",
    "drug",
    {
        "drug": choice(v.DRUGS),
        "target": pa.Column("str", pa.Check.str_matches(_TARGET)),
        "assay_kind": choice(v.ASSAY_KINDS),
        "qualifier": choice(("=", ">")),
        "ic50_nM": pa.Column("Float64", pa.Check.gt(0), coerce=True),
        "reported_as": _text(),
        "level": choice(v.IC50_LEVELS),
        "where_read": _text(),
        "primary_reference": _text(nullable=True),
    },
    unique_id=False,
)

LATER_EVIDENCE = _table(
    "later_evidence",
    "evidence_id",
    {
        "evidence_id": _ident(unique=True),
        "source_short": _text(),
        "year": pa.Column("Int64", pa.Check.in_range(2000, 2100), nullable=True, coerce=True),
        "kind": choice(v.LATER_KINDS),
        "population": _text(),
        "drug": _text(),
        "measure": _text(),
        "unit": choice(v.LATER_UNITS),
        "n_total": _count(minimum=1),
        "n_with_outcome": _count(),
        "percent_reported": pa.Column(
            "Float64", pa.Check.in_range(0, 100), nullable=True, coerce=True
        ),
        "timepoint": _text(),
        "as_reported": _text(),
        "source": pa.Column("str", pa.Check.str_matches(r"^(doi|pmid|pmc|url|nct):\S+$")),
        "checked": choice(v.CHECK_LEVELS),
    },
    checks=pa.Check(
        lambda df: (
            df["n_with_outcome"].isna()
            | df["n_total"].isna()
            | (df["n_with_outcome"] <= df["n_total"])
        ),
        error="n_with_outcome must not exceed n_total",
    ),
)

#: The reference tables: read one with :func:`helpers.load_table` (validated and cached).
REFERENCE_TABLES: tuple[TableSpec, ...] = (JAK_PATHWAY, JAK_IC50, LATER_EVIDENCE)
