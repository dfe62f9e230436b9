//! The results cache: content-addressed entries on disk, so that a run over a portfolio where
//! one profile changed evaluates that profile again and reads the others' results back.
//!
//! An entry's name is the SHA-256 of everything its content depends on (the binary, the rules,
//! the policies, the request, the vendor's files: see [`Hasher`] and
//! [`vendor_fingerprint`]). Entries are written to a temporary file and renamed into place, so
//! a reader sees a whole entry or none, and concurrent runs that compute the same entry write
//! the same bytes. An entry is never trusted on sight: its header repeats its key and carries
//! its length and the SHA-256 of its payload, and any mismatch (a corrupted, truncated or
//! foreign file) is a miss, recomputed and written again. The folder is bounded in size: after
//! a run that wrote entries, the oldest are removed until it is under its limit.

use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The cache folder inside a workspace (ignored by git: `init` writes it into .gitignore).
pub(crate) const WORKSPACE_DIR: &str = ".diligence/cache";
/// The size the folder is kept under unless `--cache-max-mb` says otherwise.
pub(crate) const DEFAULT_MAX_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// The first bytes of every entry: the format of the entry file itself.
const MAGIC: &[u8; 8] = b"DLGCACH1";
/// Magic, key, payload length, payload SHA-256.
const HEADER: usize = 8 + 32 + 8 + 32;
/// Snapshot-sized files and larger are fingerprinted by length only: the loader refuses them
/// unread, whatever they hold.
const MAX_HASHED_BYTES: u64 = crate::evidence::MAX_SNAPSHOT_BYTES;
/// How deep a vendor's sources/ folder is walked for its fingerprint.
const MAX_DEPTH: usize = 8;

/// A key: the SHA-256 of an entry's inputs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Key([u8; 32]);

impl Key {
    fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Builds a key from labelled parts: each part is length-prefixed, so that no two different
/// sequences of parts hash alike.
#[derive(Clone, Default)]
pub(crate) struct Hasher(Sha256);

impl Hasher {
    pub(crate) fn new(domain: &str) -> Hasher {
        let mut h = Hasher(Sha256::new());
        h.part(domain.as_bytes());
        h
    }

    pub(crate) fn part(&mut self, bytes: &[u8]) -> &mut Hasher {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    pub(crate) fn str(&mut self, s: &str) -> &mut Hasher {
        self.part(s.as_bytes())
    }

    pub(crate) fn key(self) -> Key {
        Key(self.0.finalize().into())
    }
}

/// The cache of one run.
pub(crate) struct Cache {
    dir: PathBuf,
    max_bytes: u64,
    /// Whether this run wrote an entry (and so may have to evict).
    wrote: AtomicBool,
    pub(crate) hits: AtomicU64,
    pub(crate) misses: AtomicU64,
}

impl Cache {
    /// The cache in `dir` (created if missing). None when the folder cannot be made: the run
    /// then goes on without a cache, as with `--no-cache`.
    pub(crate) fn open(dir: PathBuf, max_bytes: u64) -> Option<Cache> {
        std::fs::create_dir_all(&dir).ok()?;
        Some(Cache {
            dir,
            max_bytes,
            wrote: AtomicBool::new(false),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        })
    }

    fn path(&self, key: &Key) -> PathBuf {
        let hex = key.hex();
        // Two levels, as git's objects: no folder holds a whole portfolio's entries.
        self.dir.join(&hex[..2]).join(&hex[2..])
    }

