"""PDF/A-2b for the archive (Noark 5): XMP metadata, the document language, an sRGB output intent.

Called on the ReportLab canvas before the first page. Fonts are embedded by tracker.pdf_fonts;
ReportLab writes the file identifier and a binary header comment; nothing here is encrypted,
transparent or compressed where PDF/A forbids it.
"""

from functools import lru_cache
from xml.sax.saxutils import escape

from PIL import ImageCms
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString
from reportlab.pdfbase.pdfdoc import format as pdf_format

LANGUAGE = "nb-NO"
ICC_VERSION_4_2 = bytes((4, 0x20, 0, 0))
SRGB = "sRGB IEC61966-2.1"


class _UnfilteredStream(PDFStream):
    """A stream written as is: PDF/A forbids a Filter on the metadata stream."""

    def format(self, document):
        dictionary = PDFDictionary(self.dictionary.dict.copy())
        dictionary["Length"] = len(self.content)
        return pdf_format(dictionary, document) + b"\nstream\n" + self.content + b"\nendstream\n"


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """lcms's built-in sRGB profile, marked ICC 4.2 (the newest PDF/A-2 allows) with a fixed date."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile[8:12] = ICC_VERSION_4_2
    profile[24:36] = bytes((0x07, 0xEA, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0))  # 2026-01-01 00:00:00
    return bytes(profile)


def _xmp_date(stamp) -> str:
    year, month, day, hour, minute, second = stamp.YMDhms
    sign = "+" if stamp.dhh >= 0 else "-"
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{sign}{abs(stamp.dhh):02d}:{stamp.dmm:02d}"


def xmp(info, stamp) -> bytes:
    """The XMP packet: PDF/A-2b identification and the document information's values, equal to /Info."""
    date = _xmp_date(stamp)
    text = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(info.title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{escape(info.author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(info.subject)}</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>{LANGUAGE}</rdf:li></rdf:Bag></dc:language>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<xmp:CreatorTool>{escape(info.creator)}</xmp:CreatorTool>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<xmp:MetadataDate>{date}</xmp:MetadataDate>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdf:Producer>{escape(info.producer)}</pdf:Producer>
<pdf:Keywords>{escape(info.keywords)}</pdf:Keywords>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return text.encode("utf-8")


def make_archival(canvas, keywords: str) -> None:
    """Mark the canvas's document PDF/A-2b: metadata, language and the sRGB output intent."""
    document = canvas._doc
    canvas.setKeywords(keywords)
    catalog = document.Catalog
    catalog.Lang = PDFString(LANGUAGE)
    metadata = _UnfilteredStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}))
    metadata.content = xmp(document.info, document._timeStamp)
    catalog.Metadata = metadata
    profile = PDFStream(PDFDictionary({"N": 3}), srgb_profile())
    intent = PDFDictionary(
        {
            "Type": PDFName("OutputIntent"),
            "S": PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": PDFString(SRGB),
            "Info": PDFString(SRGB),
            "DestOutputProfile": document.Reference(profile),
        }
    )
    # The catalog writes only the keys it knows; OutputIntents is one more.
    catalog.__NoDefault__ = [*type(catalog).__NoDefault__, "OutputIntents"]
    catalog.__Refs__ = catalog.__NoDefault__
    catalog.OutputIntents = PDFArray([intent])
