"""The course's controlled vocabularies: the allowed values of the categorical columns, kept
apart from :mod:`helpers.schemas` so that notebooks can use them without importing pandera."""

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
STATISTICS = ("count", "mean", "sd", "median", "q1", "q3", "min", "max")  # q1, q3: an IQR's ends
#: What characteristics.csv may describe (notebooks 01 and 03 read some of them by name).
CHARACTERISTICS = ("age at onset", "age at JAK inhibitor start", "age (time point not stated)",
                   "disease duration before JAK inhibitor", "treatment duration",
                   "refractory disease", "new-onset disease", "glucocorticoid-dependent",
                   "ineffective prior treatment", "prior immunomodulatory drugs failed",
                   "indication: refractory muscle involvement",
                   "indication: ulcerative skin disease")  # fmt: skip
#: Mutually exclusive categories of one response measure (their counts go in n_events).
RESPONSE_CATEGORIES = ("complete response", "partial response", "no response")
P_QUALIFIERS = ("=", "<")  # p = 0.03, or p < 0.05 when only a bound is printed
CHECK_LEVELS = ("verified", "not independently confirmed")
#: The eight items of Murad et al.'s tool (BMJ Evid Based Med 2018;23:60-63, Table 1), in order.
APPRAISAL_ITEMS = ("1 selection", "2 exposure", "3 outcome", "4 other causes", "5 rechallenge",
                   "6 dose-response", "7 follow-up", "8 detail")  # fmt: skip
#: An item's answer; "not assessed": the paper could not be read (data/README.md).
JUDGEMENTS = ("yes", "no", "unclear", "not reported", "not assessed")

ID_PATTERN = r"^[a-z][a-z0-9_]*$"

# The reference tables of notebooks 01 and 05 (data/jak_pathway.csv, jak_ic50.csv,
# later_evidence.csv).
#: The three pathways of the pathway table, in the order the schematic draws them.
PATHWAYS = ("type I IFN", "type II IFN", "common γ-chain")
#: Kinds of element, from the outside of the cell to the nucleus.
KINDS = ("cytokine", "receptor chain", "kinase", "transcription factor", "complex",
         "DNA element", "gene programme")  # fmt: skip
JAKS = ("JAK1", "JAK2", "JAK3", "TYK2")
#: How an IC50 was measured: on one isolated kinase, or on a pair of JAKs.
ASSAY_KINDS = ("single enzyme", "JAK pair")
#: How far the course got towards an IC50 value's origin.
IC50_LEVELS = ("primary abstract", "secondary page")
LATER_KINDS = ("retrospective cohort", "literature review", "survey", "registered trial",
               "historical comparator")  # fmt: skip
LATER_UNITS = ("patients", "clinicians", "planned participants")
#: A source locator: ``doi:``, ``pmid:``, ``pmc:``, ``url:`` or ``reactome:`` then the identifier.
LOCATOR_PATTERN = r"^(doi|pmid|pmc|url|reactome):\S+$"

# The interferon score of notebook 01 (and the exercises of notebook 06). Rice et al. (Lancet
# Neurol 2013) summarised the expression of six interferon-stimulated genes as the median fold
# change against healthy controls, and called a score positive above 2.466.
#: The six genes of the Rice 2013 interferon score.
RICE_GENES: tuple[str, ...] = ("IFI27", "IFI44L", "IFIT1", "ISG15", "RSAD2", "SIGLEC1")
#: Rice 2013's positivity threshold: the mean + 2 SD of their healthy controls' scores.
RICE_THRESHOLD = 2.466
