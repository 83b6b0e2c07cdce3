"""Screens that come back: shown under a display id, drawn again in place when the browser
refused their widgets (JupyterLab's ipywidgets start-up race, "Error displaying widget: model
not found"), with a plain-HTML note for a front end that cannot draw widgets at all.

Why this works: a widget made before JupyterLab's widget manager listens on a new kernel is
refused by the browser, which closes the widget's comm. The kernel hears that close; by then
the manager listens, so the screen is built again from its kept state (decisions live in the
state file, a mapping in the screen's values) and the output is updated in place. After a page
reload with the kernel still running, ipywidgets restores the models from the kernel itself.
"""
from __future__ import annotations

from typing import Any, Protocol

from workbench.labels import label

# How often a screen is built again for one display, so a browser that refuses every widget
# does not keep the kernel busy.
MAX_REBUILDS = 3


class Screen(Protocol):
    """A screen with a top-level ipywidget ``view`` that it can build again from its state."""

    view: Any

    def rebuild(self) -> None:
        """Make fresh widgets (a new ``view``) showing the same state."""


def screen_bundle(view: Any, lang: str | None = None) -> dict:
    """The widget's display data, with an HTML note (in ``lang``) for front ends without
    widgets."""
    bundle = dict(view._repr_mimebundle_())
    bundle["text/html"] = (f"<p class='wb-screen-fallback'><i>{label('screen.fallback', lang)}"
                           "</i></p>")
    return bundle


class Shown:
    """One screen shown under a display id: built again and updated in place when refused."""

    def __init__(self, screen: Screen) -> None:
        from IPython.display import display

        self.screen = screen
        self.rebuilds = 0
        self.handle = display(self._bundle(), raw=True, display_id=True)
        self._watch()

    def _bundle(self) -> dict:
        """The screen's display data, its note in the screen's language."""
        return screen_bundle(self.screen.view, getattr(self.screen, "language", None))

    def _watch(self) -> None:
        comm = getattr(self.screen.view, "comm", None)
        if comm is not None:
            comm.on_close(self._refused)

    def _refused(self, _msg: object) -> None:
        """The browser closed the screen's comm: build it again and show it in place."""
        if self.rebuilds >= MAX_REBUILDS:
            return
        self.rebuilds += 1
        self.screen.rebuild()
        if self.handle is not None:
            # Through the note first: JupyterLab reuses the output's widget renderer for a new
            # widget view, and ipywidgets hid that renderer when the lost view went.
            self.handle.update({"text/html": self._bundle()["text/html"]},
                               raw=True)
            self.handle.update(self._bundle(), raw=True)
        self._watch()


def show_screen(screen: Screen) -> Shown:
    """Show a screen so that it comes back when the browser loses it at kernel start."""
    return Shown(screen)
