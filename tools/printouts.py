"""One printable page per journal-club session: Table 3 in brief, the key figures, the prompts.

``python -m tools.printouts [--out DIR]`` (``make printouts``) writes, for each session notebook
of ``docs/journal_club.md``, an HTML page built from the committed notebook (its figures, as
the notebook shows them, and its *Discussion prompts*) and from ``data/studies.csv`` (the
review's Table 3, one line per study), then prints it to PDF in headless Chromium
(:class:`tools.decks.Browser`): ``build/printouts/NN_name.pdf``. Nothing is fetched; the page
has no script.
"""

from __future__ import annotations

import argparse
import html
import re
from pathlib import Path

import nbformat
import pandas as pd

from helpers.paths import REPO_ROOT, notebooks_dir

#: The sessions (notebooks) of the journal-club plans and the figures each handout shows.
SESSIONS = {
    "01_why_jak_inhibitors": (1, 2),
    "03_comparing_the_cohorts": (1, 2, 4),
    "04_comparing_outcomes": (1, 4, 5),
    "05_weighing_the_evidence": (1, 3),
}

CAPTION_MAX = 150  # characters of a figure's caption on the handout

CSS = """
@page { size: A4; margin: 11mm 12mm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; line-height: 1.3; margin: 0; }
h1 { font-size: 14pt; margin: 0 0 2pt 0; }
h2 { font-size: 10.5pt; margin: 6pt 0 2pt 0; }
p.note { font-size: 7.5pt; color: #444; margin: 0 0 4pt 0; }
table { border-collapse: collapse; width: 100%; font-size: 7.5pt; }
th, td { border-bottom: 0.5pt solid #999; padding: 1pt 4pt; text-align: left; }
.figures { display: flex; flex-wrap: wrap; gap: 4pt; }
figure { margin: 0; flex: 1 1 45%; break-inside: avoid; }
figure img { width: 100%; max-height: 60mm; object-fit: contain; }
figcaption { font-size: 7.5pt; }
ol { margin: 0; padding-left: 14pt; }
li { margin-bottom: 2pt; }
"""


def _markdown_inline(text: str) -> str:
    """The little markdown a prompt or caption uses, as HTML (bold, italics, code, links)."""
    text = html.escape(" ".join(text.split()), quote=False)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    text = re.sub(r"\*(.+?)\*", r"<i>\1</i>", text)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", text)


def figures(nb: nbformat.NotebookNode) -> dict[int, tuple[str, str]]:
    """Each numbered figure of a notebook: its PNG (base64), its caption's first sentence."""
    found: dict[int, tuple[str, str]] = {}
    png = None
    for cell in nb.cells:
        if cell.cell_type == "code":
            images = [o["data"]["image/png"] for o in cell.outputs
                      if "image/png" in o.get("data", {})]
            png = images[-1] if images else png
            continue
        match = re.match(r"\*\*Figure (\d+)\.\*\*\s*(.+?[.!?])(?:\s|$)", cell.source.strip(), re.S)
        if match and png:
            caption = match.group(2)
            if len(caption) > CAPTION_MAX:  # the caption's first clause or two
                cuts = [m.start() for m in re.finditer(r"[;:,] ", caption[:CAPTION_MAX])
                        if caption[: m.start()].count("(") == caption[: m.start()].count(")")]
                caption = caption[: cuts[-1] if cuts else CAPTION_MAX] + " (…)"
            found[int(match.group(1))] = (png, caption)
            png = None
    return found


def prompts(nb: nbformat.NotebookNode) -> list[str]:
    """The items of a notebook's *Discussion prompts* section."""
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    section = re.search(r"^## Discussion prompts\s*\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    if not section:
        return []
    return [item.strip() for item in re.split(r"^- ", section.group(1), flags=re.M)[1:]]


def table3() -> pd.DataFrame:
    """The review's Table 3, one line per study, from the curated ``data/studies.csv``."""
    studies = pd.read_csv(REPO_ROOT / "data" / "studies.csv")
    return pd.DataFrame({
        "Study": studies["first_author"] + " " + studies["year"].astype(str),
        "Design": studies["design"],
        "Patients": studies["n_patients"],
        "JAK inhibitor(s)": studies["drugs"].str.replace(";", ", "),
        "Follow-up (weeks)": studies["followup_weeks"].map(
            lambda w: "" if pd.isna(w) else f"{w:g}"),
    })


def handout_html(stem: str) -> str:
    """The HTML of the one-page handout of notebook ``stem``."""
    nb = nbformat.read(notebooks_dir() / f"{stem}.ipynb", as_version=4)
    title = nb.cells[0].source.strip().split("\n")[0].lstrip("# ")
    drawn = figures(nb)
    figure_html = "".join(
        f'<figure><img src="data:image/png;base64,{drawn[n][0].strip()}" alt="Figure {n}">'
        f"<figcaption><b>Figure {n}.</b> {_markdown_inline(drawn[n][1])}</figcaption></figure>"
        for n in SESSIONS[stem]
    )
    questions = "".join(f"<li>{_markdown_inline(p)}</li>" for p in prompts(nb))
    table = table3().to_html(index=False, border=0, escape=True)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}: handout</title>
<style>{CSS}</style></head><body>
<h1>{html.escape(title)}</h1>
<p class="note">Journal-club handout of the notebook course on JAK inhibitors in juvenile
dermatomyositis (notebooks/{stem}.ipynb). Educational use only: not clinical guidance.</p>
<h2>The review's Table 3, one line per study</h2>
<p class="note">From data/studies.csv (the curated Table 3 of the 2021 review in
<i>Pediatric Rheumatology</i>, doi:10.1186/s12969-021-00637-8).</p>
{table}
<h2>Key figures</h2>
<div class="figures">{figure_html}</div>
<h2>Discussion questions</h2>
<ol>{questions}</ol>
</body></html>
"""


def build(out_dir: Path, stems: list[str] | None = None) -> list[Path]:
    """Write each session's handout as HTML and PDF into ``out_dir``; return the PDFs."""
    from tools.decks import Browser

    out_dir.mkdir(parents=True, exist_ok=True)
    pdfs = []
    with Browser() as browser:
        for stem in stems or list(SESSIONS):
            page_file = out_dir / f"{stem}.html"
            page_file.write_text(handout_html(stem), encoding="utf-8")
            page = browser.page(800, 1100)
            page.open(page_file.resolve().as_uri())
            pdf = out_dir / f"{stem}.pdf"
            pdf.write_bytes(page.pdf())
            pdfs.append(pdf)
    return pdfs


def pdf_counts(pdf: bytes) -> tuple[int, int]:
    """Pages and images of a PDF written by Chromium (its object dictionaries are plain text)."""
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    images = len(re.findall(rb"/Subtype\s*/Image\b", pdf))
    return pages, images


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.printouts", description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build" / "printouts")
    args = parser.parse_args(argv)
    for pdf in build(args.out):
        pages, images = pdf_counts(pdf.read_bytes())
        print(f"wrote {pdf} ({pages} page(s), {images} image(s))")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
