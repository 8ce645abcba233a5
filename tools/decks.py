"""Journal-club slide decks: one idea per slide, linear, offline, with speaker notes.

:func:`deck_notebook` turns a course notebook into the notebook nbconvert's reveal.js exporter
renders (the notebook file itself is not changed): code is hidden, the sections a journal club
does not project (set-up, plotting functions, *Check your understanding*) are dropped, and the
rest is cut into horizontal slides that fit a 1280 x 720 frame: every heading starts a slide,
every figure gets a slide of its own with the first sentence of its caption, every table or
printed output starts a slide, long prose is packed a few paragraphs at a time (split between
sentences when one paragraph is too long), and each discussion prompt gets its own slide.
With every slide horizontal, → (or space) walks through all of them in order.

Speaker notes live outside the notebooks, one file per deck in ``docs/speaker_notes/`` (see its
README): each ``## key`` names a slide by its heading or its figure (``Figure 2``), and its text
starts with the time to spend (``**3 min.**``). :func:`deck_notebook` adds them as reveal.js
notes (press S in the deck).

:class:`Browser` drives headless Chromium over the DevTools protocol on a pipe (no extra
package, no port): the tests and ``make printouts`` use it to measure every slide, to record
every request and console message of a deck, to open the speaker view, and to print PDFs.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import os
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from helpers.paths import REPO_ROOT

NOTES_DIR = REPO_ROOT / "docs" / "speaker_notes"
TEMPLATE_DIR = Path(__file__).resolve().parent / "deck_template"
TEMPLATE_NAME = "course_reveal"

#: The slide frame in CSS pixels (reveal.js scales it to the window) and the layout it uses.
WIDTH, HEIGHT = 1280, 720
REVEAL_CONFIG = {
    "width": WIDTH,
    "height": HEIGHT,
    "margin": 0.04,
    "center": False,
    "hash": True,
    "navigationMode": "linear",  # every slide is horizontal anyway: → reaches all of them
    "transition": "none",
    "controls": True,
    "progress": True,
    "slideNumber": "c/t",
}

#: Sections that are for a learner at a keyboard, not for a projector.
SKIPPED_SECTIONS = ("Setup", "Plotting functions", "Check your understanding")

#: Packing budget: estimated height (CSS pixels of the frame) of the material on one slide.
BUDGET = 560
LINE = 36  # a line of prose (26 px text, line height 1.35, paragraph spacing shared)
CHARS_PER_LINE = 82
HEADING = 70
TABLE_ROW = 40
CAPTION_MAX = 240  # characters of caption under a figure
FIGURE_MAX = 570  # a figure's height on its slide (its caption's first sentence below)
OUTPUT_MAX = 560  # a table or printed output taller than this scrolls inside its box

DECK_CSS = f"""
.reveal .slides {{ text-align: left; }}
.reveal .slides section {{ font-size: 26px; line-height: 1.35; padding: 10px 24px;
  box-sizing: border-box; }}
.reveal .slides section .jp-RenderedHTMLCommon,
.reveal .slides section .jp-RenderedMarkdown {{ font-size: 26px; line-height: 1.35; padding: 0; }}
.reveal .slides section p, .reveal .slides section li {{ font-size: 26px; margin: 0 0 0.45em 0; }}
.reveal .slides section ul, .reveal .slides section ol {{ margin: 0 0 0.4em 1.1em; }}
.reveal .slides section h1 {{ font-size: 46px; text-transform: none; margin: 0 0 0.4em 0; }}
.reveal .slides section h2 {{ font-size: 38px; text-transform: none; margin: 0 0 0.4em 0; }}
.reveal .slides section h3 {{ font-size: 32px; text-transform: none; margin: 0 0 0.35em 0; }}
.reveal .slides section .jp-Cell {{ padding: 0; margin: 0; }}
.reveal .slides section .jp-OutputArea-output {{ max-height: {OUTPUT_MAX}px; overflow: auto; }}
.reveal .slides section .jp-RenderedHTMLCommon table {{ font-size: 17px; margin: 0; }}
.reveal .slides section .jp-RenderedHTMLCommon td,
.reveal .slides section .jp-RenderedHTMLCommon th {{ padding: 3px 8px; }}
.reveal .slides section pre {{ font-size: 17px; line-height: 1.3; box-shadow: none; width: 100%;
  white-space: pre; max-height: {OUTPUT_MAX}px; overflow: auto; margin: 0; }}
