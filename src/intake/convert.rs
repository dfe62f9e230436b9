//! Documents to Markdown: HTML through htmd, PDF through pdf-extract, Markdown and plain text as
//! they are. The result is what quotes are checked against, so it keeps headings and clause
//! numbers and drops what is not the document (scripts, styles, navigation, running headers).

use crate::diag::Diagnostic;
use std::collections::HashMap;

/// What a document was, as far as conversion is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Html,
    Pdf,
    Text,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Html => "HTML",
            Kind::Pdf => "PDF",
            Kind::Text => "text",
        }
    }
}

/// A converted document.
#[derive(Debug)]
pub struct Converted {
    pub kind: Kind,
    pub markdown: String,
    /// The document's own title (HTML `<title>`, else the first heading), for a new source.
    pub title: Option<String>,
}

/// Elements that are never part of the terms themselves. Navigation, asides and footers are
/// kept (a clause can stand there), marked as such.
const SKIPPED_TAGS: [&str; 10] = [
    "script", "style", "noscript", "form", "button", "svg", "iframe", "template", "head", "select",
];

/// Marked rather than dropped: what a reader sees beside the terms.
const MARKED_TAGS: [(&str, &str); 3] = [
    ("nav", "navigation"),
    ("aside", "aside"),
    ("footer", "page footer"),
];

/// Elements checked for being hidden (`hidden`, `aria-hidden="true"`, an inline style with
/// `display: none` or `visibility: hidden`): a hidden "not" must not make "will not use" read
/// as stated.
const CONTENT_TAGS: [&str; 50] = [
    "div",
    "span",
    "p",
    "section",
    "article",
    "main",
    "header",
    "nav",
    "aside",
    "footer",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "a",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "small",
    "sup",
    "sub",
    "code",
    "pre",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "label",
    "details",
    "summary",
    "figure",
    "figcaption",
    "font",
    "mark",
];

/// How deep elements may nest in an HTML document: real pages nest a few dozen deep; 100,000
/// nested `<span>`s overflow the converter's stack, and deep `<div>`s make the parser quadratic.
pub const MAX_HTML_DEPTH: usize = 512;

fn is_hidden<'a>(mut attrs: impl Iterator<Item = (&'a str, &'a str)>) -> bool {
    attrs.any(|(name, value)| {
        let value = value.to_ascii_lowercase();
        match name {
            "hidden" => true,
            "aria-hidden" => value.trim() == "true",
            "style" => {
                let style: String = value.chars().filter(|c| !c.is_whitespace()).collect();
                style.contains("display:none") || style.contains("visibility:hidden")
            }
            _ => false,
        }
    })
}

/// The HTML converter: hidden elements dropped, navigation, asides and footers marked.
fn html_converter() -> htmd::HtmlToMarkdown {
    use htmd::element_handler::{HandlerResult, Handlers};
    let mut builder = htmd::HtmlToMarkdown::builder().skip_tags(SKIPPED_TAGS.to_vec());
    for (tag, label) in MARKED_TAGS {
        builder = builder.add_handler(vec![tag], move |h: &dyn Handlers, e: htmd::Element| {
            let inner = h.walk_children(e.node).content;
            let inner = inner.trim();
            if inner.is_empty() {
                return None;
            }
            Some(HandlerResult::from(format!(
                "\n\n_[{label}]_\n\n{inner}\n\n_[end of {label}]_\n\n"
            )))
        });
    }
    // Registered last, so it is asked first; a visible element goes on to the usual handler.
    builder
        .add_handler(
            CONTENT_TAGS.to_vec(),
            |h: &dyn Handlers, e: htmd::Element| {
                if is_hidden(e.attrs.iter().map(|a| (&*a.name.local, &*a.value))) {
                    None
                } else {
                    h.fallback(e)
                }
            },
        )
        .build()
}

