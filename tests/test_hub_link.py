"""`make hub-link` prints the nbgitpuller link of a class: its query says what nbgitpuller reads."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tools import hub_link


def _parts(url: str) -> tuple[str, dict[str, list[str]]]:
    split = urlsplit(url)
    query = parse_qs(split.query, strict_parsing=True)
    return f"{split.scheme}://{split.netloc}{split.path}", query


def test_the_link_round_trips_through_its_query() -> None:
    repo = "https://github.com/teacher/jdm-jak-course"
    url, folder = hub_link.link("https://hub.example.edu/", repo, "spring-2026")
    base, query = _parts(url)
    assert base == "https://hub.example.edu/hub/user-redirect/git-pull"
    assert folder == "jdm-jak-course"
    assert query == {  # no targetPath: nbgitpuller's default folder is the repository's name
        "repo": [repo],
        "branch": ["spring-2026"],
        "urlpath": ["lab/tree/jdm-jak-course/notebooks/00_start_here.ipynb"],
    }


def test_a_git_suffix_or_a_chosen_folder_is_named_in_the_link() -> None:
    url, folder = hub_link.link("https://uni.edu/jupyter", "git@host:org/course.git", "main")
    base, query = _parts(url)
    assert base == "https://uni.edu/jupyter/hub/user-redirect/git-pull"
    assert (folder, query["targetPath"]) == ("course", ["course"])  # not "course.git"
    assert query["urlpath"] == ["lab/tree/course/notebooks/00_start_here.ipynb"]
    url, folder = hub_link.link("https://h.org", "https://h.org/c", "main", "notebooks/x y.ipynb",
                                target="jdm 2026")  # fmt: skip
    assert _parts(url)[1]["targetPath"] == ["jdm 2026"]
    assert _parts(url)[1]["urlpath"] == ["lab/tree/jdm 2026/notebooks/x y.ipynb"]


@pytest.mark.parametrize(
    ("hub", "repo", "branch"),
    [("hub.example.edu", "https://h/c", "main"), ("https://h.org", "", "main"),
     ("https://h.org", "https://h/c", ""), ("https://h.org", "https://h/c/..", "main")],
)  # fmt: skip
def test_bad_arguments_are_refused(hub: str, repo: str, branch: str) -> None:
    with pytest.raises(ValueError, match=r"HUB|REPO|TARGET"):
        hub_link.link(hub, repo, branch)


def test_the_command_prints_the_link(capsys: pytest.CaptureFixture[str]) -> None:
    assert hub_link.main(["--hub", "https://h.org", "--repo", "https://h.org/c/course"]) == 0
    out, err = capsys.readouterr()
    assert out == hub_link.link("https://h.org", "https://h.org/c/course")[0] + "\n"
    assert "~/course" in err