.reveal .slides section .jp-RenderedImage img {{ display: block; margin: 0 auto; max-width: 100%;
  max-height: {FIGURE_MAX}px; width: auto; height: auto; }}
.reveal .slides section[data-kind="figure"] .jp-RenderedImage img.deck-fitted {{ max-width: none;
  max-height: none; }}
.reveal .slides section[data-kind="figure"] p {{ font-size: 20px; line-height: 1.3;
  margin: 4px 0 0 0; }}
.reveal .slides section .jp-RenderedImage {{ text-align: center; }}
.reveal .slides section details {{ font-size: 22px; }}
.reveal .slides section a {{ overflow-wrap: anywhere; }}
.reveal .slides section.deck-small p, .reveal .slides section.deck-small li {{ font-size: 20px; }}
.reveal .progress {{ height: 6px; }}
"""


# ---------------------------------------------------------------------------- speaker notes
NOTE_TIME = re.compile(r"^\*\*(\d+)(?:[–-](\d+))? min\.\*\*")


def notes_file(stem: str) -> Path:
    """The speaker-notes file of the deck of notebook ``stem``."""
    return NOTES_DIR / f"{stem}.md"


def load_notes(stem: str) -> dict[str, str]:
    """The speaker notes of a deck, by slide key (a heading's text, or ``Figure N``)."""
    path = notes_file(stem)
    if not path.exists():
        return {}
    notes: dict[str, str] = {}
    key = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            key = line[3:].strip()
            notes[key] = ""
        elif key is not None:
            notes[key] += line + "\n"
    return {k: v.strip() for k, v in notes.items()}


def note_minutes(note: str) -> int | None:
    """The minutes a note asks for (the upper bound of a range), or ``None`` if it gives none."""
    match = NOTE_TIME.match(note)
    return int(match.group(2) or match.group(1)) if match else None


# ---------------------------------------------------------------------------- slicing
def _heading(text: str) -> tuple[int, str] | None:
    match = re.match(r"^(#{1,3}) +(.+?)\s*$", text.strip().split("\n")[0])
    return (len(match.group(1)), match.group(2)) if match else None


def _blocks(source: str) -> list[str]:
    """Markdown source cut into blocks at blank lines (a fence or ``<details>`` stays whole)."""
    blocks: list[str] = []
    current: list[str] = []
    fence = False
    depth = 0
    for line in source.split("\n"):
        if line.lstrip().startswith("```"):
            fence = not fence
        depth += line.count("<details") - line.count("</details>")
        if _heading(line) and not fence and depth == 0:
            if current:
                blocks.append("\n".join(current))
            blocks.append(line)
            current = []
            continue
        if not line.strip() and not fence and depth == 0:
            if current:
                blocks.append("\n".join(current))
            current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


LIST_ITEM = re.compile(r"^(?:[-*] |\d+\. )")


def _list_items(block: str) -> list[str]:
    items: list[str] = []
    for line in block.split("\n"):
        if LIST_ITEM.match(line) or not items:
            items.append(line)
        else:
            items[-1] += "\n" + line
    return items


def _balanced(text: str) -> bool:
    return text.count("[") == text.count("]") and text.count("(") == text.count(")") and (
        text.count("`") % 2 == 0 and text.count("**") % 2 == 0
    )


def _sentences(paragraph: str) -> list[str]:
    """A paragraph cut between sentences, never inside a link, code span or bold text."""
    pieces = re.split(r"(?<=[.!?:])\s+(?=[A-Z*\[(`\"“])", paragraph)
    sentences: list[str] = []
    for piece in pieces:
        if sentences and not _balanced(sentences[-1]):
            sentences[-1] += " " + piece
        else:
            sentences.append(piece)
    return sentences


def _height(block: str) -> int:
    """Estimated height of a markdown block on a slide, in CSS pixels of the frame."""
    if _heading(block):
        return HEADING
    if block.lstrip().startswith("|"):
        return TABLE_ROW * block.count("\n")
    if block.lstrip().startswith("<details"):
        return LINE
    lines = 0
    for line in _list_items(block) if LIST_ITEM.match(block) else [block]:
        text = re.sub(r"\]\([^)]*\)", "]", line)  # a link shows its text, not its address
        text = re.sub(r"\s+", " ", text)
        lines += -(-len(text) // CHARS_PER_LINE)
    return LINE * lines + 12


def _fit(block: str) -> list[str]:
    """A block cut into pieces that each fit on a slide (lists by items, prose by sentences)."""
    if _height(block) <= BUDGET or _heading(block) or block.lstrip().startswith(("|", "<")):
        return [block]
    parts = _list_items(block) if LIST_ITEM.match(block) else _sentences(block)
    if len(parts) == 1:
        return parts
    pieces: list[str] = []
    joiner = "\n" if LIST_ITEM.match(block) else " "
    for part in parts:
        if pieces and _height(pieces[-1] + joiner + part) <= BUDGET:
            pieces[-1] += joiner + part
        else:
            pieces.append(part)
    return pieces


def _output_kind(cell: nbformat.NotebookNode) -> str | None:
    data = [out.get("data", {}) for out in cell.get("outputs", [])]
    if any("image/png" in d for d in data):
        return "figure"
    if any("text/html" in d for d in data):
        return "table"
    if cell.get("outputs"):
        return "text"
    return None


def _output_height(cell: nbformat.NotebookNode) -> int:
    text = "".join(
        out.get("text", "") or out.get("data", {}).get("text/plain", "")
        for out in cell.outputs
    )
    return min(OUTPUT_MAX, 24 * (text.count("\n") + 1) + 20)


@dataclass
class _Slide:
    cells: list[nbformat.NotebookNode] = field(default_factory=list)
    height: int = 0
    key: str | None = None
    closed: bool = False  # a figure or table slide takes nothing after its caption
    kind: str = "text"


def _md(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(text)


def slides_of(nb: nbformat.NotebookNode) -> list[_Slide]:
    """The slides of a notebook's deck, as lists of cells (see the module's docstring)."""
    slides: list[_Slide] = []
    section = ""
    caption_due = False

    def new(key: str | None = None) -> _Slide:
        slides.append(_Slide(key=key))
        return slides[-1]

    for cell in nb.cells:
        source = cell.source
        skipped = cell.metadata.get("slideshow", {}).get("slide_type") == "skip"
        if skipped and cell.cell_type == "code":
            continue
        if cell.cell_type == "code":
            kind = _output_kind(cell)
            if kind is None:
                continue
            if section in SKIPPED_SECTIONS:
                continue
            if kind == "figure":
                slide = new()
                slide.cells.append(cell)
                slide.height = BUDGET
                slide.kind = "figure"
                caption_due = True
                continue
            height = OUTPUT_MAX if kind == "table" else _output_height(cell)
            slide = slides[-1] if slides else new()
            if slide.closed or slide.height + height > BUDGET or kind == "table":
                slide = new()
            slide.cells.append(cell)
            slide.height += height
            slide.closed = kind == "table"
            continue
        if source.lstrip().startswith("---\n[") or source.lstrip().startswith("---\r\n["):
            continue  # the navigation cell
        for block in _blocks(source):
            heading = _heading(block)
            if heading:
                level, title = heading
                if level <= 2:
                    section = title
                caption_due = False
                if section in SKIPPED_SECTIONS:
                    continue
                slide = new(key=title)
                slide.cells.append(_md(block))
                slide.height = HEADING
                continue
            if section in SKIPPED_SECTIONS:
                continue
            if caption_due and block.startswith("**Figure"):
                caption_due = False
                for out in slides[-1].cells[0].get("outputs", []):  # the whole paragraph, as text
                    if "image/png" in out.get("data", {}):
                        out.setdefault("metadata", {}).setdefault("image/png", {})["alt"] = (
                            " ".join(re.sub(r"\[([^\]]*)\]\([^)]*\)|[*`]", r"\1", block).split()))
                first, *rest = _sentences(block)
                if len(first) > CAPTION_MAX:  # keep the figure's slide to about three lines
                    cut = max(first.rfind(mark, 0, CAPTION_MAX) for mark in ("; ", ": ", ", "))
                    if cut > 0 and _balanced(first[:cut]):
                        rest.insert(0, "(…) " + first[cut + 2:])
                        first = first[:cut + 1] + " (…)"
                slides[-1].cells.append(_md(first))
                match = re.match(r"\*\*(Figure \d+)", first)
                slides[-1].key = match.group(1) if match else None
                slides[-1].closed = True
                block = " ".join(rest)
                if not block:
                    continue
            caption_due = False
            if section == "Discussion prompts" and LIST_ITEM.match(block):
                for number, item in enumerate(_list_items(block), 1):
                    slide = slides[-1] if number == 1 and len(slides[-1].cells) == 1 else new()
                    if number > 1:
                        slide.cells.append(_md(f"## Discussion prompt {number}"))
                    slide.cells.append(_md(item))
                    slide.closed = True
                continue
            for piece in _fit(block):
                height = _height(piece)
                slide = slides[-1] if slides else new()
                if slide.closed or slide.height + height > BUDGET:
                    slide = new()
                slide.cells.append(_md(piece))
                slide.height += height
    return [s for s in slides if s.cells]


def deck_notebook(nb: nbformat.NotebookNode, notes: dict[str, str]) -> nbformat.NotebookNode:
    """The notebook nbconvert renders as the deck: one horizontal slide per :func:`slides_of`.

    ``notes`` (from :func:`load_notes`) become each keyed slide's speaker notes; a key that
    names no slide raises ``KeyError`` (a renamed heading must not lose its notes silently).
    """
    slides = slides_of(nb)
    keys = {s.key for s in slides}
    if missing := sorted(set(notes) - keys):
        raise KeyError(f"speaker notes for slides the deck does not have: {missing}")
    deck = nbformat.v4.new_notebook(metadata=nb.metadata)
    used: set[str] = set()
    for slide in slides:
        for position, cell in enumerate(slide.cells):
            cell = nbformat.from_dict(json.loads(json.dumps(cell)))  # a copy
            cell.metadata = {"slideshow": {"slide_type": "slide" if position == 0 else "-"}}
            if position == 0:
                cell.metadata["slideshow"]["data"] = {"kind": slide.kind}
            deck.cells.append(cell)
        if slide.key in notes and slide.key not in used:
            used.add(slide.key)
            note = _md(notes[slide.key])
            note.metadata = {"slideshow": {"slide_type": "notes"}}
            deck.cells.append(note)
    return deck


@functools.lru_cache(maxsize=4)
def _exporter(reveal_dir: str, require_js: str, jquery_js: str) -> Any:
    """One exporter per set of addresses: its templates compile once (most of a deck's cost)."""
    from nbconvert import SlidesExporter

    return SlidesExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        reveal_url_prefix=reveal_dir,
        reveal_theme="white",
        require_js_url=require_js,
        jquery_url=jquery_js,
        mathjax_url="",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def export_deck(notebook: Path, out_dir: Path, *, reveal_dir: str, require_js: str,
                jquery_js: str) -> Path:
    """Write the deck of ``notebook`` to ``out_dir`` (the vendored scripts are copied by the
    caller, :func:`tools.export.export_slides`)."""
    nb = nbformat.read(notebook, as_version=4)
    deck = deck_notebook(nb, load_notes(notebook.stem))
    resources = {
        "metadata": {"name": notebook.stem},
        "course_deck": {"css": DECK_CSS, "config": json.dumps(REVEAL_CONFIG)},
    }
    exporter = _exporter(reveal_dir, require_js, jquery_js)
    body, _ = exporter.from_notebook_node(deck, resources=resources)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{notebook.stem}.slides.html"
    target.write_text(body, encoding="utf-8")
    return target


# ---------------------------------------------------------------------------- the browser
def _chromium() -> str:
    from tools.export import chromium

    binary = chromium()
    if binary is None:
        raise RuntimeError("Chromium is not installed: apt-get install chromium")
    return binary


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``).

    Messages are JSON, separated by NUL bytes, on the child's file descriptors 3 (commands in)
    and 4 (replies and events out): no port is opened and no package is needed. Use it as a
    context manager; :meth:`page` opens a tab whose events (requests, console, exceptions) are
    collected until it is closed.
    """

    def __init__(self) -> None:
        from tools.export import CHROMIUM_FLAGS

        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        self._profile = tempfile.TemporaryDirectory(prefix="chromium-profile-")

        def plumb() -> None:  # in the child, before exec: commands on fd 3, replies on fd 4
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        self._process = subprocess.Popen(
            [_chromium(), *CHROMIUM_FLAGS, "--remote-debugging-pipe",
             f"--user-data-dir={self._profile.name}", "about:blank"],
            pass_fds=(to_child_r, from_child_w, 3, 4),
            preexec_fn=plumb,  # the tests start browsers from one thread only
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self._auto_attach = False
        self.events: dict[str, list[dict[str, Any]]] = {}

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError):
            self.call("Browser.close", timeout=5)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        for fd in (self._to_child, self._from_child):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._profile.cleanup()

    def _read(self, timeout: float) -> dict[str, Any]:
        import select

        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_child], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def _dispatch(self, message: dict[str, Any]) -> None:
        session = message.get("sessionId", "")
        self.events.setdefault(session, []).append(message)
        if message.get("method") == "Target.attachedToTarget":
            # a new tab or window, paused at its start: record its events, then let it run
            child = message["params"]["sessionId"]
            for domain in ("Network", "Runtime", "Log", "Page"):
                self._send(f"{domain}.enable", None, child)
            self._send("Runtime.runIfWaitingForDebugger", None, child)

    def _send(self, method: str, params: dict[str, Any] | None, session: str | None) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        return self._next_id

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 60) -> dict[str, Any]:
        """Send one command and return its result (events that arrive meanwhile are kept)."""
        wanted = self._send(method, params, session)
        while True:
            reply = self._read(timeout)
            if reply.get("id") == wanted:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._dispatch(reply)

    def pump(self, seconds: float) -> None:
        """Collect events for ``seconds``."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                self._dispatch(self._read(left))
            except TimeoutError:
                return

    def page(self, width: int, height: int) -> Page:
        """A new tab of ``width`` x ``height`` CSS pixels, recording requests and console."""
        if not self._auto_attach:
            # every new tab or window is attached, paused until its events are watched
            self.call("Target.setAutoAttach",
                      {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True})
            self._auto_attach = True
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        page = Page(self, target, "")
        page.session = page.attach(lambda info: info["targetId"] == target)
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                  page.session)
        return page


@dataclass
class Page:
    """One tab of a :class:`Browser` (and any window it opens, attached automatically)."""

    browser: Browser
    target: str
    session: str
    sessions: list[str] = field(default_factory=list)

    def _events(self) -> list[dict[str, Any]]:
        found = []
        for session in list(self.sessions):
            found += self.browser.events.get(session, [])
        return found

    def attach(self, wanted: Any, timeout: float = 10) -> str:
        """Watch the first attached target for which ``wanted(targetInfo)`` holds; its session."""
        deadline = time.monotonic() + timeout
        while True:
            for event in self.browser.events.get("", []):
                params = event.get("params", {})
                if (event.get("method") == "Target.attachedToTarget"
                        and params["sessionId"] not in self.sessions
                        and wanted(params["targetInfo"])):
                    self.sessions.append(params["sessionId"])
                    return params["sessionId"]
            if time.monotonic() > deadline:
                raise TimeoutError("no such window was opened")
            self.browser.pump(0.05)

    def opened_window(self, timeout: float = 10) -> str:
        """The session of a window this page opened (the speaker view), watched from its start."""
        return self.attach(lambda info: info.get("openerId") == self.target, timeout)

    def open(self, url: str, ready: str = "document.readyState === 'complete'",
             settle: float = 0.1) -> None:
        """Load ``url`` and wait until ``ready`` (a JavaScript expression) holds."""
        self.browser.call("Page.navigate", {"url": url}, self.session)
        self.wait_for(ready)
        self.browser.pump(settle)

    def open_deck(self, url: str) -> None:
        """Load a slide deck and wait until reveal.js has started."""
        self.open(url, "typeof Reveal !== 'undefined' && Reveal.isReady && Reveal.isReady()")

    def evaluate(self, expression: str, session: str | None = None) -> Any:
        result = self.browser.call("Runtime.evaluate", {
            "expression": expression, "returnByValue": True, "awaitPromise": True},
            session or self.session)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 20, session: str | None = None) -> None:
        deadline = time.monotonic() + timeout
        while not self.evaluate(f"!!({expression})", session):
            if time.monotonic() > deadline:
                raise TimeoutError(f"never true: {expression}")
            self.browser.pump(0.05)

    def key(self, key: str, code: int) -> None:
        """Press a key (a real input event, so a window it opens is not blocked as a popup)."""
        for kind in ("keyDown", "keyUp"):
            text = key if kind == "keyDown" and len(key) == 1 else ""
            self.browser.call("Input.dispatchKeyEvent", {
                "type": kind, "key": key, "text": text,
                "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code}, self.session)
        self.browser.pump(0.1)

    def requests(self) -> list[str]:
        """Every address the page (and the windows it opened) requested."""
        return [e["params"]["request"]["url"] for e in self._events()
                if e.get("method") == "Network.requestWillBeSent"]

    def console_problems(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions, and failed loads, as text."""
        problems = []
        for event in self._events():
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params["type"] in ("error", "warning",
                                                                          "assert"):
                args = " ".join(str(a.get("value", a.get("description", ""))) for a in
                                params["args"])
                problems.append(f"console.{params['type']}: {args}")
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                thrown = details.get("exception", {}).get("description") or details["text"]
                problems.append(f"exception: {thrown}")
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                entry = params["entry"]
                problems.append(
                    f"{entry['source']} {entry['level']}: {entry['text']} {entry.get('url', '')}")
            elif method == "Network.loadingFailed":
                problems.append(f"failed to load: {params.get('errorText')}")
        return problems

    def screenshot(self, png: Path) -> Path:
        result = self.browser.call("Page.captureScreenshot", {"format": "png"}, self.session)
        png.parent.mkdir(parents=True, exist_ok=True)
        png.write_bytes(base64.b64decode(result["data"]))
        return png

    def pdf(self) -> bytes:
        result = self.browser.call("Page.printToPDF", {
            "printBackground": True, "preferCSSPageSize": True}, self.session)
        return base64.b64decode(result["data"])


LOCAL = re.compile(r"^(?:file:|data:|about:|blob:|https?://(?:127\.0\.0\.1|localhost|\[::1\])[:/])")


def remote_requests(urls: list[str]) -> list[str]:
    """The addresses that would leave the machine (anything but file, data, about, loopback)."""
    return [url for url in urls if not LOCAL.match(url)]


MEASURE = """
(() => {
  const frame = Reveal.getConfig();
  const slides = [...document.querySelectorAll('.reveal .slides > section')].map((h, index) => {
    const s = h.querySelector('section') || h;  // nbconvert wraps each slide in a stack of one
    const shown = [h.style.display, s.style.display];
    h.style.display = 'block';
    s.style.display = 'block';
    const size = {index: index, height: s.scrollHeight, width: s.scrollWidth,
                  title: (s.querySelector('h1,h2,h3') || {}).textContent || '',
                  text: s.textContent.trim().replace(/\\s+/g, ' ').slice(0, 80),
                  notes: [...s.querySelectorAll('aside.notes')].map(a => a.textContent.trim()),
                  room: s.clientWidth - parseFloat(getComputedStyle(s).paddingLeft) -
                        parseFloat(getComputedStyle(s).paddingRight),
                  images: [...s.querySelectorAll('img')].map(i => ({
                    natural: i.naturalHeight, shown: i.getBoundingClientRect().height /
                    Reveal.getScale(), natural_width: i.naturalWidth,
                    shown_width: i.getBoundingClientRect().width / Reveal.getScale(),
                    screen_width: i.getBoundingClientRect().width}))};
    [h.style.display, s.style.display] = shown;
    return size;
  });
  return {width: frame.width, height: frame.height, innerWidth: window.innerWidth,
          innerHeight: window.innerHeight, scale: Reveal.getScale(),
          stacks: document.querySelectorAll('.reveal .slides > section').length,
          total: Reveal.getTotalSlides(), slides: slides};
})()
"""


def measure(page: Page) -> dict[str, Any]:
    """Every slide of the open deck: its content size (frame pixels), its on-screen box."""
    return page.evaluate(MEASURE)
