//! `check`'s diagnostics, kept on disk: a large portfolio has hundreds of thousands of them
//! (each broken quote with its word diff), which must come out sorted by file and place and
//! without duplicates. Each diagnostic is written to an unnamed temporary file as it comes;
//! memory holds only where it is, its sort key and a hash, so that memory does not grow with
//! the text of the diagnostics.

use crate::diag::Diagnostic;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

/// Where the diagnostics' bytes are: an unnamed temporary file, or memory when no temporary
/// file can be made (the output is the same, only the memory differs).
enum Store {
    File(BufWriter<std::fs::File>),
    Memory(Vec<u8>),
}

/// One diagnostic of the spill: its place (the sort key), where its bytes are, and a hash of
/// them to find duplicates without reading them back.
#[derive(Clone, Copy)]
struct Key {
    /// Index into `files`; `NO_FILE` for a diagnostic about no file (sorted first).
    file: u32,
    line: u32,
    column: u32,
    len: u32,
    /// The length of its text as printed, stored after its JSON (0 when not kept).
    text_len: u32,
    offset: u64,
    hash: u64,
    error: bool,
}

const NO_FILE: u32 = u32::MAX;

/// The diagnostics of one `check`, in the order they came.
pub(crate) struct Spill {
    store: Store,
    written: u64,
    files: Vec<String>,
    file_ids: HashMap<String, u32>,
    keys: Vec<Key>,
    /// The first error writing the temporary file: the run then fails, rather than say less.
    failed: Option<io::Error>,
    /// Whether the file was read since the last write: reading moves the offset that the
    /// writer shares.
    moved: bool,
    /// The workspace, when each diagnostic is kept as printed too (text output): rendered as
    /// it comes, or as the results cache has it, so that the sorted output is only copied.
    printed: Option<std::path::PathBuf>,
}

impl Spill {
    /// A spill of diagnostics; with `printed`, the workspace whose diagnostics are printed as
    /// text, each is kept as printed too.
    pub(crate) fn new(printed: Option<std::path::PathBuf>) -> Spill {
        let store = match tempfile::tempfile() {
            Ok(f) => Store::File(BufWriter::with_capacity(1 << 16, f)),
            Err(_) => Store::Memory(Vec::new()),
        };
        Spill {
            store,
            written: 0,
            files: Vec::new(),
            file_ids: HashMap::new(),
            keys: Vec::new(),
            failed: None,
            moved: false,
            printed,
        }
    }

    pub(crate) fn push(&mut self, d: &Diagnostic) {
        let bytes = match serde_json::to_vec(d) {
            Ok(b) => b,
            Err(e) => {
                self.failed.get_or_insert(io::Error::other(e));
                return;
            }
        };
        let text = match &self.printed {
            Some(root) => crate::evaluation::rendered::printed(d, root),
            None => Vec::new(),
        };
        self.push_record(&d.file, d.line, d.column, d.is_error(), &bytes, &text);
    }

    /// A diagnostic already rendered as the spill keeps it (its JSON, from the results cache).
    pub(crate) fn push_note(&mut self, n: &crate::evaluation::rendered::Note) {
        let text: &[u8] = if self.printed.is_some() { &n.text } else { &[] };
        self.push_record(&n.file, n.line, n.column, n.error, &n.bytes, text);
    }

    fn push_record(
        &mut self,
        file: &Option<String>,
        line: u32,
        column: u32,
        error: bool,
        bytes: &[u8],
        text: &[u8],
    ) {
        let moved = std::mem::take(&mut self.moved);
        let written = match &mut self.store {
            Store::File(w) if moved => w
                .seek(SeekFrom::End(0))
                .and_then(|_| w.write_all(bytes))
                .and_then(|_| w.write_all(text)),
            Store::File(w) => w.write_all(bytes).and_then(|_| w.write_all(text)),
            Store::Memory(m) => {
                m.extend_from_slice(bytes);
                m.extend_from_slice(text);
                Ok(())
            }
        };
        if let Err(e) = written {
            self.failed.get_or_insert(e);
            return;
        }
        let file = match file {
            None => NO_FILE,
            Some(f) => match self.file_ids.get(f) {
                Some(&id) => id,
                None => {
                    let id = self.files.len() as u32;
                    self.files.push(f.clone());
                    self.file_ids.insert(f.clone(), id);
                    id
                }
            },
        };
        self.keys.push(Key {
            file,
            line,
            column,
            len: bytes.len() as u32,
            text_len: text.len() as u32,
            offset: self.written,
            hash: hash(bytes),
            error,
        });
        self.written += (bytes.len() + text.len()) as u64;
    }

