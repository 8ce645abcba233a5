"""The curated tables' columns, types and allowed values, declared once with pandera.

Each table of ``data/`` has a :class:`TableSpec`: its file name, its identifier column and a
pandera schema. The loaders in :mod:`helpers.data` read every file through these specs, so the
data dictionary in ``data/README.md``, the loaders and the tests all refer to one definition.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from helpers import vocabulary as v  # the controlled vocabularies (allowed values)

#: Bounds of a case table (data/README.md): far above every value of it; sums cannot overflow.
MAX_COUNT = 10_000
MAX_WEEKS = 1_040  # 20 years
MAX_AGE_YEARS = 30  # JDM is a disease of childhood; room for young adults treated later
MAX_MONTHS = 360
MAX_VALUE = 1_000_000  # a measure in its own unit


def _within(low: float, high: float) -> pa.Check:
    """A range check whose failure reads "value 12 is not valid: it must be between 0 and 10"."""
    low_, high_ = (f"{x:,}" if abs(x) >= 10_000 else f"{x:g}" for x in (low, high))
    return pa.Check.in_range(low, high, error=f"must be between {low_} and {high_}.")


def _matches(pattern: str, words: str) -> pa.Check:
    """A pattern check whose failure says, in ``words``, what the value must be."""
    return pa.Check.str_matches(pattern, error=f"must be {words}.")


_ID_WORDS = "an identifier: lowercase letters, digits and _, starting with a letter (yu_2020)"
_LOCATOR_WORDS = "a locator such as doi:10.1186/…, pmid:34717683, pmc:PMC…, url:https://…"


def _text(*, nullable: bool = False, **kwargs: object) -> pa.Column:
    return pa.Column("str", nullable=nullable, **kwargs)  # type: ignore[arg-type]


def _ident(*, nullable: bool = False, unique: bool = False) -> pa.Column:
    return pa.Column("str", _matches(v.ID_PATTERN, _ID_WORDS), nullable=nullable, unique=unique)


def choice(values: tuple[str, ...], *, nullable: bool = False) -> pa.Column:
    """A categorical column that accepts only ``values`` (kept in that order), for any table."""
    dtype = pd.CategoricalDtype(list(values), ordered=False)
    return pa.Column(dtype, pa.Check.isin(list(values)), nullable=nullable, coerce=True)


def _count(*, nullable: bool = True, minimum: int = 0, maximum: int = MAX_COUNT) -> pa.Column:
    return pa.Column("Int64", _within(minimum, maximum), nullable=nullable, coerce=True)


def _number(*, nullable: bool = True, minimum: float = 0, maximum: float = MAX_VALUE) -> pa.Column:
    return pa.Column("Float64", _within(minimum, maximum), nullable=nullable, coerce=True)


#: A yes/no column (``true``/``false`` in the file, empty when not reported).
_FLAG = pa.Column("boolean", nullable=True, coerce=True)


@dataclass(frozen=True)
class TableSpec:
    """How one curated table is stored and checked.

    ``id_column`` names the column that identifies a row in error messages (and must be unique
    when ``unique_id`` is true).
    """

    name: str
    schema: pa.DataFrameSchema
    id_column: str
    unique_id: bool = True

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def columns(self) -> list[str]:
        return list(self.schema.columns)

    @property
    def flags(self) -> list[str]:
        """The yes/no columns (``true``/``false`` in the file), turned into booleans on loading."""
        return [name for name, c in self.schema.columns.items() if str(c.dtype) == "boolean"]


def _table(name: str, id_column: str, *, unique_id: bool = True, **columns: pa.Column) -> TableSpec:
    """The :class:`TableSpec` of ``data/<name>.csv``: exactly these columns, in any order."""
    schema = pa.DataFrameSchema(columns, name=name, strict=True, ordered=False)
    return TableSpec(name, schema, id_column, unique_id)


STUDIES = _table(
    "studies", "study_id",
    study_id=_ident(unique=True),
    first_author=_text(),
    year=_count(nullable=False, minimum=1990, maximum=2100),
    review_ref=_count(minimum=1, maximum=1000),
    design=choice(v.DESIGNS),
    n_patients=_count(nullable=False, minimum=1),
    n_female=_count(),
    drugs=_text(checks=_matches(r"^[a-z]+(;[a-z]+)*$", "drug names separated by ;")),
    followup_weeks=_number(nullable=False, maximum=MAX_WEEKS),
    followup_basis=choice(v.FOLLOWUP_BASES),
    followup_min_weeks=_number(maximum=MAX_WEEKS),
    followup_max_weeks=_number(maximum=MAX_WEEKS),
    journal=_text(),
    doi=_text(checks=_matches(r"^10\.\d{4,9}/\S+$", "a DOI such as 10.1186/s12969-021-00637-8")),
    doi_checked=choice(v.CHECK_LEVELS),
    pmid=_text(nullable=True, checks=_matches(r"^\d{6,9}$", "a PubMed id of 6 to 9 digits")),
    citation=_text(),
)

GROUPS = _table(
    "groups", "group_id",
    group_id=_ident(unique=True),
    study_id=_ident(),
    drug=choice(v.DRUGS),
    n_patients=_count(nullable=False, minimum=1),
    n_female=_count(),
    percent_of_study_reported=_number(maximum=100),
    reporting=choice(v.REPORTING),
    dose_as_reported=_text(nullable=True),
    source=_ident(),
)

PATIENTS = _table(
    "patients", "patient_id",
    patient_id=_ident(unique=True),
    study_id=_ident(),
    group_id=_ident(),
    label_in_source=_text(),
    age_years=_number(maximum=MAX_AGE_YEARS),
    sex=choice(v.SEXES, nullable=True),
    msa=choice(v.MSAS, nullable=True),
    other_antibodies=_text(nullable=True),
    ana_titre=_text(nullable=True, checks=_matches(r"^1:\d+$", "a titre such as 1:640")),
    refractory=_FLAG,
    steroid_dependent=_FLAG,
    disease_duration_months=_number(maximum=MAX_MONTHS),
    source=_ident(),
    note=_text(nullable=True),
)

AUTOANTIBODIES = _table(
    "autoantibodies", "group_id",
    study_id=_ident(),
    group_id=_ident(),
    antibody=choice(v.ANTIBODIES),
    antibody_class=choice(v.ANTIBODY_CLASSES),
    n_positive=_count(nullable=False),
    n_tested=_count(nullable=False, minimum=1),
    source=_ident(),
    unique_id=False,
)

PRIOR_TREATMENTS = _table(
    "prior_treatments", "patient_id",
    study_id=_ident(),
    patient_id=_ident(),
    treatment=_text(),
    treatment_class=choice(v.TREATMENT_CLASSES),
    as_printed=_text(),
    source=_ident(),
    unique_id=False,
)

CHARACTERISTICS = _table(
    "characteristics", "study_id",
    study_id=_ident(),
    group_id=_ident(nullable=True),
    characteristic=choice(v.CHARACTERISTICS),
    statistic=choice(v.STATISTICS),
    value=_number(nullable=False),
    unit=_text(),
    n=_count(nullable=False, minimum=1),
    percent_reported=_number(maximum=100),
    as_printed=_text(),
    source=_ident(),
    unique_id=False,
)

OUTCOMES = _table(
    "outcomes", "outcome_id",
    outcome_id=_ident(unique=True),
    study_id=_ident(),
    group_id=_ident(nullable=True),
    patient_id=_ident(nullable=True),
    subgroup=_text(nullable=True),
    domain=choice(v.DOMAINS),
    measure=_text(),
    timepoint_weeks=_number(maximum=MAX_WEEKS),
    direction=choice(v.DIRECTIONS),
    response_category=choice(v.RESPONSE_CATEGORIES, nullable=True),
    n_assessed=_count(minimum=1),
    n_improved=_count(),
    n_events=_count(),
    percent_reported=_number(maximum=100),
    value_before=_number(minimum=-MAX_VALUE),
    value_after=_number(minimum=-MAX_VALUE),
    unit=_text(nullable=True),
    p_qualifier=choice(v.P_QUALIFIERS, nullable=True),
    p_value=_number(maximum=1),
    as_reported=_text(),
    source=_ident(),
)

SOURCES = _table(
    "sources", "source_id",
    source_id=_ident(unique=True),
    citation=_text(),
    locator=_text(checks=_matches(r"^(doi|pmid|pmc|url):\S+$", _LOCATOR_WORDS)),
    checked=choice(v.CHECK_LEVELS),
    note=_text(nullable=True),
)

#: Murad et al.'s appraisal tool applied to each study: one row per study and item.
APPRAISAL = _table(
    "appraisal", "study_id",
    study_id=_ident(), item=choice(v.APPRAISAL_ITEMS), judgement=choice(v.JUDGEMENTS),
    evidence=_text(nullable=True, checks=_matches(r"^\S+(\s+\S+){0,24}$", "at most 25 words")),
    reason=_text(), source=_ident(), unique_id=False,
)

#: Every curated table, in the order the loaders read them.
TABLES: tuple[TableSpec, ...] = (SOURCES, STUDIES, GROUPS, PATIENTS, AUTOANTIBODIES,
                                 PRIOR_TREATMENTS, CHARACTERISTICS, OUTCOMES, APPRAISAL)

# --- The reference tables of notebooks 01 and 05 (not case data) ---------------------------------

_IDS = rf"^{v.ID_PATTERN[1:-1]}(;{v.ID_PATTERN[1:-1]})*$"
_TARGET = r"^(JAK[123]|TYK2)(/(JAK[123]|TYK2))?$"
_DRUG_LIST = rf"^({'|'.join(v.DRUGS)})(;({'|'.join(v.DRUGS)}))*$"

JAK_PATHWAY = _table(
    "jak_pathway", "element_id",
    element_id=_ident(unique=True),
    pathway=choice(v.PATHWAYS),
    kind=choice(v.KINDS),
    label=_text(),
    full_name=_text(),
    links_to=_text(nullable=True, checks=_matches(_IDS, "element ids separated by ;")),
    inhibited_by=_text(nullable=True, checks=_matches(_DRUG_LIST, "drug names separated by ;")),
    source=_text(checks=_matches(v.LOCATOR_PATTERN, _LOCATOR_WORDS)),
    drug_source=_text(nullable=True, checks=_matches(v.LOCATOR_PATTERN, _LOCATOR_WORDS)),
)

JAK_IC50 = _table(
    "jak_ic50", "drug",
    drug=choice(v.DRUGS),
    target=_text(checks=_matches(_TARGET, "JAK1, JAK2, JAK3 or TYK2, or a pair such as JAK1/JAK3")),
    assay_kind=choice(v.ASSAY_KINDS),
    qualifier=choice(("=", ">")),
    ic50_nM=_number(nullable=False, minimum=0.001, maximum=100_000),
    reported_as=_text(),
    level=choice(v.IC50_LEVELS),
    where_read=_text(),
    primary_reference=_text(nullable=True),
    unique_id=False,
)

LATER_EVIDENCE = _table(
    "later_evidence", "evidence_id",
    evidence_id=_ident(unique=True),
    source_short=_text(),
    year=_count(minimum=2000, maximum=2100),
    kind=choice(v.LATER_KINDS),
    population=_text(),
    drug=_text(),
    measure=_text(),
    unit=choice(v.LATER_UNITS),
    n_total=_count(minimum=1),
    n_with_outcome=_count(),
    percent_reported=_number(maximum=100),
    timepoint=_text(),
    as_reported=_text(),
    source=_text(checks=_matches(r"^(doi|pmid|pmc|url|nct):\S+$", _LOCATOR_WORDS)),
    checked=choice(v.CHECK_LEVELS),
)

#: The reference tables: read one with :func:`helpers.load_table` (validated and cached).
REFERENCE_TABLES: tuple[TableSpec, ...] = (JAK_PATHWAY, JAK_IC50, LATER_EVIDENCE)