    /// The payload stored under `key`, if there is one and it is whole and unaltered.
    pub(crate) fn get(&self, key: &Key) -> Option<Vec<u8>> {
        let found = std::fs::read(self.path(key))
            .ok()
            .and_then(|bytes| payload(bytes, key));
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Stores `payload` under `key`. A cache that cannot be written only costs time: errors
    /// are dropped.
    pub(crate) fn put(&self, key: &Key, payload: &[u8]) {
        let _ = self.write(key, payload);
    }

    fn write(&self, key: &Key, payload: &[u8]) -> std::io::Result<()> {
        let path = self.path(key);
        let folder = path.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(folder)?;
        let mut file = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(folder)?;
        file.write_all(MAGIC)?;
        file.write_all(&key.0)?;
        file.write_all(&(payload.len() as u64).to_le_bytes())?;
        file.write_all(&Sha256::digest(payload))?;
        file.write_all(payload)?;
        // Renamed into place whole: a concurrent reader sees the old entry, the new one, or
        // none, never a part.
        file.persist(&path).map_err(|e| e.error)?;
        self.wrote.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// Ends the run: when it wrote entries and the folder is over its limit, the entries
    /// written longest ago are removed until it holds at most three quarters of it.
    pub(crate) fn evict(&self) {
        if !self.wrote.load(Ordering::Relaxed) {
            return;
        }
        let mut entries: Vec<(std::time::SystemTime, u64, PathBuf)> = Vec::new();
        let Ok(folders) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for folder in folders.filter_map(Result::ok) {
            let Ok(files) = std::fs::read_dir(folder.path()) else {
                continue;
            };
            for file in files.filter_map(Result::ok) {
                let Ok(meta) = file.metadata() else { continue };
                if meta.is_file() {
                    let when = meta.modified().unwrap_or(std::time::UNIX_EPOCH);
                    entries.push((when, meta.len(), file.path()));
                }
            }
        }
        let mut total: u64 = entries.iter().map(|e| e.1).sum();
        if total <= self.max_bytes {
            return;
        }
        entries.sort();
        let target = self.max_bytes / 4 * 3;
        for (_, len, path) in entries {
            if total <= target {
                break;
            }
            // Another run may have removed or replaced it: either way it is gone or new.
            if std::fs::remove_file(&path).is_ok() {
                total = total.saturating_sub(len);
            }
        }
    }
}

/// The payload of an entry's bytes, when the header matches `key` and the payload is whole and
/// has the checksum the header records.
fn payload(mut bytes: Vec<u8>, key: &Key) -> Option<Vec<u8>> {
    if bytes.len() < HEADER || &bytes[..8] != MAGIC || bytes[8..40] != key.0 {
        return None;
    }
    let len = u64::from_le_bytes(bytes[40..48].try_into().ok()?);
    if (bytes.len() - HEADER) as u64 != len {
        return None;
    }
    if Sha256::digest(&bytes[HEADER..])[..] != bytes[48..HEADER] {
        return None;
    }
    bytes.drain(..HEADER);
    Some(bytes)
}

/// The SHA-256 of the running executable: a rebuilt binary (new rules of reading, a fixed bug)
/// never reads the results of another. None when it cannot be read (no cache then).
pub(crate) fn binary_fingerprint() -> Option<Vec<u8>> {
    let exe = std::env::current_exe().ok()?;
    let bytes = std::fs::read(exe).ok()?;
    Some(Sha256::digest(&bytes).to_vec())
}

/// Adds to `h` what the loader can read of vendor folder `dir`: its `profile.yaml` and
/// everything under its `sources/` (names, kinds, link targets and contents, in name order).
/// Whatever a profile's snapshots are, the loader reads them only there.
pub(crate) fn vendor_fingerprint(h: &mut Hasher, root: &Path, dir: &str) {
    let vendor = root.join("vendors").join(dir);
    h.str(dir);
    walk_entry(h, &vendor, "", 0, false);
    walk_entry(h, &vendor.join("profile.yaml"), "profile.yaml", 0, false);
    walk_entry(h, &vendor.join("sources"), "sources", 0, true);
}

/// The fingerprint of vendor folder `dir` on its own (as [`vendor_fingerprint`] adds it to a
/// key): what an offering relying on one of that vendor's offerings keys its provider on.
pub(crate) fn folder_print(root: &Path, dir: &str) -> [u8; 32] {
    let mut h = Hasher::new("vendor folder");
    vendor_fingerprint(&mut h, root, dir);
    h.key().0
}

/// Adds to `h` the file at `path`, named `name`, as [`vendor_fingerprint`] adds a vendor's
/// files: its kind, a link's target, and a regular file's content only.
pub(crate) fn entry(h: &mut Hasher, path: &Path, name: &str) {
    walk_entry(h, path, name, 0, false);
}

/// Adds to `h` the entry at `path`, named `name`: its kind, a link's target, a regular file's
/// content (followed through links, as the loader follows them), and with `walk` a folder's
/// entries.
fn walk_entry(h: &mut Hasher, path: &Path, name: &str, depth: usize, walk: bool) {
    h.str(name);
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        h.str("absent");
        return;
    };
    if meta.file_type().is_symlink() {
        h.str("link");
        let target = std::fs::read_link(path).unwrap_or_default();
        h.part(target.as_os_str().as_encoded_bytes());
        // Where it leads, as the loader sees it (a link out of the folder is refused).
        let real = path.canonicalize().unwrap_or_default();
        h.part(real.as_os_str().as_encoded_bytes());
    }
    let Ok(meta) = std::fs::metadata(path) else {
        h.str("broken");
        return;
    };
    if meta.is_dir() {
        h.str("folder");
        if walk && depth < MAX_DEPTH && !meta.file_type().is_symlink() {
            let mut names: Vec<std::ffi::OsString> = std::fs::read_dir(path)
                .map(|entries| {
                    entries
                        .filter_map(Result::ok)
                        .map(|e| e.file_name())
                        .collect()
                })
                .unwrap_or_default();
            names.sort();
            for n in names {
                let child = n.to_string_lossy();
                walk_entry(h, &path.join(&n), &child, depth + 1, true);
            }
            h.str("end");
        }
    } else if meta.is_file() {
        h.str("file");
        h.part(&meta.len().to_le_bytes());
        if meta.len() <= MAX_HASHED_BYTES {
            match std::fs::read(path) {
                Ok(bytes) => h.part(&Sha256::digest(&bytes)),
                Err(_) => h.str("unreadable"),
            };
        }
    } else {
        // A FIFO, socket or device: never opened (the loader refuses it by its kind).
        h.str("special");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Key {
        let mut h = Hasher::new("test");
        h.str(s);
        h.key()
    }

    #[test]
    fn an_entry_is_read_back_only_whole_and_under_its_own_key() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path().join("c"), DEFAULT_MAX_BYTES).unwrap();
        cache.put(&key("a"), b"payload of a");
        assert_eq!(cache.get(&key("a")).as_deref(), Some(&b"payload of a"[..]));
        assert_eq!(cache.get(&key("b")), None);

        let path = cache.path(&key("a"));
        let whole = std::fs::read(&path).unwrap();
        std::fs::write(&path, &whole[..whole.len() - 3]).unwrap();
        assert_eq!(cache.get(&key("a")), None, "a truncated entry is a miss");
        let mut flipped = whole.clone();
        *flipped.last_mut().unwrap() ^= 1;
        std::fs::write(&path, &flipped).unwrap();
        assert_eq!(cache.get(&key("a")), None, "a corrupted entry is a miss");
        // An entry copied under another key's name is not that key's.
        std::fs::create_dir_all(cache.path(&key("b")).parent().unwrap()).unwrap();
        std::fs::write(cache.path(&key("b")), &whole).unwrap();
        assert_eq!(cache.get(&key("b")), None);
    }

    #[test]
    fn the_folder_is_kept_under_its_limit_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path().join("c"), 10_000).unwrap();
        for i in 0..20 {
            cache.put(&key(&i.to_string()), &[0u8; 1000]);
            // Distinct modification times, oldest first.
            let t = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1000 + i);
            let f = std::fs::File::options()
                .write(true)
                .open(cache.path(&key(&i.to_string())))
                .unwrap();
            f.set_modified(t).unwrap();
        }
        cache.evict();
        assert_eq!(cache.get(&key("0")), None, "the oldest entry went first");
        assert!(cache.get(&key("19")).is_some(), "the newest entry stays");
        let kept = (0..20)
            .filter(|i| cache.path(&key(&i.to_string())).exists())
            .count();
        assert!(kept * (1000 + HEADER) <= 7_500, "{kept} entries kept");
    }
}