/// The deepest nesting of elements in `html`, counted on its tags (closing tags a browser
/// would imply are not counted as open), stopping as soon as it passes `limit`. A closing tag
/// closes the innermost open element of its name and those inside it, as a browser's parser
/// does; one that matches no open element is ignored (as the parser ignores it: `<footer>`
/// then `</aside>`, repeated, nests footers).
fn nesting_depth_exceeds(html: &str, limit: usize) -> bool {
    // Elements that never hold others, or that the parser closes by itself.
    const NOT_COUNTED: [&str; 27] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "thead", "tbody",
        "tfoot", "colgroup", "rt", "rp",
    ];
    let bytes = html.as_bytes();
    // The open elements, innermost last (at most `limit` of them).
    let mut open: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'<') {
        i += off + 1;
        if bytes[i..].starts_with(b"!--") {
            match html[i..].find("-->") {
                Some(end) => i += end + 3,
                None => break,
            }
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let end = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |e| start + e);
        if end == start {
            continue;
        }
        let name = html[start..end].to_ascii_lowercase();
        let tag_end = bytes[end..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(bytes.len(), |e| end + e);
        let self_closing = tag_end > 0 && bytes.get(tag_end - 1) == Some(&b'/');
        i = tag_end.min(bytes.len());
        if NOT_COUNTED.contains(&name.as_str()) || self_closing {
            continue;
        }
        if closing {
            if let Some(at) = open.iter().rposition(|o| *o == name) {
                open.truncate(at);
            }
        } else if name == "script" || name == "style" {
            // Their text is not markup.
            let closer = format!("</{name}");
            match bytes[i..]
                .windows(closer.len())
                .position(|w| w.eq_ignore_ascii_case(closer.as_bytes()))
            {
                Some(e) => i += e,
                None => break,
            }
        } else {
            open.push(name);
            if open.len() > limit {
                return true;
            }
        }
    }
    false
}

enum HtmlError {
    TooDeep,
    Failed(String),
}

/// The stack of the thread that converts a page: the converter recurses once per level of the
/// tree (a few KiB a level in a debug build, more for tables), so a page [`MAX_HTML_DEPTH`] deep
/// needs more than a test thread's 2 MiB. Reserved, not committed: pages use what they nest.
const CONVERTER_STACK: usize = 64 << 20;

/// Parses `html`, refuses a tree deeper than [`MAX_HTML_DEPTH`] (the parser opens elements the
/// tags do not name: `<table><tr><td>` is four deep, so the tag count is only a first bound),
/// and converts it to Markdown, on a thread whose stack holds that depth.
fn html_to_markdown(html: &str) -> Result<String, HtmlError> {
    // Counted on the tags first: cheap, and it spares the parser deep pages it is quadratic on.
    if nesting_depth_exceeds(html, MAX_HTML_DEPTH) {
        return Err(HtmlError::TooDeep);
    }
    std::thread::scope(|scope| {
        let converting = std::thread::Builder::new()
            .name("html-to-markdown".into())
            .stack_size(CONVERTER_STACK)
            .spawn_scoped(scope, || {
                let converter = html_converter();
                let tree = converter
                    .html_to_tree(html)
                    .map_err(|e| HtmlError::Failed(e.to_string()))?;
                if tree_depth_exceeds(&tree, MAX_HTML_DEPTH) {
                    return Err(HtmlError::TooDeep);
                }
                Ok(converter.tree_to_markdown(&tree))
            })
            .map_err(|e| HtmlError::Failed(format!("no thread to convert on: {e}")))?;
        converting
            .join()
            .map_err(|_| HtmlError::Failed("the converter failed".into()))?
    })
}

/// Whether the parsed tree nests deeper than `limit`, walked without recursion (the converter
/// that follows recurses once per level).
fn tree_depth_exceeds(root: &std::rc::Rc<htmd::Node>, limit: usize) -> bool {
    let mut pending = vec![(root.clone(), 0usize)];
    while let Some((node, depth)) = pending.pop() {
        if depth > limit {
            return true;
        }
        for child in node.children.borrow().iter() {
            pending.push((child.clone(), depth + 1));
        }
    }
    false
}

