"""Parsing untrusted XML from a package without DTDs or entities.

``defusedxml`` and ``lxml`` are not dependencies of the project, so this drives the
standard library's expat directly and refuses any document type declaration, entity
declaration or external entity before it can be expanded (billion laughs, XXE). EYP parts
never need a DTD (standards.md 2.2–2.4: they are schema-described XML).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.parsers import expat


class XmlRefused(Exception):
    """The bytes are not acceptable XML; the message is a sentence for the reasons list."""


class _Forbidden(Exception):
    pass


def _clark(name: str) -> str:
    # expat with namespace_separator="}" reports "uri}local"; ElementTree wants "{uri}local".
    return "{" + name if "}" in name else name


def parse_xml(data: bytes, part_name: str) -> ET.Element:
    """Parse ``data`` into an Element tree, refusing DTDs and entities."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def forbid(*_args):
        raise _Forbidden

    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.UnparsedEntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid
    parser.StartElementHandler = lambda name, attrs: builder.start(
        _clark(name), {_clark(k): v for k, v in attrs.items()}
    )
    parser.EndElementHandler = lambda name: builder.end(_clark(name))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except _Forbidden:
        raise XmlRefused(
            f"{part_name}: contains a DTD or entity declaration, which is not allowed "
            "in an e-Yazışma package (refused as unsafe)"
        ) from None
    except expat.ExpatError as exc:
        raise XmlRefused(f"{part_name}: not well-formed XML ({exc})") from None
    except (LookupError, ValueError) as exc:  # e.g. an unknown encoding declaration
        raise XmlRefused(f"{part_name}: the XML cannot be read ({exc})") from None
    return builder.close()


def local(tag: str) -> str:
    """The local name of a Clark-notation tag."""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def child(element: ET.Element | None, name: str) -> ET.Element | None:
    """The first child with this local name, in any namespace (Tipler-2 or the part's own)."""
    if element is None:
        return None
    for sub in element:
        if local(sub.tag) == name:
            return sub
    return None


def children(element: ET.Element | None, name: str) -> list[ET.Element]:
    if element is None:
        return []
    return [sub for sub in element if local(sub.tag) == name]


def text(element: ET.Element | None, name: str | None = None) -> str:
    """Stripped text of ``element`` (or of its child ``name``); empty when absent."""
    if name is not None:
        element = child(element, name)
    if element is None or element.text is None:
        return ""
    return element.text.strip()
