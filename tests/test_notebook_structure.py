"""Every notebook follows the course skeleton (notebooks/README.md) and is committed clean.

nbval proves that committed outputs are what the code produces; these tests close the gaps it
leaves: a never-executed cell is not compared, so execution counts must run 1..n; a notebook
must not install or download anything; and the teaching skeleton (title, disclaimer, aim,
set-up, key points, references, navigation, figure descriptions) must be there.
"""

from __future__ import annotations

import base64
import io
import itertools
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from PIL import Image

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
IDS = [p.name for p in PATHS]

#: H2 sections every notebook has, in this order (content sections go between them).
REQUIRED = ["Aim and learning objectives", "Setup", "Key points", "References"]
#: Extra H2 sections of the content notebooks (01-05): self-checks and journal-club prompts.
CONTENT_REQUIRED = ["Check your understanding", "Discussion prompts"]
DISCLAIMER = re.compile(r"educational use only.*not clinical guidance", re.I | re.S)
FORBIDDEN_CODE = {
    "installs packages": re.compile(r"^\s*[!%]\s*(pip|conda|mamba)\b", re.M),
    "downloads data": re.compile(r"https?://|urllib|requests\.get|sns\.load_dataset|wget|curl"),
    "patches sys.path": re.compile(r"sys\.path"),
    "hard-codes a machine path": re.compile(r"['\"](/|[A-Z]:\\)(home|work|tmp|Users|root)"),
}
#: nbgrader's lines in notebook 06 (region markers and the student's placeholder): not code.
NBGRADER_MARKUP = re.compile(r"^### (BEGIN|END) (SOLUTION|HIDDEN TESTS)$|^answer_\w+ = \.\.\.  #")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$", re.M)
LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]+)\)")
VAGUE_LINK_TEXT = {"here", "link", "this", "click here", "this link", "more"}


def _nb(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _markdown(nb: nbformat.NotebookNode) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def _headings(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for text in _markdown(nb):
        text = re.sub(r"```.*?```", "", text, flags=re.S)
        found += [(len(m.group(1)), m.group(2)) for m in HEADING.finditer(text)]
    return found


def test_there_are_notebooks() -> None:
    assert PATHS, "no numbered notebooks found in notebooks/"
    assert PATHS[0].name == "00_start_here.ipynb"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_title_and_disclaimer_open_the_notebook(path: Path) -> None:
    nb = _nb(path)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), (
        "the first cell must be markdown opening with the H1 title"
    )
    assert [h for h in _headings(nb) if h[0] == 1] == [_headings(nb)[0]], "exactly one H1"
    assert DISCLAIMER.search(first.source), "the first cell must carry the disclaimer"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_headings_do_not_skip_levels(path: Path) -> None:
    levels = [level for level, _ in _headings(_nb(path))]
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"heading level jumps from H{before} to H{after}"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_required_sections_in_order(path: Path) -> None:
    h2 = [text for level, text in _headings(_nb(path)) if level == 2]
    required = list(REQUIRED)
    if re.match(r"0[1-5]_", path.name):
        required[2:2] = CONTENT_REQUIRED
    positions = []
    for name in required:
        assert name in h2, f"missing section '## {name}'"
        positions.append(h2.index(name))
    assert positions == sorted(positions), f"sections out of order: {required}"
    aim = _nb(path).cells[0].source + "".join(_markdown(_nb(path))[:3])
    for label in ("Time:", "Prerequisites:"):
        assert label in aim, f"the opening must state '{label}'"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_executed_in_order_without_errors(path: Path) -> None:
    code = [c for c in _nb(path).cells if c.cell_type == "code" and c.source.strip()]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), (
        "restart the kernel and run all (python -m tools.authoring) before committing"
    )
    for cell in code:
        expected_error = "raises-exception" in cell.metadata.get("tags", [])
        has_error = any(o.output_type == "error" for o in cell.outputs)
        assert has_error == expected_error, (
            f"cell {cell.execution_count}: error output without a raises-exception tag"
            if has_error
            else f"cell {cell.execution_count}: tagged raises-exception but no error"
        )


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_metadata_is_clean(path: Path) -> None:
    nb = _nb(path)
    assert set(nb.metadata) <= {"kernelspec", "language_info"}
    assert nb.metadata["kernelspec"]["name"] == "python3"
    kept = {"tags", "slideshow", "jupyter"}
    if path.name.startswith("06_"):  # nbgrader's marks of answer and test cells (tools/grade.py)
        kept |= {"nbgrader", "deletable", "editable"}
    for cell in nb.cells:
        extra = set(cell.metadata) - kept
        assert not extra, f"editor metadata left in a cell: {sorted(extra)}"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_no_installs_downloads_or_path_tricks(path: Path) -> None:
    for cell in _nb(path).cells:
        if cell.cell_type != "code":
            continue
        for what, pattern in FORBIDDEN_CODE.items():
            assert not pattern.search(cell.source), f"a code cell {what}: {cell.source[:80]!r}"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_setup_cell_uses_helpers(path: Path) -> None:
    code = [c.source for c in _nb(path).cells if c.cell_type == "code"]
    assert code and "helpers.setup_notebook(" in code[0], (
        "the first code cell must call helpers.setup_notebook()"
    )


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_navigation_links_exist(path: Path) -> None:
    last = _nb(path).cells[-1]
    assert last.cell_type == "markdown", "the last cell holds the previous/next links"
    links = dict((text, target) for text, target in LINK.findall(last.source))
    index = PATHS.index(path)
    if index > 0:
        assert any(t.startswith("Previous") for t in links), "missing a 'Previous' link"
    if index < len(PATHS) - 1:
        assert any(t.startswith("Next") for t in links), "missing a 'Next' link"
    for target in links.values():
        if not re.match(r"https?://", target):
            assert (path.parent / target.split("#")[0]).exists(), f"broken link: {target}"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_links_are_descriptive_and_local_ones_resolve(path: Path) -> None:
    for text in _markdown(_nb(path)):
        for label, target in LINK.findall(text):
            assert label.strip().lower() not in VAGUE_LINK_TEXT, f"vague link text: [{label}]"
            assert not re.fullmatch(r"https?://\S+", label.strip()), f"bare URL as text: {label}"
            if not re.match(r"(https?|mailto):|#", target):
                assert (path.parent / target.split("#")[0]).exists(), f"broken link: {target}"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_figure_is_described(path: Path) -> None:
    cells = _nb(path).cells
    for i, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        if any("image/png" in o.get("data", {}) for o in cell.outputs):
            after = cells[i + 1] if i + 1 < len(cells) else None
            assert (
                after is not None
                and after.cell_type == "markdown"
                and re.match(r"\*\*Figure \d+\.\*\*", after.source.strip())
            ), f"cell {cell.execution_count} draws a figure: follow it with '**Figure N.** ...'"


