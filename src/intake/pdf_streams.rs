//! What a PDF's streams decode to, measured before the PDF reader decodes them for real.
//!
//! The reader (lopdf, under pdf-extract) decodes Flate (falling back to raw deflate when the
//! zlib wrapper is damaged), LZW and ASCII85, in any chain (`/Filter [/ASCII85Decode
//! /FlateDecode]`), without a bound: object streams and cross-reference streams while it
//! loads the file, content streams when the text is extracted. A few KB of LZW or Flate
//! decode to GBs. So every stream is first decoded here into a bounded buffer, by every chain
//! its dictionary may name, and a PDF past the limits is refused.
//!
//! Encryption hides stream data from that measure, and the reader decrypts and unpacks object
//! streams as it opens the file: an encrypted PDF whose objects are packed in object streams
//! is refused, not measured. (Other encrypted PDFs are measured once decrypted, before the
//! text is extracted.)

use crate::diag::Diagnostic;
use std::borrow::Cow;
use std::io::Read;

/// What one PDF stream, and all of them together, may decode to: a page's content is tens of
/// KB; a 1 MB PDF of zeros inflates to GBs.
pub const MAX_PDF_STREAM_BYTES: u64 = 32 * 1024 * 1024;
pub const MAX_PDF_INFLATED_BYTES: u64 = 128 * 1024 * 1024;

/// A stream filter the reader decodes (any other stops its decoding with an error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    Flate,
    Lzw,
    Ascii85,
}

impl Filter {
    /// The filter a name stands for. Abbreviations (`/Fl`, `/LZW`, `/A85`) count too: a
    /// measure that decodes more than the reader is only stricter.
    fn named(name: &[u8]) -> Option<Filter> {
        match name {
            b"FlateDecode" | b"Fl" => Some(Filter::Flate),
            b"LZWDecode" | b"LZW" => Some(Filter::Lzw),
            b"ASCII85Decode" | b"A85" => Some(Filter::Ascii85),
            _ => None,
        }
    }
}

/// What the streams of one PDF have decoded to so far.
#[derive(Default)]
struct Decoded(u64);

impl Decoded {
    /// Decodes `data` by each of `chains` into a bounded buffer and counts the largest; an
    /// error naming `what` once the stream or the document passes its limit. Data that does
    /// not decode, or stops early (damaged), counts what it gave.
    fn count(
        &mut self,
        data: &[u8],
        chains: &[Vec<Filter>],
        name: &str,
        what: &dyn Fn() -> String,
    ) -> Result<(), Diagnostic> {
        let size = chains
            .iter()
            .map(|chain| decoded_size(data, chain))
            .max()
            .unwrap_or(0);
        self.0 += size;
        if size <= MAX_PDF_STREAM_BYTES && self.0 <= MAX_PDF_INFLATED_BYTES {
            return Ok(());
        }
        let limit = if size > MAX_PDF_STREAM_BYTES {
            MAX_PDF_STREAM_BYTES
        } else {
            MAX_PDF_INFLATED_BYTES
        };
        Err(Diagnostic::error(format!(
            "the PDF's streams inflate to more than {} MiB ({}): not a document a reader could read",
            limit / (1024 * 1024),
            what()
        ))
        .in_file(name.to_string())
        .hint("print it to a new PDF, or save it as text, and snapshot that"))
    }
}

/// The most bytes `data` holds at any step of decoding it through `chain` (each step stops
/// just past [`MAX_PDF_STREAM_BYTES`]).
fn decoded_size(data: &[u8], chain: &[Filter]) -> u64 {
    let limit = MAX_PDF_STREAM_BYTES as usize;
    let mut largest = 0;
    let mut current = Cow::Borrowed(data);
    for filter in chain {
        let out = match filter {
            Filter::Flate => inflate(&current, limit),
            Filter::Lzw => lzw(&current, limit),
            Filter::Ascii85 => ascii85(&current, limit),
        };
        largest = largest.max(out.len());
        if out.len() > limit {
            break;
        }
        current = Cow::Owned(out);
    }
    largest as u64
}

/// At most `limit + 1` bytes of `r`, whatever error ends it.
fn read_capped(r: impl Read, limit: usize) -> Vec<u8> {
    let mut out = Vec::new();
    // An error keeps what was read before it: a damaged stream counts what it gave.
    let _ = r.take(limit as u64 + 1).read_to_end(&mut out);
    out
}

/// Flate as the reader decodes it: zlib, or raw deflate after the two header bytes when zlib
/// gives nothing. Both are measured: the larger counts.
fn inflate(data: &[u8], limit: usize) -> Vec<u8> {
    let zlib = read_capped(flate2::read::ZlibDecoder::new(data), limit);
    if zlib.len() > limit || data.len() <= 2 {
        return zlib;
    }
    let raw = read_capped(flate2::read::DeflateDecoder::new(&data[2..]), limit);
    if raw.len() > zlib.len() { raw } else { zlib }
}

