"""Finish Chromium's tagged PDF for PDF/UA-1: language, title, XMP claim, artifacts, properties.

Chromium (``page.pdf(tagged=True, outline=True)``) writes the structure tree and the
outline, and takes each figure's ``/Alt`` from the HTML (a chart's SVG ``aria-label``, a
``<figure>``'s caption through ``aria-labelledby``); what it leaves is done here with pikepdf:
``/Lang`` and the document title shown in the window, the XMP packet with ``pdfuaid:part 1``,
and the running head and "Page N of M" (text outside any marked content) wrapped as
``/Artifact``, and the document properties (author and subject, from the HTML's ``<meta>``
tags; jdkit as the creator), appended as an incremental update. A few ms a document: content
streams are rewritten with ``bytes.find`` and recompressed here; the rest of the file is kept
as it is.
"""

from __future__ import annotations

import io
import re
import zlib
from html import unescape
from typing import Any
from xml.sax.saxutils import escape

__all__ = ["finish_pdf", "finish_from_html", "mark_artifacts"]


_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>{properties}
<pdf:Producer>{producer}</pdf:Producer><xmp:CreatorTool>jdkit</xmp:CreatorTool>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""


_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_LANG = re.compile(r'<html[^>]*\slang="([^"]+)"')
_META = re.compile(r'<meta name="(author|description)" content="([^"]*)">')


def finish_from_html(pdf: bytes, html: str) -> bytes:
    """``finish_pdf`` with the title, language and chart alternatives read from the printed HTML
    (jdkit's own document or notebook export: ``<title>`` and ``<html lang>``);
    ``pdf`` unchanged when pikepdf is not installed."""
    try:
        import pikepdf  # noqa: F401
    except ImportError:
        return pdf
    head = html[: html.find("</head>")]
    title = _TITLE.search(head)
    lang = _LANG.search(head)
    meta = {name: unescape(value) for name, value in _META.findall(head)}
    return finish_pdf(
        pdf,
        title=unescape(title.group(1).strip()) if title else "Job description",
        lang=lang.group(1) if lang else "en",
        author=meta.get("author", ""),
        subject=meta.get("description", ""),
    )


