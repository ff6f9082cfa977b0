"""A catalogue device in words on the clinic's pages (the words themselves live with the report, which prints
them on the plan too), and device names among a refusal's params written as those words on a page."""

from __future__ import annotations

from needling.report.device_words import DEVICE_WORDS, PEN_DEPTH, device_label, device_words

__all__ = ["DEVICE_WORDS", "PEN_DEPTH", "DeviceNames", "device_label", "device_words"]


class DeviceNames(str):
    """One or several device names among a refusal's params: the English line keeps the names as they are
    (``dermapen-11, pro-pen-14``), a page writes each as its clinician's label (:func:`needling.i18n.reason`
    calls :meth:`in_words`).

    Parameters
    ----------
    names : str or list of str
        The device name, or the names in the order the sentence lists them.
    """

    names: tuple[str, ...]

    def __new__(cls, names: str | list[str] | tuple[str, ...]) -> DeviceNames:
        listed = (names,) if isinstance(names, str) else tuple(names)
        made = super().__new__(cls, ", ".join(listed))
        made.names = listed
        return made

    def in_words(self, lang: str) -> str:
        """The names as labels in ``lang``, separated by commas."""
        return ", ".join(device_label(n, lang) for n in self.names)