    /// Whether a diagnostic equal to `d` was pushed.
    pub(crate) fn contains(&mut self, d: &Diagnostic) -> io::Result<bool> {
        let bytes = serde_json::to_vec(d).map_err(io::Error::other)?;
        let h = hash(&bytes);
        let candidates: Vec<Key> = self
            .keys
            .iter()
            .filter(|k| k.hash == h && k.len as usize == bytes.len())
            .copied()
            .collect();
        if candidates.is_empty() {
            return Ok(false);
        }
        let mut records = self.records()?;
        for k in candidates {
            if records.read(&k)? == bytes {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The diagnostics sorted by file, line and column (in the order they came at one place),
    /// each run of equal diagnostics said once: `sort_by` and `dedup` on a vector of them.
    pub(crate) fn sorted(mut self) -> io::Result<Sorted> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        let files = &self.files;
        let name = |id: u32| (id != NO_FILE).then(|| files[id as usize].as_str());
        self.keys.sort_by(|a, b| {
            (name(a.file), a.line, a.column).cmp(&(name(b.file), b.line, b.column))
        });
        let mut records = self.records()?;
        let mut kept: Vec<Key> = Vec::with_capacity(self.keys.len());
        for k in &self.keys {
            if let Some(last) = kept.last()
                && same_place(last, k) == Ordering::Equal
                && (last.hash, last.len) == (k.hash, k.len)
                && records.read(last)? == records.read(k)?
            {
                continue;
            }
            kept.push(*k);
        }
        let errors = kept.iter().filter(|k| k.error).count();
        Ok(Sorted {
            records,
            keys: kept,
            errors,
        })
    }

    fn records(&mut self) -> io::Result<Records> {
        self.moved = true;
        let source: Box<dyn ReadSeek> = match &mut self.store {
            Store::File(w) => {
                w.flush()?;
                Box::new(w.get_ref().try_clone()?)
            }
            Store::Memory(m) => Box::new(io::Cursor::new(m.clone())),
        };
        Ok(Records {
            reader: BufReader::with_capacity(1 << 16, source),
            at: None,
        })
    }
}

/// Two keys' places, compared (their file ids: equal names have equal ids).
fn same_place(a: &Key, b: &Key) -> Ordering {
    (a.file, a.line, a.column).cmp(&(b.file, b.line, b.column))
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

/// Reads diagnostics back from the spill.
struct Records {
    reader: BufReader<Box<dyn ReadSeek>>,
    /// Where the reader is, when known: a read right after the previous one needs no seek.
    at: Option<u64>,
}

impl Records {
    /// A diagnostic's JSON.
    fn read(&mut self, k: &Key) -> io::Result<Vec<u8>> {
        self.read_at(k.offset, k.len)
    }

    /// A diagnostic as printed (empty when the spill keeps no text).
    fn read_text(&mut self, k: &Key) -> io::Result<Vec<u8>> {
        self.read_at(k.offset + u64::from(k.len), k.text_len)
    }

    fn read_at(&mut self, offset: u64, len: u32) -> io::Result<Vec<u8>> {
        match self.at {
            Some(at) if at == offset => {}
            Some(at) => self.reader.seek_relative(offset as i64 - at as i64)?,
            None => {
                self.reader.seek(SeekFrom::Start(offset))?;
            }
        }
        let mut buf = vec![0; len as usize];
        self.reader.read_exact(&mut buf)?;
        self.at = Some(offset + u64::from(len));
        Ok(buf)
    }
}

/// The diagnostics in their order, without duplicates.
pub(crate) struct Sorted {
    records: Records,
    keys: Vec<Key>,
    errors: usize,
}

impl Sorted {
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    pub(crate) fn errors(&self) -> usize {
        self.errors
    }

    /// Calls `each` with every diagnostic, in order.
    #[cfg(test)]
    pub(crate) fn for_each(
        &mut self,
        mut each: impl FnMut(Diagnostic) -> io::Result<()>,
    ) -> io::Result<()> {
        for i in 0..self.keys.len() {
            each(self.get(i)?)?;
        }
        Ok(())
    }

    /// Calls `each` with every diagnostic as printed (kept when the spill was made with the
    /// workspace), in order.
    pub(crate) fn for_each_printed(
        &mut self,
        mut each: impl FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        for i in 0..self.keys.len() {
            let k = self.keys[i];
            each(&self.records.read_text(&k)?)?;
        }
        Ok(())
    }

    fn get(&mut self, i: usize) -> io::Result<Diagnostic> {
        let bytes = self.records.read(&self.keys[i])?;
        serde_json::from_slice(&bytes).map_err(io::Error::other)
    }
}

/// The diagnostics as a JSON array, read from the spill as they are written, followed by
/// `then` (the expired waivers, listed after the others).
pub(crate) struct JsonArray<'a> {
    pub(crate) sorted: std::cell::RefCell<&'a mut Sorted>,
    pub(crate) then: &'a [Diagnostic],
}

impl serde::Serialize for JsonArray<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut sorted = self.sorted.borrow_mut();
        let mut seq = s.serialize_seq(Some(sorted.len() + self.then.len()))?;
        for i in 0..sorted.len() {
            let d = sorted.get(i).map_err(S::Error::custom)?;
            seq.serialize_element(&d)?;
        }
        for d in self.then {
            seq.serialize_element(d)?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;

    fn warning(file: Option<&str>, line: u32, message: &str) -> Diagnostic {
        let d = Diagnostic::warning(message).at(Pos::new(line, 1));
        match file {
            Some(f) => d.in_file(f),
            None => d,
        }
    }

    fn all(spill: Spill) -> (Vec<Diagnostic>, usize) {
        let mut sorted = spill.sorted().unwrap();
        let mut out = Vec::new();
        sorted
            .for_each(|d| {
                out.push(d);
                Ok(())
            })
            .unwrap();
        (out, sorted.errors())
    }

    /// The spill orders and deduplicates exactly as sorting a vector by place (stably) and
    /// removing consecutive duplicates does.
    #[test]
    fn sorts_and_deduplicates_like_a_vector() {
        let input = vec![
            warning(Some("b.yaml"), 2, "two"),
            warning(Some("a.yaml"), 9, "nine"),
            warning(None, 0, "no file"),
            warning(Some("b.yaml"), 2, "two again"),
            warning(Some("b.yaml"), 2, "two"),
            warning(Some("b.yaml"), 2, "two"),
            Diagnostic::error("broken")
                .in_file("a.yaml")
                .at(Pos::new(1, 3)),
            warning(Some("a.yaml"), 9, "nine"),
        ];
        let mut spill = Spill::new(None);
        input.iter().for_each(|d| spill.push(d));
        assert!(spill.contains(&input[3]).unwrap());
        assert!(
            !spill
                .contains(&warning(Some("b.yaml"), 2, "three"))
                .unwrap()
        );
        // Pushed after a read: written after the others, not over them.
        let late = warning(Some("a.yaml"), 9, "late");
        spill.push(&late);
        let mut expected = input.clone();
        expected.push(late);
        expected.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        expected.dedup();
        let (out, errors) = all(spill);
        assert_eq!(out, expected);
        assert_eq!(errors, 1);
        assert_eq!(out.len(), 7, "{out:#?}");
    }

    /// Without a temporary file the diagnostics are kept in memory, with the same result.
    #[test]
    fn memory_store_gives_the_same_order() {
        let mut spill = Spill::new(None);
        spill.store = Store::Memory(Vec::new());
        spill.push(&warning(Some("b.yaml"), 1, "b"));
        spill.push(&warning(Some("a.yaml"), 1, "a"));
        spill.push(&warning(Some("a.yaml"), 1, "a"));
        let (out, _) = all(spill);
        let files: Vec<_> = out.iter().map(|d| d.file.clone().unwrap()).collect();
        assert_eq!(files, ["a.yaml", "b.yaml"]);
    }
}