#: A figure's outermost pixels must be this close to white (0-255 grey): nothing drawn there.
BLANK_EDGE = 245
EDGE_PX = 2


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_figures_fit_inside_their_canvas(path: Path) -> None:
    """Figures are shown uncropped (helpers.notebook.show_figures_uncropped), so a label,
    legend or footnote that reaches past the figure's edge is cut off. A blank margin shows
    that everything drawn is inside."""
    for cell in _nb(path).cells:
        if cell.cell_type != "code":
            continue
        for out in cell.outputs:
            if "image/png" not in out.get("data", {}):
                continue
            png = base64.b64decode(out["data"]["image/png"])
            grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
            edges = {
                "top": grey[:EDGE_PX],
                "bottom": grey[-EDGE_PX:],
                "left": grey[:, :EDGE_PX],
                "right": grey[:, -EDGE_PX:],
            }
            cut = [side for side, pixels in edges.items() if pixels.min() < BLANK_EDGE]
            assert not cut, (
                f"cell {cell.execution_count}: the figure is drawn up to its {', '.join(cut)} "
                "edge, so something is cut off; lay it out inside the figure (tight_layout)"
            )


def _number_words(n: int) -> str:
    words = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
    ]
    return rf"(?:{n}|{words[n]})" if n < len(words) else str(n)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_totals_are_computed_not_typed(path: Path) -> None:
    """Adding a study must not leave prose behind: the current totals never appear as typed
    text in markdown (they are printed by code cells instead)."""
    import helpers

    studies = helpers.read_table("studies")
    n_studies, n_patients = len(studies), int(studies["n_patients"].sum())
    typed = re.compile(
        rf"\b{_number_words(n_studies)}\s+(?:studies|publications|papers|reports)\b"
        rf"|\b{_number_words(n_patients)}\s+(?:patients|children)\b",
        re.I,
    )
    for text in _markdown(_nb(path)):
        match = typed.search(text)
        assert not match, f"typed total {match.group(0)!r}: print it from a code cell instead"


def test_default_palette_is_colour_blind_safe() -> None:
    import matplotlib.pyplot as plt
    import seaborn as sns

    import helpers

    helpers.setup_notebook(show_versions=False)
    from matplotlib.colors import to_hex

    cycle = [to_hex(c["color"]) for c in plt.rcParams["axes.prop_cycle"]]
    assert cycle == sns.color_palette("colorblind").as_hex()