def finish_pdf(
    pdf: bytes, *, title: str, lang: str = "en", author: str = "", subject: str = ""
) -> bytes:
    """Return ``pdf`` completed for PDF/UA-1 (see the module's docstring); pikepdf reads it.

    The changes are appended as an incremental update (new versions of the page content
    streams and the catalog, a new XMP stream, a cross-reference section for them), so the
    rest of the file is kept byte for byte and nothing is re-serialised (qpdf's save and its
    first new object cost ~25 ms a document).
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        trailer = doc.trailer
        if (
            "/Prev" in trailer
            or not pdf.rstrip().endswith(b"%%EOF")
            or b"startxref" not in pdf[-64:]
        ):
            return _finish_with_qpdf(doc, title=title, lang=lang, author=author, subject=subject)
        updates: dict[int, bytes] = {}
        for page in doc.pages:
            contents = page.obj.get("/Contents")
            if not isinstance(contents, pikepdf.Stream) or not contents.is_indirect:
                return _finish_with_qpdf(
                    doc, title=title, lang=lang, author=author, subject=subject
                )
            data = contents.read_bytes()
            marked = mark_artifacts(data)
            if marked is not data:
                updates[contents.objgen[0]] = _stream(
                    zlib.compress(marked, 1), b"/Filter /FlateDecode"
                )
        number = int(trailer.Size)
        info = _info(doc.docinfo if "/Info" in trailer else {}, title, author, subject)
        producer = str(info.get("/Producer", "Chromium"))
        updates[number] = _stream(
            _xmp(title, lang, producer, author, subject), b"/Type /Metadata /Subtype /XML"
        )
        updates[number + 1] = (
            b"<< " + b" ".join(k.encode() + b" " + v.unparse() for k, v in info.items()) + b" >>"
        )
        root = doc.Root
        catalog = {str(key): root[str(key)].unparse(resolved=False) for key in root}
        catalog["/Metadata"] = b"%d 0 R" % number
        catalog["/Lang"] = pikepdf.String(lang).unparse()
        catalog["/MarkInfo"] = b"<< /Marked true >>"
        catalog["/ViewerPreferences"] = b"<< /DisplayDocTitle true >>"
        updates[root.objgen[0]] = (
            b"<< " + b" ".join(k.encode() + b" " + v for k, v in catalog.items()) + b" >>"
        )
        previous = int(pdf[pdf.rindex(b"startxref") + 9 :].split()[0])
        return _append(
            pdf,
            updates,
            size=number + 2,
            root=root.objgen[0],
            previous=previous,
            extra=[b"/Info %d 0 R" % (number + 1)],
        )


def _info(old: Any, title: str, author: str, subject: str) -> dict[str, Any]:
    """The document information dictionary: Chromium's (its producer and dates) with the title,
    the author and subject when known, and jdkit as the creator, as the XMP packet says."""
    import pikepdf

    info = {str(key): old[key] for key in old if str(key) not in ("/Author", "/Subject")}
    info["/Title"] = pikepdf.String(title)
    info["/Creator"] = pikepdf.String("jdkit")
    if author:
        info["/Author"] = pikepdf.String(author)
    if subject:
        info["/Subject"] = pikepdf.String(subject)
    return info


def _stream(data: bytes, keys: bytes) -> bytes:
    return b"<< " + keys + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _xmp(title: str, lang: str, producer: str, author: str = "", subject: str = "") -> bytes:
    properties = ""
    if author:
        properties += (
            f"\n<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>"
        )
    if subject:
        properties += (
            '\n<dc:description><rdf:Alt><rdf:li xml:lang="x-default">'
            f"{escape(subject)}</rdf:li></rdf:Alt></dc:description>"
        )
    return _XMP.format(
        title=escape(title), lang=escape(lang), producer=escape(producer), properties=properties
    ).encode("utf-8")


def _append(
    pdf: bytes,
    objects: dict[int, bytes],
    *,
    size: int,
    root: int,
    previous: int,
    extra: list[bytes],
) -> bytes:
    """``pdf`` with ``objects`` (number -> body, generation 0) appended as an incremental update."""
    out = [pdf if pdf.endswith(b"\n") else pdf + b"\n"]
    offset = len(out[0])
    offsets: dict[int, int] = {}
    for number, body in sorted(objects.items()):
        chunk = b"%d 0 obj\n" % number + body + b"\nendobj\n"
        offsets[number] = offset
        out.append(chunk)
        offset += len(chunk)
    xref = [b"xref\n"]
    for number, at in sorted(offsets.items()):  # one subsection per object: simple and valid
        xref.append(b"%d 1\n%010d 00000 n \n" % (number, at))
    out += xref
    out.append(
        b"trailer\n<< /Size %d /Root %d 0 R /Prev %d " % (size, root, previous)
        + b" ".join(extra)
        + b" >>\nstartxref\n%d\n%%%%EOF\n" % offset
    )
    return b"".join(out)


def _finish_with_qpdf(doc: Any, *, title: str, lang: str, author: str, subject: str) -> bytes:
    """The same changes through pikepdf's save, for a PDF not laid out as Chromium writes it."""
    import pikepdf

    root = doc.Root
    root.Lang = pikepdf.String(lang)
    root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    root.MarkInfo = pikepdf.Dictionary(Marked=True)
    info = _info(doc.docinfo, title, author, subject)
    for key in list(doc.docinfo.keys()):
        del doc.docinfo[key]
    for key, value in info.items():
        doc.docinfo[key] = value
    producer = str(info.get("/Producer", "Chromium"))
    metadata = pikepdf.Stream(doc, _xmp(title, lang, producer, author, subject))
    metadata.Type, metadata.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
    root.Metadata = metadata
    for page in doc.pages:
        page.contents_coalesce()
        marked = mark_artifacts(page.obj.Contents.read_bytes())
        page.obj.Contents.write(marked)
    out = io.BytesIO()
    doc.save(out, fix_metadata_version=False)
    return out.getvalue()


def mark_artifacts(content: bytes) -> bytes:
    """Wrap each text object outside marked content in ``/Artifact BMC ... EMC``; ``content`` itself
    when there is none.

    Chromium (Skia) writes one operator per line and glyphs as hex strings, so operators are found
    as whole lines with ``bytes.find`` (a tokenizer in Python costs ~6 ms a page).
    """
    text = b"\n" + content
    events: list[tuple[int, bytes]] = []
    for op, needle in (
        (b"BT", b"\nBT\n"),
        (b"ET", b"\nET\n"),
        (b"EMC", b"\nEMC\n"),
        (b"BDC", b"BDC\n"),  # Chromium writes "/P <</MCID 0 >>BDC"
        (b"BMC", b" BMC\n"),
    ):
        at = text.find(needle)
        while at >= 0:
            events.append((at, op))
            at = text.find(needle, at + 1)
    events.sort()
    out: list[bytes] = []
    depth, last, wrapping = 0, 0, False
    for at, op in events:
        if op in (b"BDC", b"BMC"):
            depth += 1
        elif op == b"EMC":
            depth -= 1
        elif op == b"BT" and depth == 0:
            out += [text[last : at + 1], b"/Artifact BMC\n"]
            last, wrapping = at + 1, True
        elif op == b"ET" and wrapping:
            out += [text[last : at + 4], b"EMC\n"]
            last, wrapping = at + 4, False
    if not out:
        return content
    out.append(text[last:])
    return b"".join(out)[1:]