/// LZW (most significant bit first, 8-bit symbols) with and without the early change of code
/// size (`/EarlyChange`, which the measure does not read): the larger counts.
fn lzw(data: &[u8], limit: usize) -> Vec<u8> {
    use weezl::{BitOrder, decode::Decoder};
    let one = lzw_with(
        Decoder::with_tiff_size_switch(BitOrder::Msb, 8),
        data,
        limit,
    );
    if one.len() > limit {
        return one;
    }
    let other = lzw_with(Decoder::new(BitOrder::Msb, 8), data, limit);
    if other.len() > one.len() { other } else { one }
}

fn lzw_with(mut decoder: weezl::decode::Decoder, mut data: &[u8], limit: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    while out.len() <= limit {
        let r = decoder.decode_bytes(data, &mut buf);
        data = &data[r.consumed_in..];
        let room = limit + 1 - out.len();
        out.extend_from_slice(&buf[..r.consumed_out.min(room)]);
        match r.status {
            Ok(weezl::LzwStatus::Ok) if r.consumed_in + r.consumed_out > 0 => {}
            _ => break,
        }
    }
    out
}

/// ASCII85 as the reader decodes it: `z` is four zero bytes, whitespace is skipped, and the
/// data ends at its first character outside `!`..`u` (the `~>` end mark).
fn ascii85(data: &[u8], limit: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut group, mut count) = (0u32, 0);
    for &c in data {
        if out.len() > limit {
            break;
        }
        match c {
            b'z' if count == 0 => out.extend_from_slice(&[0; 4]),
            b'!'..=b'u' => {
                group = group.wrapping_mul(85).wrapping_add(u32::from(c - b'!'));
                count += 1;
                if count == 5 {
                    out.extend_from_slice(&group.to_be_bytes());
                    (group, count) = (0, 0);
                }
            }
            c if c.is_ascii_whitespace() => {}
            _ => break,
        }
    }
    out
}

/// Refuses a PDF whose streams decode past the limits, found in the raw bytes before the
/// reader opens the file: whatever follows a `stream` keyword and its line end is decoded by
/// the chains its dictionary names (and as Flate, whatever it names), so that object streams
/// and cross-reference streams, which the reader decodes while it loads the document, are
/// measured before it does (content streams too). Refuses an encrypted PDF with object
/// streams, which cannot be measured before the reader decrypts and decodes them.
pub(crate) fn check_raw_streams(bytes: &[u8], name: &str) -> Result<(), Diagnostic> {
    refuse_encrypted_object_streams(bytes, name)?;
    let mut decoded = Decoded::default();
    let mut from = 0;
    while let Some(found) = find(&bytes[from..], b"stream") {
        let keyword = from + found;
        from = keyword + b"stream".len();
        // `endstream` is not the start of a stream.
        if bytes[..keyword].ends_with(b"end") {
            continue;
        }
        let data = match &bytes[from..] {
            [b'\r', b'\n', ..] => from + 2,
            [b'\n', ..] | [b'\r', ..] => from + 1,
            _ => continue,
        };
        let mut chains = filter_chains(dictionary_before(bytes, keyword));
        if !chains.contains(&vec![Filter::Flate]) {
            chains.push(vec![Filter::Flate]);
        }
        decoded.count(&bytes[data..], &chains, name, &|| {
            format!("the stream at byte {keyword}")
        })?;
    }
    Ok(())
}

/// Refuses a PDF whose compressed streams decode past the limits, measured as the reader found
/// them (after decryption) and before the extractor decodes them: what the raw scan could not
/// see through encryption.
pub(crate) fn check_decoded_size(
    doc: &pdf_extract::Document,
    name: &str,
) -> Result<(), Diagnostic> {
    let mut decoded = Decoded::default();
    for (id, object) in &doc.objects {
        let pdf_extract::Object::Stream(stream) = object else {
            continue;
        };
        let Ok(names) = stream.filters() else {
            continue;
        };
        // The reader decodes the filters in order and stops at one it does not know.
        let chain: Vec<Filter> = names.iter().map_while(|n| Filter::named(n)).collect();
        if !chain.is_empty() {
            decoded.count(&stream.content, &[chain], name, &|| {
                format!("object {} {}", id.0, id.1)
            })?;
        }
    }
    Ok(())
}

/// The bytes before the `stream` keyword at `keyword` that hold its dictionary: from the
/// start of its object (`N G obj`), at most 64 KiB back.
fn dictionary_before(bytes: &[u8], keyword: usize) -> &[u8] {
    let window = &bytes[keyword.saturating_sub(64 * 1024)..keyword];
    match window.windows(3).rposition(|w| w == b"obj") {
        Some(at) => &window[at..],
        None => window,
    }
}