/// Converts a document. `name` is the file name or URL shown in messages; `content_type` is the
/// HTTP Content-Type when the document was fetched.
pub fn convert(
    bytes: &[u8],
    name: &str,
    content_type: Option<&str>,
) -> Result<Converted, Diagnostic> {
    let err = |msg: String, hint: &str| Diagnostic::error(msg).in_file(name.to_string()).hint(hint);
    if bytes.starts_with(b"%PDF-") {
        let markdown = pdf_to_text(bytes, name)?;
        let title = first_heading(&markdown);
        return Ok(Converted {
            kind: Kind::Pdf,
            markdown,
            title,
        });
    }
    if let Some(what) = binary_kind(bytes) {
        return Err(err(
            format!("{what}, not a document diligence can archive"),
            "give an HTML page, a PDF with a text layer, a Markdown or a plain-text file",
        ));
    }
    let mime = content_type
        .and_then(|c| c.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase());
    let lower = name.to_ascii_lowercase();
    let by_name = [".html", ".htm", ".xhtml"]
        .iter()
        .any(|e| lower.ends_with(e));
    let by_type = mime.as_deref().is_some_and(|m| m.contains("html"));
    if by_type || by_name || looks_like_html(bytes) {
        let html = decode_html(bytes, content_type, name)?;
        let title = html_title(&html);
        let markdown = html_to_markdown(&html).map_err(|e| {
            let hint = "save the page as Markdown or plain text and snapshot that";
            match e {
                HtmlError::TooDeep => err(
                    format!(
                        "the HTML nests elements more than {MAX_HTML_DEPTH} deep: not a page a reader could read"
                    ),
                    hint,
                ),
                HtmlError::Failed(e) => {
                    err(format!("cannot convert the HTML to Markdown: {e}"), hint)
                }
            }
        })?;
        let markdown = tidy(&markdown);
        let title = title.or_else(|| first_heading(&markdown));
        return Ok(Converted {
            kind: Kind::Html,
            markdown,
            title,
        });
    }
    let text =
        std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|e| {
            err(
                format!(
                    "the text is not UTF-8 (invalid byte at offset {})",
                    e.valid_up_to()
                ),
                "convert the file to UTF-8 first (e.g. `iconv -f latin1 -t utf-8`)",
            )
        })?;
    let markdown = tidy(text);
    Ok(Converted {
        kind: Kind::Text,
        title: first_heading(&markdown),
        markdown,
    })
}

/// Recognizes binary files by their magic numbers or by NUL bytes.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 9] = [
        (b"\x89PNG", "a PNG image"),
        (b"GIF8", "a GIF image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
        (b"\x7FELF", "an executable"),
        (b"\xD0\xCF\x11\xE0", "an old Office document"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"RIFF", "a RIFF (image or audio) file"),
        (b"MZ", "an executable"),
    ];
    if let Some((_, what)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Some(what);
    }
    let head = &bytes[..bytes.len().min(8192)];
    // UTF-16 text has NUL bytes too but starts with a byte-order mark.
    let utf16 = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
    (head.contains(&0) && !utf16).then_some("a binary file")
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    ["<!doctype html", "<html", "<head", "<body", "<?xml"]
        .iter()
        .any(|p| head.starts_with(p))
}

/// Decodes HTML: a byte-order mark, the HTTP charset or a `<meta>` charset decide; without one
/// the page must be UTF-8 (guessing a legacy charset could silently change a quote).
fn decode_html(bytes: &[u8], content_type: Option<&str>, name: &str) -> Result<String, Diagnostic> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return decode_with(encoding, &bytes[bom..], name);
    }
    let declared = content_type
        .and_then(charset_param)
        .or_else(|| meta_charset(bytes));
    match declared {
        Some(label) => {
            let encoding = encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
                Diagnostic::error(format!("the page declares an unknown charset `{label}`"))
                    .in_file(name.to_string())
                    .hint("save the page as UTF-8 and snapshot the saved file")
            })?;
            decode_with(encoding, bytes, name)
        }
        None => String::from_utf8(bytes.to_vec()).map_err(|e| {
            Diagnostic::error(format!(
                "the HTML declares no charset and is not UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
            .in_file(name.to_string())
            .hint("add `<meta charset=\"...\">` with the page's real encoding, or convert it to UTF-8 first (e.g. `iconv -f windows-1252 -t utf-8`)")
        }),
    }
}

