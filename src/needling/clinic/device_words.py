"""A catalogue device in words for the people who read it (the catalogue's name is a code such as
``dermaroller-192-0.2``): the portal, the consent texts, the home-care forms."""

from __future__ import annotations

from needling.devices import list_devices
from needling.i18n import N_, millimetres, translate

#: A catalogue device as a patient reads it, by its kind.
DEVICE_WORDS = {"roller": N_("Dermaroller with %(n)s needles"), "pen": N_("Dermapen with %(n)s needles")}


#: The built-in catalogue by name: a stored device name is only ever looked up here, never opened as a file.
_CATALOGUE = {d.name: d for d in list_devices()}


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
    device = _CATALOGUE.get(name)
    if device is None:
        return name
    text = translate(lang, DEVICE_WORDS[device.kind], n=device.needle_count)
    return f"{text}, {millimetres(device.needle_length_mm, lang)}" if with_length else text
