"""Word manuscripts: the reference document (page and styles) and Markdown -> .docx via pandoc.

The reference document is pandoc's own default, restyled with python-docx: A4, 2 cm margins,
Times New Roman 12 pt, single spacing, page numbers, booktabs-like tables. Any manuscript
Markdown (the article, a supplement) becomes .docx by :func:`render_docx`; Word files are
zip archives, so :func:`normalise_zip` rewrites them with fixed entry dates and order to make
rebuilds byte-identical.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

from kzopen.article.render import References
from kzopen.core.io import atomic_path
from kzopen.core.pandoc import pandoc_path, run_pandoc

FONT = "Times New Roman"
BODY_PT = 12
TABLE_PT = 10
MARGIN_CM = 2.0
# Paragraph styles of the front matter (custom-style in the Markdown): name -> (size, bold, align)
FRONT_STYLES = {
    "Draft notice": (BODY_PT, True, "center"),
    "Classification": (BODY_PT, False, "left"),
    "Authors": (BODY_PT, False, "left"),
}
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry


def print_tables(xml: str) -> str:
    """Tables that print: rows never split across pages (``cantSplit``), the header row repeats
    (``tblHeader``), and columns widen to fit their words (``autofit`` instead of pandoc's fixed
    layout, which breaks words such as "Kazakhstan" in narrow columns)."""
    xml = xml.replace('<w:tblLayout w:type="fixed" />', '<w:tblLayout w:type="autofit" />')
    xml = xml.replace("<w:tr><w:trPr>", "<w:tr><w:trPr><w:cantSplit />")
    xml = xml.replace("<w:tr><w:tc>", "<w:tr><w:trPr><w:cantSplit /></w:trPr><w:tc>")
    return _keep_labels_with_tables(xml)


def _keep_labels_with_tables(xml: str) -> str:
    """The paragraph just before a table (its label, e.g. the supplement's "Table S3. ...",
    typed in the text) is kept on the page of the table's first row (``keepNext``)."""
    parts = xml.split("<w:tbl>")
    for k, before in enumerate(parts[:-1]):
        start = before.rfind("<w:p>")
        para = before[start:]
        if start < 0 or not para.rstrip().endswith("</w:p>") or "<w:keepNext" in para:
            continue
        if para.startswith("<w:p><w:pPr>"):
            style = re.match(r"<w:p><w:pPr>(<w:pStyle [^>]*/>)?", para)
            para = para[: style.end()] + "<w:keepNext />" + para[style.end() :]
        else:
            para = "<w:p><w:pPr><w:keepNext /></w:pPr>" + para[len("<w:p>") :]
        parts[k] = before[:start] + para
    return "<w:tbl>".join(parts)


# pandoc's figure caption with native numbering: "Figure " then the SEQ field holding the number
_FIGURE_NUMBER = re.compile(
    r'(<w:t xml:space="preserve">[^<]*)(</w:t></w:r><w:fldSimple w:instr="SEQ Figure )'
)


def number_figures(xml: str, prefix: str) -> str:
    """Figure captions numbered with ``prefix`` ("Figure S1" for the supplement's "S"): the
    prefix stands between the caption's "Figure " and Word's own sequence field."""
    if not prefix:
        return xml
    return _FIGURE_NUMBER.sub(lambda m: m.group(1) + prefix + m.group(2), xml)


def normalise_zip(data: bytes, figure_prefix: str = "") -> bytes:
    """The same archive with fixed dates, permissions and order ([Content_Types].xml first),
    its tables made printable (:func:`print_tables`) and its figures numbered with
    ``figure_prefix`` (:func:`number_figures`)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            body = src.read(name)
            if name == "word/document.xml":
                xml = number_figures(print_tables(body.decode("utf-8")), figure_prefix)
                body = xml.encode("utf-8")
            dst.writestr(info, body, compresslevel=9)
    return out.getvalue()


def _set_font(style, size_pt: float | None, bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    font = style.font
    font.name = FONT
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    if size_pt is not None:
        font.size = Pt(size_pt)
    if bold is not None:
        font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)


def _table_rules(styles) -> None:
    """Booktabs-like rules on pandoc's "Table" style: above and below, under the header."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    table = next(s for s in styles if s.name == "Table")
    tbl_pr = table.element.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblPr"
    )
    rule = 'w:val="single" w:sz="8" w:space="0" w:color="000000"'
    table.font.size = Pt(TABLE_PT)
    tbl_pr.append(
        parse_xml(f"<w:tblBorders {nsdecls('w')}><w:top {rule}/><w:bottom {rule}/></w:tblBorders>")
    )
    table.element.append(
        parse_xml(
            f'<w:tblStylePr {nsdecls("w")} w:type="firstRow"><w:tcPr><w:tcBorders>'
            f"<w:bottom {rule}/></w:tcBorders></w:tcPr></w:tblStylePr>"
        )
    )