fn decode_with(
    encoding: &'static encoding_rs::Encoding,
    bytes: &[u8],
    name: &str,
) -> Result<String, Diagnostic> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| s.into_owned())
        .ok_or_else(|| {
            Diagnostic::error(format!(
                "the page is not valid {} (the charset it declares)",
                encoding.name()
            ))
            .in_file(name.to_string())
            .hint("correct the declared charset, or convert the page to UTF-8 first")
        })
}

fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset"))
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// `<meta charset="x">` or `<meta http-equiv="Content-Type" content="...; charset=x">` in the
/// first 4 KiB, as browsers look for it.
fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(i) = rest.find("<meta") {
        let tag_end = rest[i..].find('>').map_or(rest.len(), |e| i + e);
        let tag = &rest[i..tag_end];
        if let Some(c) = tag.find("charset=") {
            let label: String = tag[c + 8..]
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|ch| ch.is_ascii_alphanumeric() || "-_:.".contains(*ch))
                .collect();
            if !label.is_empty() {
                return Some(label);
            }
        }
        rest = &rest[tag_end..];
    }
    None
}

fn html_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let title = html
        .get(open_end..close)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let title = title
        .replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"");
    (!title.is_empty()).then_some(title)
}

fn first_heading(markdown: &str) -> Option<String> {
    markdown.lines().find_map(|l| {
        let t = l.trim_start_matches('#');
        (l.starts_with('#') && t.starts_with(' ') && !t.trim().is_empty())
            .then(|| t.trim().trim_matches('*').trim().to_string())
    })
}

/// Trailing spaces removed, at most one blank line in a row, one final newline.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = true;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            if !blank {
                out.push('\n');
            }
            blank = true;
        } else {
            out.push_str(line);
            out.push('\n');
            blank = false;
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Text of a PDF, page by page, cleaned: ligatures spelled out, words hyphenated at line ends
/// joined, running headers and footers and page numbers removed.
fn pdf_to_text(bytes: &[u8], name: &str) -> Result<String, Diagnostic> {
    let err = |msg: String, hint: &str| Diagnostic::error(msg).in_file(name.to_string()).hint(hint);
    // The PDF reader decodes object streams and cross-reference streams as it loads: their
    // size is measured first, on the raw bytes.
    super::pdf_streams::check_raw_streams(bytes, name)?;
    let mut doc = pdf_extract::Document::load_mem(bytes).map_err(|e| {
        err(
            format!("not a readable PDF: {e}"),
            "open it in a PDF viewer; if it opens, print it to a new PDF and snapshot that",
        )
    })?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(err(
            "the PDF is encrypted (password-protected); its text cannot be read".into(),
            "ask the vendor for an unprotected copy, or open it with the password and save an unprotected copy",
        ));
    }
    super::pdf_streams::check_decoded_size(&doc, name)?;
    // pdf-extract can panic on unusual PDFs: a panic there is a bad document, not a crash.
    let pages = crate::contained::run(|| pdf_extract::extract_text_from_mem_by_pages(bytes));
    let pages = match pages {
        Some(Ok(pages)) => pages,
        Some(Err(e)) => {
            return Err(err(
                format!("cannot extract the PDF's text: {e}"),
                "print it to a new PDF, or save it as text, and snapshot that",
            ));
        }
        None => {
            return Err(err(
                "cannot extract the PDF's text (the extractor failed on this file)".into(),
                "print it to a new PDF, or save it as text, and snapshot that",
            ));
        }
    };
    let text = clean_pdf_pages(&pages);
    if text.trim().is_empty() {
        return Err(err(
            format!(
                "the PDF has no text layer ({} page(s) of images only): quotes could not be checked against it",
                pages.len()
            ),
            "run OCR on it first (e.g. `ocrmypdf in.pdf out.pdf`), check the result, and snapshot that",
        ));
    }
    Ok(text)
}