# --- The lesson is in the notebook (issue G) ------------------------------------------------------

#: Notebooks that teach: each lists, in its aim, the functions it introduces.
TEACHING = [p for p in PATHS if p.name[:2] in {"01", "02", "03", "04", "05"}]
EXERCISES = NOTEBOOKS / "06_exercises_solutions.ipynb"
YOU_WILL_USE = re.compile(r"^\*\*You will use:\*\*(.+)$", re.M)
#: A code cell stays readable: at most this many non-blank lines (the one "Plotting functions"
#: cell of a notebook, which gathers drawing code Neuromatch-style, is the exception).
MAX_CELL_LINES = 15
PLOTTING_FUNCTIONS = re.compile(r"^#+\s+Plotting functions\b", re.M | re.I)


def _aim(nb: nbformat.NotebookNode) -> str:
    """The text of the "Aim and learning objectives" section, up to the next H2."""
    text = "\n".join(_markdown(nb))
    start = text.index("## Aim and learning objectives")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def you_will_use(path: Path) -> list[str]:
    """The functions a notebook says it introduces: the backticked items of its aim's last line."""
    aim = _aim(_nb(path)).rstrip()
    lines = aim.splitlines()
    match = YOU_WILL_USE.match(lines[-1]) if lines else None
    assert match, f"{path.name}: the aim must end with a line '**You will use:** `...`, ...'"
    items = re.findall(r"`([^`]+)`", match.group(1))
    assert items, f"{path.name}: 'You will use' lists nothing"
    return items


def _code(path: Path) -> str:
    return "\n".join(c.source for c in _nb(path).cells if c.cell_type == "code")


@pytest.mark.parametrize("path", [*TEACHING, EXERCISES], ids=lambda p: p.name)
def test_every_function_a_notebook_lists_is_used_in_its_cells(path: Path) -> None:
    code = _code(path)
    missing = [item for item in you_will_use(path) if item not in code]
    assert not missing, f"{path.name} lists {missing} under 'You will use' but never calls them"


def test_every_function_an_exercise_asks_for_is_taught_first() -> None:
    taught = {item for path in TEACHING for item in you_will_use(path)}
    untaught = [item for item in you_will_use(EXERCISES) if item not in taught]
    assert not untaught, f"the exercises use {untaught}, which no notebook 01-05 lists"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_code_cells_stay_short(path: Path) -> None:
    previous = ""
    for index, cell in enumerate(_nb(path).cells):
        if cell.cell_type == "markdown":
            previous = cell.source
            continue
        lines = [line for line in cell.source.splitlines() if line.strip()]
        lines = [line for line in lines if not NBGRADER_MARKUP.search(line)]
        if PLOTTING_FUNCTIONS.search(previous):
            continue
        assert len(lines) <= MAX_CELL_LINES, (
            f"{path.name}, cell {index}: {len(lines)} lines of code; split it and explain each "
            f"step (at most {MAX_CELL_LINES}; long drawing code goes in the 'Plotting functions' "
            "cell)"
        )


def test_the_list_check_can_fail(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("## Aim and learning objectives\n**You will use:** `.merge`"),
        nbformat.v4.new_code_cell("df.join(other)"),
    ]
    nbformat.write(nb, tmp_path / "x.ipynb")
    assert you_will_use(tmp_path / "x.ipynb") == [".merge"]
    assert ".merge" not in _code(tmp_path / "x.ipynb")


# --- Every number in the prose is computed or quoted (issue H, j) ---------------------------------

NUMBER = re.compile(r"(?<![\w.\-−–/·])\d+(?:[.,]\d+)*(?![\w])")
#: A reference marker of the notebook's own list: [3], [2, 5], [2–10].
REFERENCE = re.compile(r"\[\d+(?:\s*[,–-]\s*\d+)*\]")
#: Text where a digit is not a claim: code, link targets, HTML, headings, list numbers, years of
#: publications, the names of figures, tables, notebooks and exercises, study times, the
#: conventional 95 % confidence level.
NOT_A_CLAIM = [
    re.compile(r"```.*?```", re.S),
    re.compile(r"`[^`]*`"),
    re.compile(r"\]\([^)]*\)"),
    re.compile(r"<[^>]+>"),
    re.compile(r"^#+ .*$", re.M),
    re.compile(r"^\s*\d+\.\s", re.M),
    re.compile(r"\b(?:19|20)\d\d[a-z]?\b"),
    re.compile(
        r"\b(?:Figure|Table|Exercise|exercise|[Qq]uestion|[Nn]otebook|[Ss]tep)s? \d+"
        r"(?:\s*(?:–|-|and|,)\s*\d+)*"
    ),
    re.compile(r"\d\d · "),
    re.compile(r"^\|\s*\d+(?:–\d+)?\s*\|", re.M),  # a table's first column of exercise numbers
    re.compile(r"\d+(?:–\d+)? min(?:utes)?\b"),
    re.compile(r"\b95\s*%"),
]
#: Sections whose numbers are hypotheses put to the reader, not claims about the data.
HYPOTHETICAL = ("## Check your understanding", "## Discussion prompts", "## References")


