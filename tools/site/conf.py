"""Sphinx configuration of the course website (``make site``; see ``tools/site/__init__.py``).

The sources are staged by ``tools.site.stage`` into ``build/site-src/`` with the repository's
layout (README.md becomes the home page ``index.md``), so that the links the notebooks and
guides use on the code host (``../docs/glossary.md#wilson``) resolve on the site as well.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the repository: its tools.site.course_site extension

project = "JAK inhibitors in juvenile dermatomyositis"
author = "The JDM JAK-inhibitor course contributors"
copyright = f"2026, {author}"  # as LICENSE and LICENSE-CONTENT say
language = "en"

extensions = ["myst_nb", "tools.site.course_site"]
root_doc = "index"

# --- notebooks: rendered from their committed outputs, never executed -------------------------
nb_execution_mode = "off"
nb_ipywidgets_js: dict = {}  # no widget is used; by default MyST-NB links require.js from a CDN
nb_merge_streams = True  # a cell's printed lines in one block, as JupyterLab shows them
myst_heading_anchors = 4  # `#corrections-log` style links to headings, as on the code host
myst_enable_extensions = ["substitution"]  # {{ jupyterhub_guide }}: see course_site.py

# --- the HTML site -------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "JAK inhibitors in JDM: a notebook course"
html_static_path = [str(HERE / "static")]
html_css_files = ["course.css"]
html_copy_source = True  # the download button serves _sources/<page>.ipynb
html_sourcelink_suffix = ""  # ... under its own name, not .ipynb.txt
html_show_sourcelink = False
html_context = {"default_mode": "auto"}  # light or dark as the reader's system is; unset, an error
# Search results show no excerpt: Sphinx would fetch each result page for one, which a browser
# refuses for a site opened from disk (file://), e.g. copied to a USB stick for a journal club.
html_show_search_summary = False
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "icon_links": [],
    "navbar_persistent": [],  # no second search field in a bar above the page
}
