"""The class link: an nbgitpuller link that copies (or updates) the course into a learner's
JupyterHub home and opens the first notebook in JupyterLab.

``make hub-link HUB=https://hub.example.edu REPO=https://github.com/you/jdm-jak-course``
(optionally ``BRANCH=main``, ``NOTEBOOK=notebooks/00_start_here.ipynb``, ``TARGET=folder``)
prints it. The link is the one nbgitpuller's own link generator (its ``link.js``) makes: the
hub's ``/hub/user-redirect/git-pull`` with the repository, branch and the page to open
(``urlpath``, JupyterLab's ``lab/tree/<folder>/<notebook>``, relative to the learner's
server). nbgitpuller clones into a folder named after the last part of the repository URL, as
written (``.../jdm-jak-course`` gives ``jdm-jak-course``); a URL ending in ``.git``, or
``TARGET``, adds ``targetPath`` so that the folder is the repository's name, or the one asked
for. See docs/jupyterhub.md.
"""

from __future__ import annotations

import argparse
import sys
from urllib.parse import urlencode, urlsplit

FIRST_NOTEBOOK = "notebooks/00_start_here.ipynb"


def default_folder(repo: str) -> str:
    """The folder nbgitpuller clones ``repo`` into when the link names none (its own rule)."""
    return repo.rstrip("/").split("/")[-1]


def link(
    hub: str, repo: str, branch: str = "main", notebook: str = FIRST_NOTEBOOK, target: str = ""
) -> tuple[str, str]:
    """The nbgitpuller link, and the folder it creates in the learner's home."""
    if urlsplit(hub).scheme not in ("http", "https") or not urlsplit(hub).netloc:
        raise ValueError(f"HUB must be the hub's address, such as https://hub.example.edu: {hub!r}")
    if not repo or not branch:
        raise ValueError("REPO and BRANCH must not be empty")
    folder = target or default_folder(repo).removesuffix(".git")
    if not folder or folder in (".", ".."):
        raise ValueError(f"no folder name can be taken from REPO {repo!r}: give TARGET")
    query = {"repo": repo, "branch": branch}
    if folder != default_folder(repo):
        query["targetPath"] = folder
    query["urlpath"] = f"lab/tree/{folder}/{notebook}"  # as nbgitpuller's link generator writes it
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{urlencode(query)}", folder


def main(argv: list[str] | None = None) -> int:
    """Command line: print the link (and, on stderr, the folder it creates)."""
    parser = argparse.ArgumentParser(prog="python -m tools.hub_link", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hub", required=True, help="the hub's address")
    parser.add_argument("--repo", required=True, help="the course's git URL")
    parser.add_argument("--branch", default="main")
    parser.add_argument("--notebook", default=FIRST_NOTEBOOK, help="path in the repository")
    parser.add_argument("--target", default="", help="folder in the learner's home")
    args = parser.parse_args(argv)
    try:
        url, folder = link(args.hub, args.repo, args.branch, args.notebook, args.target)
    except ValueError as err:
        parser.error(str(err))
    print(url)
    print(f"(each learner gets the course in ~/{folder}; the link opens {args.notebook})",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
