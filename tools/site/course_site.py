"""The course's own Sphinx extension (loaded by ``conf.py``): four things the stack lacks.

- The glossary marks each entry with an HTML anchor, ``<a id="wilson"></a>``, so that links
  such as ``glossary.md#wilson`` work on the code host. Sphinx does not see raw HTML ids; each
  anchor line is read as the MyST target ``(wilson)=`` instead, which the links resolve to.
- Notebooks link to each other's sections the way JupyterLab names them (the heading's text,
  spaces as hyphens: ``02_loading_the_case_table.ipynb#References``); those names are added to
  the headings' GitHub-style names (``#references``) that MyST resolves links to.
- The page "Run it yourself" points to the teachers' page on JupyterHub, ``docs/jupyterhub.md``,
  with a link where the page exists and in plain words where it does not (the substitution
  ``{{ jupyterhub_guide }}``), so that neither case leaves a broken link.
- A notebook output cannot carry alt text, so every figure of the course is followed by a
  markdown cell that starts ``**Figure N.**`` and says what is plotted and what it shows. That
  paragraph becomes the image's alt text (MyST-NB would otherwise leave it empty).
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)

HTML_ANCHOR = re.compile(r'^<a id="([A-Za-z][\w-]*)"></a>[ \t]*$', re.M)
FIGURE = re.compile(r"^Figure \d+\.")

JUPYTERHUB_PAGE = "docs/jupyterhub.md"
JUPYTERHUB_LINKED = (  # an empty link text is the linked page's title
    f"The teachers' page on JupyterHub, []({JUPYTERHUB_PAGE}), explains the set-up, and "
    "`make hub-link` writes the link for the course."
)
JUPYTERHUB_UNLINKED = (
    f"The teachers' page on JupyterHub (`{JUPYTERHUB_PAGE}` in the course's repository) explains "
    "the set-up, and `make hub-link` writes the link for the course."
)


def jupyterhub_guide(app: Sphinx, config: object) -> None:
    """Link the JupyterHub page from "Run it yourself" only if the site has it."""
    linked = (Path(app.srcdir) / JUPYTERHUB_PAGE).is_file()
    config.myst_substitutions = {
        **config.myst_substitutions,
        "jupyterhub_guide": JUPYTERHUB_LINKED if linked else JUPYTERHUB_UNLINKED,
    }


def html_anchors_as_targets(app: Sphinx, docname: str, source: list[str]) -> None:
    """``<a id="x"></a>`` alone on a line -> ``(x)=`` (Markdown pages only)."""
    if app.env.doc2path(docname).suffix == ".md":
        source[0] = HTML_ANCHOR.sub(r"(\1)=", source[0])


def jupyterlab_heading_names(app: Sphinx, doctree: nodes.document) -> None:
    """Let ``page#Heading-Text`` (JupyterLab's name) reach the heading ``#heading-text``."""
    slugs = app.env.metadata[app.env.docname].get("myst_slugs", {})
    for line, section_id, text in list(slugs.values()):
        slugs.setdefault(text.replace(" ", "-"), (line, section_id, text))


def _next_paragraph(node: nodes.Element) -> nodes.paragraph | None:
    """The first paragraph after ``node``: a later sibling, or the first paragraph inside one."""
    siblings = node.parent.children
    for sibling in siblings[siblings.index(node) + 1 :]:
        if isinstance(sibling, nodes.paragraph):
            return sibling
        if isinstance(sibling, nodes.Element) and (found := sibling.next_node(nodes.paragraph)):
            return found
    return None


def figure_descriptions_as_alt_text(app: Sphinx, doctree: nodes.document) -> None:
    """Give each image of a code cell's output the paragraph ``Figure N. ...`` that follows."""
    for cell in doctree.findall(nodes.container):
        images = list(cell.findall(nodes.image)) if "cell" in cell["classes"] else []
        if not images:
            continue
        following = _next_paragraph(cell)
        if following is None or not FIGURE.match(following.astext()):
            LOGGER.warning("a figure is not followed by its 'Figure N.' description", location=cell)
            continue
        for image in images:
            image["alt"] = " ".join(following.astext().split())


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("config-inited", jupyterhub_guide)
    app.connect("source-read", html_anchors_as_targets)
    app.connect("doctree-read", jupyterlab_heading_names)
    app.connect("doctree-read", figure_descriptions_as_alt_text)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