/// Every filter chain a dictionary's text may give its stream: each `/Filter` key's name or
/// array of names (a dictionary nested in it may name one too: all count). Names are read as
/// the reader reads them, `#xx` escapes decoded; the chain stops at a filter the reader does
/// not decode.
fn filter_chains(dict: &[u8]) -> Vec<Vec<Filter>> {
    let mut chains: Vec<Vec<Filter>> = Vec::new();
    let mut at = 0;
    while let Some((name, end)) = next_name(dict, at) {
        at = end;
        if name != b"Filter" {
            continue;
        }
        let rest = skip_space(dict, at);
        let mut chain = Vec::new();
        if dict.get(rest) == Some(&b'[') {
            let mut i = rest + 1;
            loop {
                i = skip_space(dict, i);
                if dict.get(i) != Some(&b'/') {
                    break;
                }
                let Some((n, end)) = next_name(dict, i) else {
                    break;
                };
                i = end;
                match Filter::named(&n) {
                    Some(f) if chain.len() < 8 => chain.push(f),
                    _ => break,
                }
            }
        } else if dict.get(rest) == Some(&b'/')
            && let Some((n, _)) = next_name(dict, rest)
            && let Some(f) = Filter::named(&n)
        {
            chain.push(f);
        }
        if !chain.is_empty() && !chains.contains(&chain) && chains.len() < 4 {
            chains.push(chain);
        }
    }
    chains
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes
        .get(at)
        .is_some_and(|b| b.is_ascii_whitespace() || *b == 0)
    {
        at += 1;
    }
    at
}

/// The next name at or after `from` (`/Name`, escapes decoded) and where it ends.
fn next_name(bytes: &[u8], from: usize) -> Option<(Vec<u8>, usize)> {
    let slash = from + bytes.get(from..)?.iter().position(|b| *b == b'/')?;
    let mut name = Vec::new();
    let mut i = slash + 1;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_whitespace() || b == 0 || b"/[]<>()%{}".contains(&b) {
            break;
        }
        let hex = |c: u8| (c as char).to_digit(16);
        match (b, bytes.get(i + 1), bytes.get(i + 2)) {
            (b'#', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                name.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            _ => {
                name.push(b);
                i += 1;
            }
        }
    }
    Some((name, i))
}

/// Refuses an encrypted PDF (its trailer names `/Encrypt`) with object streams or a
/// cross-reference stream: the reader decrypts and decodes the object streams as it opens the
/// file, and their encrypted data cannot be measured before.
fn refuse_encrypted_object_streams(bytes: &[u8], name: &str) -> Result<(), Diagnostic> {
    let mut encrypted = false;
    let mut packed = false;
    let mut at = 0;
    while let Some((n, end)) = next_name(bytes, at) {
        at = end;
        match n.as_slice() {
            b"Encrypt" => encrypted = true,
            b"ObjStm" | b"XRef" | b"XRefStm" => packed = true,
            _ => {}
        }
    }
    // A cross-reference stream need not say its type: where `startxref` points is either a
    // classic table or such a stream.
    packed |= !starts_with_table(bytes);
    if encrypted && packed {
        return Err(Diagnostic::error(
            "the PDF is encrypted and packs its objects in compressed object streams, which the reader would decrypt and inflate before their size can be checked",
        )
        .in_file(name.to_string())
        .hint("ask the vendor for an unprotected copy, or open it in a PDF viewer, print it to a new PDF and snapshot that"));
    }
    Ok(())
}

/// Whether the last `startxref` points at a classic cross-reference table (`xref`).
fn starts_with_table(bytes: &[u8]) -> bool {
    let Some(at) = bytes.windows(9).rposition(|w| w == b"startxref") else {
        return false;
    };
    let rest = skip_space(bytes, at + 9);
    let digits = bytes[rest..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    std::str::from_utf8(&bytes[rest..rest + digits])
        .ok()
        .and_then(|d| d.parse::<usize>().ok())
        .and_then(|offset| bytes.get(offset..))
        .is_some_and(|t| t.starts_with(b"xref"))
}

/// The first position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_names_are_read_as_the_reader_reads_them() {
        let chains =
            filter_chains(b"1 0 obj << /Length 9 /F#69lter [/ASCII85Decode /LZW#44ecode] >>");
        assert_eq!(chains, [vec![Filter::Ascii85, Filter::Lzw]]);
        let chains = filter_chains(b"<< /Filter /FlateDecode /DecodeParms << /Predictor 12 >> >>");
        assert_eq!(chains, [vec![Filter::Flate]]);
        // A filter the reader does not decode ends the chain.
        let chains = filter_chains(b"<< /Filter [/ASCIIHexDecode /FlateDecode] >>");
        assert!(chains.is_empty(), "{chains:?}");
    }

    #[test]
    fn ascii85_decodes_as_the_reader_does() {
        assert_eq!(ascii85(b"9jqo^~>", 100), b"Man ");
        assert_eq!(ascii85(b"zz~>", 100), [0; 8]);
    }
}