def numbers_not_computed_or_quoted(nb: nbformat.NotebookNode) -> list[str]:
    """Digits in the markdown that no code cell above prints or sets, outside a referenced
    sentence: a typed number that a new study (or a changed source) could make false."""
    printed, code, found = "", "", []
    for index, cell in enumerate(nb.cells[:-1]):  # the last cell is the navigation
        if cell.cell_type == "code":
            code += cell.source + "\n"
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                printed += out.get("text", "") + "".join(data.get("text/plain", "")) + "\n"
            continue
        text = cell.source
        for section in HYPOTHETICAL:
            text = text.split(section)[0]
        for pattern in NOT_A_CLAIM:
            text = pattern.sub(" ", text)
        for sentence in re.split(r"(?<=[.!?:;])\s+|\n\s*\n|\n\s*[-*|] ", text):
            if REFERENCE.search(sentence):
                continue
            for match in NUMBER.finditer(sentence):
                number = rf"(?<![\d.]){re.escape(match.group(0))}(?![\d])"
                if not (re.search(number, printed) or re.search(number, code)):
                    found.append(f"cell {index}: {match.group(0)!r} in {sentence.strip()[:100]!r}")
    return found


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_number_in_the_prose_is_printed_or_quoted(path: Path) -> None:
    found = numbers_not_computed_or_quoted(_nb(path))
    assert not found, (
        "numbers typed in the prose: print them from a code cell above, or quote them with "
        "their reference [n]:\n  " + "\n  ".join(found)
    )


def test_the_number_rule_can_fail() -> None:
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("print(46)")
    code.outputs = [nbformat.v4.new_output("stream", text="46\n")]
    nb.cells = [
        code,
        nbformat.v4.new_markdown_cell("We have 46 patients. Of them, 41 were refractory."),
        nbformat.v4.new_markdown_cell("The review says 41 were refractory [1]."),
        nbformat.v4.new_markdown_cell("---"),
    ]
    found = numbers_not_computed_or_quoted(nb)
    assert len(found) == 1 and "'41'" in found[0]


GLOSSARY = NOTEBOOKS.parent / "docs" / "glossary.md"
GLOSSARY_LINK = re.compile(r"\]\(\.\./docs/glossary\.md#([\w-]+)\)")


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_notebook_links_the_glossary_and_its_anchors_exist(path: Path) -> None:
    anchors = set(re.findall(r'<a id="([\w-]+)"></a>', GLOSSARY.read_text(encoding="utf-8")))
    used = GLOSSARY_LINK.findall("\n".join(_markdown(_nb(path))))
    assert used or "glossary.md" in "\n".join(_markdown(_nb(path))), "link the glossary"
    missing = sorted(set(used) - anchors)
    assert not missing, f"glossary anchors that docs/glossary.md does not define: {missing}"


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.name)
def test_each_question_has_its_own_folded_answer(path: Path) -> None:
    text = "\n".join(_markdown(_nb(path)))
    section = text.split("## Check your understanding", 1)[1].split("\n## ", 1)[0]
    questions = re.findall(r"^\d+\.\s", section, re.M)
    answers = section.count("<details>")
    assert questions and answers == len(questions), (
        f"{len(questions)} questions but {answers} folded answers: fold each answer on its own, "
        "right after its question"
    )


def test_the_learning_path_gives_each_notebooks_own_time() -> None:
    start = "\n".join(_markdown(_nb(PATHS[0])))
    row = r"^\|\s*\[[^\]]*\]\((\d\d_\w+\.ipynb)\)[^\n]*\|\s*([\d–]+) min\s*\|"
    rows = re.findall(row, start, re.M)
    assert len(rows) >= len(PATHS) - 2, "the learning path in 00 lists every notebook's time"
    for name, minutes in rows:
        aim = _aim(_nb(NOTEBOOKS / name))
        own = re.search(r"\*\*Time:\*\*\D*?([\d–]+) minutes", aim)
        assert own and own.group(1) == minutes, f"00 says {minutes} min for {name}, it says {own}"