def _defaults(doc) -> None:
    """Document defaults: Times New Roman 12 pt, single spacing, 6 pt after paragraphs."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    styles = doc.styles.element
    old = styles.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}docDefaults")
    fonts = " ".join(f'w:{a}="{FONT}"' for a in ("ascii", "hAnsi", "cs", "eastAsia"))
    new = parse_xml(
        f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr><w:rFonts {fonts}/>"
        f'<w:sz w:val="{2 * BODY_PT}"/><w:szCs w:val="{2 * BODY_PT}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="240" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    old.addprevious(new)
    styles.remove(old)


def _page_numbers(section) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para._p.append(
        parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'
        )
    )


def reference_docx() -> bytes:
    """pandoc's default reference.docx with the manuscript's page and type settings."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    default = subprocess.run(
        [pandoc_path(), "--print-default-data-file", "reference.docx"],
        capture_output=True,
        check=True,
    ).stdout
    doc = docx.Document(io.BytesIO(default))
    for section in doc.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(MARGIN_CM))
        _page_numbers(section)
    _defaults(doc)
    for style in doc.styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER):
            _set_font(style, None)
        if style.type == WD_STYLE_TYPE.PARAGRAPH:
            style.paragraph_format.line_spacing = 1.0
    # Text styles keep the 12 pt of the document defaults, so that table cells (style Compact)
    # take the smaller size of the table style; these set their own size:
    sizes = {
        "Title": 14,
        "Title Char": 14,
        "Subtitle": BODY_PT,
        "Subtitle Char": BODY_PT,
        "Author": BODY_PT,
        "Date": BODY_PT,
        "Abstract Title": BODY_PT,
        "Abstract": BODY_PT,
        "Verbatim Char": TABLE_PT,
    }
    by_name = {s.name: s for s in doc.styles}  # doc.styles[...] misses "Caption"
    for name, size in sizes.items():
        _set_font(by_name[name], size)
    for level in range(1, 4):
        for name in (f"Heading {level}", f"Heading {level} Char"):
            _set_font(by_name[name], BODY_PT + (2 if level == 1 else 0), bold=True)
            by_name[name].font.italic = level == 3
    _set_font(by_name["Title"], 14, bold=True)
    for name in ("Body Text", "First Paragraph", "Compact", "Bibliography"):
        by_name[name].paragraph_format.space_before = Pt(0)
        by_name[name].paragraph_format.space_after = Pt(0 if name == "Compact" else 6)
    for name, (size, bold, align) in FRONT_STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Body Text"]
        _set_font(style, size, bold=bold)
        style.paragraph_format.alignment = getattr(WD_ALIGN_PARAGRAPH, align.upper())
    _table_rules(doc.styles)
    out = io.BytesIO()
    doc.save(out)
    return normalise_zip(out.getvalue())


def write_reference_docx(out: str | Path) -> None:
    with atomic_path(out) as tmp:
        tmp.write_bytes(reference_docx())


def render_docx(
    md: str | Path,
    out: str | Path,
    reference_doc: str | Path,
    title: str,
    refs: References,
    filters: list[str | Path],
    figure_prefix: str = "",
) -> None:
    """Any manuscript Markdown -> Word: citeproc references, numbered captions, real tables.

    ``filters`` are pandoc Lua filters (e.g. article/docx.lua, article/anonymise.lua);
    ``figure_prefix`` goes before each figure's number ("S" for the supplement: Figure S1)."""
    refs.check(md)
    md = Path(md).resolve()
    with atomic_path(out) as tmp:
        run_pandoc(
            [
                str(md),
                "--from=markdown",
                "--to=docx+native_numbering",
                "--number-sections",
                f"--reference-doc={Path(reference_doc).resolve()}",
                *refs.citeproc_args(md.parent),
                *(f"--lua-filter={Path(f).resolve()}" for f in filters),
                # the title is printed in each language block; here only the file's property
                f"--metadata=title-meta:{title}",
                "--metadata=lang:en",
                f"--resource-path={md.parent}",
                f"--output={tmp.resolve()}",
            ],
            cwd=md.parent,
        )
        tmp.write_bytes(normalise_zip(tmp.read_bytes(), figure_prefix))
