"""A catalogue device in words for the people who read it (the catalogue's name is a code such as
``dermaroller-192-0.2``): the portal, the consent texts, the home-care forms, the clinician's forms and lists
(:func:`device_label`, where a select still submits the name) and the clinician's printed plan."""

from __future__ import annotations

from needling.devices import catalogue_device
from needling.i18n import N_, millimetres, translate

#: A catalogue device as a patient reads it, by its kind.
DEVICE_WORDS = {"roller": N_("Dermaroller with %(n)s needles"), "pen": N_("Dermapen with %(n)s needles")}
#: A pen as a clinician reads it: its depth is set per session, so the label gives the range it can be set to.
PEN_DEPTH = N_("%(device)s, depth up to %(mm)s")


def device_words(name: str, lang: str = "en", with_length: bool = False) -> str:
    """A catalogue device in words.

    Parameters
    ----------
    name : str
        The device's catalogue name, such as ``home-roller-540-0.25``.
    lang : str
        The reader's language, ``en`` or ``sv``.
    with_length : bool
        Add the needle length (``, 0,25 mm``).

    Returns
    -------
    str
        ``Dermaroller med 540 nålar`` (``, 0,25 mm`` with the length); a name the catalogue does not know is
        returned as it is.
    """
    device = catalogue_device(name)  # a stored name is never opened as a file
    if device is None:
        return name
    text = translate(lang, DEVICE_WORDS[device.kind], n=device.needle_count)
    return f"{text}, {millimetres(device.needle_length_mm, lang)}" if with_length else text


def device_label(name: str | None, lang: str = "en") -> str:
    """A device as a clinician reads it in a form or a list: one label for each catalogue device.

    Parameters
    ----------
    name : str or None
        The device's name: a catalogue name (``dermaroller-192-1.5``) or a model the clinic registered.
    lang : str
        The reader's language, ``en`` or ``sv``.

    Returns
    -------
    str
        A roller with its needle length (``Dermaroller with 192 needles, 1.5 mm``), a pen with the deepest
        setting it allows (``Dermapen with 11 needles, depth up to 2.5 mm``); a registered model keeps the name
        the clinic gave it, and ``None`` is empty.
    """
    if name is None:
        return ""
    device = catalogue_device(name)  # a stored name is never opened as a file
    if device is None:
        return name
    if device.kind == "roller":
        return device_words(name, lang, with_length=True)
    text = device_words(name, lang)
    if device.depth_max_mm is None:
        return text
    return translate(lang, PEN_DEPTH, device=text, mm=millimetres(device.depth_max_mm, lang))