/// A line with its digits folded, so that "Page 3 of 12" and "Page 4 of 12" compare equal.
fn fold_digits(line: &str) -> String {
    line.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

fn is_page_number(line: &str) -> bool {
    let l = line.trim().to_ascii_lowercase();
    let l = l.strip_prefix("page").unwrap_or(&l).trim();
    !l.is_empty()
        && l.split(|c: char| c == '/' || c.is_whitespace() || c == '-')
            .filter(|w| !w.is_empty() && *w != "of")
            .all(|w| w.chars().all(|c| c.is_ascii_digit()))
}

/// How many lines at the top and at the bottom of a page may be running headers or footers.
const EDGE_LINES: usize = 3;

pub fn clean_pdf_pages(pages: &[String]) -> String {
    let pages: Vec<Vec<String>> = pages
        .iter()
        .map(|p| {
            p.lines()
                .map(|l| spell_ligatures(l).trim().to_string())
                .filter(|l| !l.is_empty())
                .collect()
        })
        .collect();
    // A line that recurs at the edge of most pages is a running header or footer.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for lines in &pages {
        let mut edge: Vec<String> = lines
            .iter()
            .take(EDGE_LINES)
            .chain(lines.iter().rev().take(EDGE_LINES))
            .map(|l| fold_digits(l))
            .collect();
        edge.sort();
        edge.dedup();
        for l in edge {
            *seen.entry(l).or_default() += 1;
        }
    }
    let threshold = (pages.len() * 3).div_ceil(5).max(2);
    let mut out: Vec<String> = Vec::new();
    for lines in &pages {
        let n = lines.len();
        for (i, line) in lines.iter().enumerate() {
            let at_edge = i < EDGE_LINES || i + EDGE_LINES >= n;
            let running = seen
                .get(&fold_digits(line))
                .is_some_and(|&c| c >= threshold);
            if at_edge && (running || is_page_number(line)) {
                continue;
            }
            out.push(line.clone());
        }
    }
    // Join words hyphenated at a line end ("obliga-" + "tions"): the next line goes on in
    // lowercase. Real compound words split there ("well-" + "known") lose their hyphen: rare,
    // and `check` shows the closest passage if a quote needs it.
    let mut joined: Vec<String> = Vec::new();
    for line in out {
        if let Some(prev) = joined.last_mut() {
            let hyphenated = prev.ends_with('-')
                && prev[..prev.len() - 1]
                    .chars()
                    .last()
                    .is_some_and(char::is_alphabetic)
                && line.starts_with(|c: char| c.is_lowercase());
            if hyphenated {
                prev.pop();
                let (word, rest) = line.split_once(' ').unwrap_or((&line, ""));
                prev.push_str(word);
                if !rest.is_empty() {
                    joined.push(rest.to_string());
                }
                continue;
            }
        }
        joined.push(line);
    }
    tidy(&joined.join("\n"))
}

