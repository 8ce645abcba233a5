"""The course's controlled vocabularies: the allowed values of the categorical columns.

They are kept apart from :mod:`helpers.schemas` (which builds the pandera schemas from them) so
that plotting and analysis code can use them without importing pandera, which is slow to
import and only needed when a table is validated.
"""

from __future__ import annotations

# Controlled vocabularies (documented in data/README.md). Categoricals keep this order.
DRUGS = ("baricitinib", "ruxolitinib", "tofacitinib")
SEXES = ("F", "M")
MSAS = ("NXP2", "TIF1-γ", "MDA5", "Mi-2", "none")
ANTIBODIES = (*MSAS[:-1], "Ro52", "ANA", "none")
ANTIBODY_CLASSES = ("myositis-specific", "myositis-associated", "antinuclear", "no MSA detected")
DESIGNS = ("case report", "case series", "retrospective cohort")
FOLLOWUP_BASES = ("assessment time point", "median follow-up")
REPORTING = ("patient-level", "aggregate")
TREATMENT_CLASSES = (
    "glucocorticoid",
    "conventional immunosuppressant",
    "biologic",
    "immunoglobulin",
    "apheresis",
    "other (vasodilator)",
)
DOMAINS = (
    "skin",
    "muscle",
    "global activity",
    "function",
    "IFN biomarker",
    "other biomarker",
    "steroid use",
    "safety",
)
DIRECTIONS = ("improved", "not improved", "worsened", "tolerated", "adverse event")
STATISTICS = ("count", "mean", "sd", "median", "min", "max")
CHECK_LEVELS = ("verified", "not independently confirmed")

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