fn spell_ligatures(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            '\u{00AD}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_keeps_headings_and_numbers_and_drops_scripts_and_marks_navigation() {
        let html = "<html><head><title>Acme Terms</title><style>p{}</style></head><body>\
            <nav><a href='/'>Home</a></nav><h1>Acme Terms</h1><h2>2. Data</h2>\
            <p>2.1 Acme shall not use Customer Content to train models.</p>\
            <script>alert(1)</script><footer>Cookie settings</footer></body></html>";
        let c = convert(html.as_bytes(), "t.html", None).unwrap();
        assert_eq!(c.kind, Kind::Html);
        assert_eq!(c.title.as_deref(), Some("Acme Terms"));
        assert!(c.markdown.contains("# Acme Terms"), "{}", c.markdown);
        // Markdown escapes a number that would start a list; quotes compare without the escape.
        assert!(c.markdown.contains("## 2\\. Data"), "{}", c.markdown);
        assert!(
            c.markdown
                .contains("2.1 Acme shall not use Customer Content")
        );
        for gone in ["alert", "p{}"] {
            assert!(!c.markdown.contains(gone), "{gone} in {}", c.markdown);
        }
        // What a reader sees beside the terms is kept, marked as such.
        assert!(
            c.markdown
                .contains("_[page footer]_\n\nCookie settings\n\n_[end of page footer]_"),
            "{}",
            c.markdown
        );
        assert!(
            c.markdown.contains("_[navigation]_\n\n[Home](/)"),
            "{}",
            c.markdown
        );
    }

    #[test]
    fn html_archives_what_a_reader_sees() {
        let html = "<html><body><h1>Terms</h1>\
            <p>We will <span style='display: none'>not </span>use your data.</p>\
            <p hidden>We sell data.</p><div aria-hidden=\"true\">Hidden clause.</div>\
            <div style=\"VISIBILITY:hidden\">Invisible.</div>\
            <aside><p>4.2 We do not train on your content.</p></aside></body></html>";
        let c = convert(html.as_bytes(), "t.html", None).unwrap();
        assert!(
            c.markdown.contains("We will use your data."),
            "{}",
            c.markdown
        );
        for gone in ["not use", "We sell", "Hidden clause", "Invisible"] {
            assert!(!c.markdown.contains(gone), "{gone} in {}", c.markdown);
        }
        assert!(
            c.markdown.contains("4.2 We do not train on your content."),
            "{}",
            c.markdown
        );
    }

    /// A one-page PDF whose content stream is `content`, compressed.
    fn pdf_with_flate_content(content: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(content).unwrap();
        let stream = z.finish().unwrap();
        let mut objs: Vec<Vec<u8>> = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>".to_vec(),
        ];
        let mut s = format!(
            "<< /Length {} /Filter /FlateDecode >>\nstream\n",
            stream.len()
        )
        .into_bytes();
        s.extend(&stream);
        s.extend(b"\nendstream");
        objs.push(s);
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objs.iter().enumerate() {
            offsets.push(out.len());
            out.extend(format!("{} 0 obj\n", i + 1).bytes());
            out.extend(o);
            out.extend(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).bytes());
        for off in offsets {
            out.extend(format!("{off:010} 00000 n \n").bytes());
        }
        out.extend(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objs.len() + 1
            )
            .bytes(),
        );
        out
    }

    #[test]
    fn a_pdf_stream_inflating_past_the_limit_is_refused() {
        let bomb = pdf_with_flate_content(&vec![b' '; 40 * 1024 * 1024]);
        assert!(bomb.len() < 200 * 1024, "{}", bomb.len());
        let e = convert(&bomb, "bomb.pdf", None).unwrap_err();
        assert!(e.to_string().contains("inflate to more than 32 MiB"), "{e}");
        // A page of ordinary size is read.
        let ok = pdf_with_flate_content(b"BT /F1 11 Tf 72 740 Td (Clause one.) Tj ET");
        let e = convert(&ok, "ok.pdf", None).map(|c| c.markdown);
        assert!(!format!("{e:?}").contains("inflate"), "{e:?}");
    }

    /// A PDF 1.5 whose objects 1 to 3 (catalog, pages, page) are in an object stream,
    /// padded with `padding` spaces (compressed), followed by `extra` more copies of that
    /// object stream (unreferenced), with a cross-reference stream.
    fn pdf_with_object_streams(padding: usize, extra: usize) -> Vec<u8> {
        use std::io::Write;
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        ];
        let mut body = String::new();
        let mut index = String::new();
        for (i, o) in objects.iter().enumerate() {
            index.push_str(&format!("{} {} ", i + 1, body.len()));
            body.push_str(o);
            body.push(' ');
        }
        let first = index.len();
        let mut content = format!("{index}{body}").into_bytes();
        content.extend(std::iter::repeat_n(b' ', padding));
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&content).unwrap();
        let packed = z.finish().unwrap();
        let mut out = b"%PDF-1.5\n".to_vec();
        let mut offsets = Vec::new();
        for n in 0..=extra {
            offsets.push(out.len());
            out.extend(
                format!(
                    "{} 0 obj\n<< /Type /ObjStm /N 3 /First {first} /Length {} /Filter /FlateDecode >>\nstream\n",
                    4 + n,
                    packed.len()
                )
                .bytes(),
            );
            out.extend(&packed);
            out.extend(b"\nendstream\nendobj\n");
        }
        // The cross-reference stream: type 2 entries for objects 1-3 (in object 4), type 1
        // for the object streams, uncompressed, 1-4-2 byte fields.
        let xref_id = 5 + extra;
        let mut rows = vec![[0u8, 0, 0, 0, 0, 0xff, 0xff]];
        for i in 0..3u8 {
            rows.push([2, 0, 0, 0, 4, 0, i]);
        }
        let xref_at = out.len();
        for off in offsets.iter().chain(std::iter::once(&xref_at)) {
            let o = (*off as u32).to_be_bytes();
            rows.push([1, o[0], o[1], o[2], o[3], 0, 0]);
        }
        let data: Vec<u8> = rows.concat();
        out.extend(
            format!(
                "{xref_id} 0 obj\n<< /Type /XRef /Size {} /W [1 4 2] /Root 1 0 R /Length {} >>\nstream\n",
                xref_id + 1,
                data.len()
            )
            .bytes(),
        );
        out.extend(&data);
        out.extend(format!("\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").bytes());
        out
    }

    #[test]
    fn object_streams_inflating_past_the_limits_are_refused_before_they_are_read() {
        // An ordinary object stream loads (the page has no text: that is the error).
        let small = pdf_with_object_streams(0, 0);
        let e = convert(&small, "small.pdf", None).unwrap_err().to_string();
        assert!(!e.contains("inflate"), "{e}");
        // One object stream past the limit of one stream.
        let one = pdf_with_object_streams(40 * 1024 * 1024, 0);
        assert!(one.len() < 200 * 1024, "{}", one.len());
        let e = convert(&one, "bomb.pdf", None).unwrap_err().to_string();
        assert!(e.contains("inflate to more than 32 MiB"), "{e}");
        // Five of 30 MiB each: each within the limit of one stream, past that of a document.
        let many = pdf_with_object_streams(30 * 1024 * 1024, 4);
        let e = convert(&many, "bombs.pdf", None).unwrap_err().to_string();
        assert!(e.contains("inflate to more than 128 MiB"), "{e}");
    }

    #[test]
    fn closing_tags_that_close_nothing_do_not_hide_nesting() {
        let html = format!(
            "<html><body>{}x</body></html>",
            "<footer>Cookies.</aside>".repeat(1_000)
        );
        let e = convert(html.as_bytes(), "page.html", None).unwrap_err();
        assert!(e.to_string().contains("more than 512 deep"), "{e}");
        // Closed elements are not open.
        let flat = format!("<html><body>{}</body></html>", "<div>a</div>".repeat(1_000));
        assert!(convert(flat.as_bytes(), "page.html", None).is_ok());
        // A closing tag closes what its element holds.
        let closed = format!(
            "<html><body>{}</body></html>",
            "<div><span><b>a</div>".repeat(1_000)
        );
        assert!(convert(closed.as_bytes(), "page.html", None).is_ok());
    }

    #[test]
    fn deeply_nested_html_is_refused_quickly() {
        for tag in ["span", "div"] {
            let html = format!(
                "<html><body>{}x{}</body></html>",
                format!("<{tag}>").repeat(100_000),
                format!("</{tag}>").repeat(100_000)
            );
            let start = std::time::Instant::now();
            let e = convert(html.as_bytes(), "deep.html", None).unwrap_err();
            assert!(e.to_string().contains("more than 512 deep"), "{e}");
            assert!(start.elapsed() < std::time::Duration::from_secs(2));
        }
        // As deep as real pages go, converted.
        let html = format!(
            "<html><body>{}<p>Clause.</p>{}</body></html>",
            "<div>".repeat(200),
            "</div>".repeat(200)
        );
        assert!(
            convert(html.as_bytes(), "ok.html", None)
                .unwrap()
                .markdown
                .contains("Clause.")
        );
    }

    #[test]
    fn nesting_the_parser_implies_is_counted_and_the_deepest_allowed_page_converts() {
        // `<table><tr><td>` names three elements and opens four (the parser adds a tbody);
        // rows and cells are not counted on the tags, so only the parsed tree sees this depth.
        let tables = format!(
            "<html><body>{}x</body></html>",
            "<table><tr><td>".repeat(300)
        );
        let e = convert(tables.as_bytes(), "tables.html", None).unwrap_err();
        assert!(e.to_string().contains("more than 512 deep"), "{e}");
        // Just under the limit, the converter (which recurses once per level) still has room
        // on a test thread's 2 MiB stack, for plain elements and for tables alike.
        for (open, close, levels, times) in [
            ("<div>", "</div>", 1, 505),
            ("<table><tr><td>", "</td></tr></table>", 4, 125),
            ("<ul><li>", "</li></ul>", 2, 250),
            ("<blockquote>", "</blockquote>", 1, 505),
        ] {
            assert!(levels * times <= 505);
            let html = format!(
                "<html><body>{}<p>Clause.</p>{}</body></html>",
                open.repeat(times),
                close.repeat(times)
            );
            let c = convert(html.as_bytes(), "deep.html", None).unwrap();
            assert!(c.markdown.contains("Clause."), "{open}");
        }
    }

    #[test]
    fn declared_legacy_charsets_are_decoded_and_undeclared_ones_refused() {
        let mut html = b"<html><head><meta charset=\"windows-1252\"></head><body><p>Caf".to_vec();
        html.extend_from_slice(b"\xE9 \x93quoted\x94</p></body></html>");
        let c = convert(&html, "t.html", None).unwrap();
        assert!(
            c.markdown.contains("Caf\u{e9} \u{201c}quoted\u{201d}"),
            "{}",
            c.markdown
        );
        let undeclared = b"<html><body><p>Caf\xE9</p></body></html>";
        let e = convert(undeclared, "t.html", None).unwrap_err();
        assert!(e.message.contains("declares no charset"), "{}", e.message);
        let c = convert(undeclared, "t.html", Some("text/html; charset=ISO-8859-1")).unwrap();
        assert!(c.markdown.contains("Caf\u{e9}"));
    }

    #[test]
    fn binary_files_are_refused() {
        let e = convert(b"\x89PNG\r\n\x1a\n\0\0", "x.png", None).unwrap_err();
        assert!(e.message.contains("PNG image"), "{}", e.message);
        let e = convert(b"abc\0def", "x.bin", None).unwrap_err();
        assert!(e.message.contains("binary"), "{}", e.message);
    }

    #[test]
    fn pdf_text_is_cleaned() {
        let pages = vec![
            "ACME CONFIDENTIAL\n1. Scope\nThe Service is of\u{FB01}cial and the obliga-\ntions apply.\nPage 1 of 3".to_string(),
            "ACME CONFIDENTIAL\n2. Data\nAcme deletes Customer Content within 30 days.\nPage 2 of 3".to_string(),
            "ACME CONFIDENTIAL\n3. Law\nFrench law applies.\nPage 3 of 3".to_string(),
        ];
        let text = clean_pdf_pages(&pages);
        assert_eq!(
            text,
            "1. Scope\nThe Service is official and the obligations\napply.\n2. Data\nAcme deletes Customer Content within 30 days.\n3. Law\nFrench law applies.\n"
        );
    }
}
