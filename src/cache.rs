//! The results cache: content-addressed entries on disk, so that a run over a portfolio where
//! one profile changed evaluates that profile again and reads the others' results back.
//!
//! An entry's name is the SHA-256 of everything its content depends on (the binary, the rules,
//! the policies, the request, the vendor's files: see [`Hasher`] and
//! [`vendor_fingerprint`]). Entries are written to a temporary file and renamed into place, so
//! a reader sees a whole entry or none, and concurrent runs that compute the same entry write
//! the same bytes. An entry is never trusted on sight: its header repeats its key and carries
//! its length and the CRC-32 of its payload, and any mismatch (a corrupted, truncated or
//! foreign file) is a miss, recomputed and written again. (A checksum against damage, not
//! forgery: the cache is trusted as the binary is. SHA-256 of every entry was a tenth of a
//! warm run.) The folder is bounded in size: after
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
const MAGIC: &[u8; 8] = b"DLGCACH2";
/// Magic, key, payload length, payload CRC-32.
const HEADER: usize = 8 + 32 + 8 + 4;
/// Snapshot-sized files and larger are fingerprinted by length only: the loader refuses them
/// unread, whatever they hold.
const MAX_HASHED_BYTES: u64 = crate::evidence::MAX_SNAPSHOT_BYTES;
/// How deep a vendor's sources/ folder is walked for its fingerprint: the loader refuses a
/// snapshot nested deeper (a file the fingerprint does not hash could change unseen).
pub(crate) const MAX_DEPTH: usize = 8;

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
    /// The bytes of the entries this run wrote (headers included).
    written: AtomicU64,
    pub(crate) hits: AtomicU64,
    pub(crate) misses: AtomicU64,
    /// Content hashes of the files fingerprinted in earlier runs, by their stat data.
    pub(crate) stats: StatIndex,
    /// Which of the entry folders (by the key's first byte) this run has made sure exist.
    folders_made: [AtomicBool; 256],
}

impl Cache {
    /// The cache in `dir` (created if missing). None when the folder cannot be made: the run
    /// then goes on without a cache, as with `--no-cache`.
    pub(crate) fn open(dir: PathBuf, max_bytes: u64) -> Option<Cache> {
        std::fs::create_dir_all(&dir).ok()?;
        Some(Cache {
            stats: StatIndex::load(dir.join(STAT_INDEX)),
            dir,
            max_bytes,
            wrote: AtomicBool::new(false),
            written: AtomicU64::new(0),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            folders_made: [const { AtomicBool::new(false) }; 256],
        })
    }

    fn path(&self, key: &Key) -> PathBuf {
        let hex = key.hex();
        // Two levels, as git's objects: no folder holds a whole portfolio's entries.
        self.dir.join(&hex[..2]).join(&hex[2..])
    }

    /// The payload stored under `key`, if there is one and it is whole and unaltered.
    pub(crate) fn get(&self, key: &Key) -> Option<Payload> {
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
        // Each of the 256 folders is made once per run, not once per entry (a cold run wrote
        // thousands of entries into them, each with a `mkdir` that failed); one removed during
        // the run (by hand) is made again.
        let made = &self.folders_made[usize::from(key.0[0])];
        if !made.load(Ordering::Relaxed) {
            std::fs::create_dir_all(folder)?;
            made.store(true, Ordering::Relaxed);
        }
        let temporary = || tempfile::Builder::new().prefix(".tmp-").tempfile_in(folder);
        let mut file = match temporary() {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(folder)?;
                temporary()?
            }
            other => other?,
        };
        // One write: a cold run writes an entry per vendor, and a system call per field was
        // five where one does.
        let mut entry = Vec::with_capacity(HEADER + payload.len());
        entry.extend_from_slice(MAGIC);
        entry.extend_from_slice(&key.0);
        entry.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        entry.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
        entry.extend_from_slice(payload);
        file.write_all(&entry)?;
        // Renamed into place whole: a concurrent reader sees the old entry, the new one, or
        // none, never a part.
        file.persist(&path).map_err(|e| e.error)?;
        self.wrote.store(true, Ordering::Relaxed);
        self.written
            .fetch_add((HEADER + payload.len()) as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Ends the run: when it wrote entries and the folder is over its limit, the entries
    /// written longest ago are removed until it holds at most three quarters of it.
    ///
    /// The folder's size is kept in [`USAGE`] as of the last full count plus what runs wrote
    /// since, so that a run that wrote one entry does not list and `stat` every entry (20,000
    /// at 10,000 vendors with `check`'s): it counts only when that sum passes the limit. The
    /// sum can only overstate the folder (a rewritten entry counts twice, a removed one still
    /// counts), which brings the count forward, except when two runs end at once and one
    /// update is lost: the folder may then pass its limit by one run's entries until the
    /// next count.
    pub(crate) fn evict(&self) {
        self.stats.save();
        if !self.wrote.load(Ordering::Relaxed) {
            return;
        }
        let usage = self.dir.join(USAGE);
        let recorded = std::fs::read_to_string(&usage)
            .ok()
            .and_then(|t| t.trim().parse::<u64>().ok());
        if let Some(recorded) = recorded {
            let now = recorded.saturating_add(self.written.load(Ordering::Relaxed));
            if now <= self.max_bytes {
                self.record_usage(now);
                return;
            }
        }
        let total = self.count_and_evict();
        self.record_usage(total);
    }

    /// Writes the folder's size as counted (or estimated) now, replaced whole.
    fn record_usage(&self, bytes: u64) {
        let _ = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(&self.dir)
            .and_then(|mut f| {
                f.write_all(bytes.to_string().as_bytes())?;
                f.persist(self.dir.join(USAGE)).map_err(|e| e.error)?;
                Ok(())
            });
    }

    /// Lists every entry, removes the oldest while the folder is over its limit, and returns
    /// the size of what is left.
    fn count_and_evict(&self) -> u64 {
        let mut entries: Vec<(std::time::SystemTime, u64, PathBuf)> = Vec::new();
        let Ok(folders) = std::fs::read_dir(&self.dir) else {
            return 0;
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
            return total;
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
        total
    }
}

/// An entry's payload: the entry's bytes as read, past its header (not moved to the front: an
/// entry is tens of kilobytes, and a warm run reads one per vendor).
#[derive(Debug, PartialEq)]
pub(crate) struct Payload(Vec<u8>);

impl std::ops::Deref for Payload {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.0.get(HEADER..).unwrap_or_default()
    }
}

/// The payload of an entry's bytes, when the header matches `key` and the payload is whole and
/// has the checksum the header records (a damaged entry is a miss).
fn payload(bytes: Vec<u8>, key: &Key) -> Option<Payload> {
    if bytes.len() < HEADER || &bytes[..8] != MAGIC || bytes[8..40] != key.0 {
        return None;
    }
    let len = u64::from_le_bytes(bytes[40..48].try_into().ok()?);
    if (bytes.len() - HEADER) as u64 != len {
        return None;
    }
    if crc32fast::hash(&bytes[HEADER..]).to_le_bytes()[..] != bytes[48..HEADER] {
        return None;
    }
    Some(Payload(bytes))
}

/// The SHA-256 of the running executable: a rebuilt binary (new rules of reading, a fixed bug)
/// never reads the results of another. None when it cannot be read (no cache then). Read
/// only when the stat index does not know it already: hashing tens of megabytes took as long
/// as reading a hundred vendors' entries.
pub(crate) fn binary_fingerprint(stats: Option<&StatIndex>) -> Option<Vec<u8>> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    Some(content_hash(&exe, &meta, stats)?.to_vec())
}

/// Adds to `h` what the loader can read of vendor folder `dir`: its `profile.yaml` and
/// everything under its `sources/` (names, kinds, link targets and contents, in name order).
/// Whatever a profile's snapshots are, the loader reads them only there.
pub(crate) fn vendor_fingerprint(
    h: &mut Hasher,
    root: &Path,
    dir: &str,
    stats: Option<&StatIndex>,
) {
    let vendor = root.join("vendors").join(dir);
    h.str(dir);
    let mut walk = Walk { h, stats };
    walk.entry(&vendor, "", 0, false);
    walk.entry(&vendor.join("profile.yaml"), "profile.yaml", 0, false);
    walk.entry(&vendor.join("sources"), "sources", 0, true);
}

/// The fingerprint of vendor folder `dir` on its own (as [`vendor_fingerprint`] adds it to a
/// key): what an offering relying on one of that vendor's offerings keys its provider on.
pub(crate) fn folder_print(root: &Path, dir: &str) -> [u8; 32] {
    folder_print_with(root, dir, None)
}

/// As [`folder_print`], sparing the files `stats` knows unchanged from being read.
pub(crate) fn folder_print_with(root: &Path, dir: &str, stats: Option<&StatIndex>) -> [u8; 32] {
    let mut h = Hasher::new("vendor folder");
    vendor_fingerprint(&mut h, root, dir, stats);
    h.key().0
}

/// Adds to `h` the file at `path`, named `name`, as [`vendor_fingerprint`] adds a vendor's
/// files: its kind, a link's target, and a regular file's content only.
pub(crate) fn entry(h: &mut Hasher, path: &Path, name: &str, stats: Option<&StatIndex>) {
    Walk { h, stats }.entry(path, name, 0, false);
}

/// A fingerprint being taken: the hasher, and the stat index that spares reading files
/// unchanged since an earlier run.
struct Walk<'a> {
    h: &'a mut Hasher,
    stats: Option<&'a StatIndex>,
}

impl Walk<'_> {
    /// Adds to `h` the entry at `path`, named `name`: its kind, a link's target, a regular file's
    /// content (followed through links, as the loader follows them), and with `walk` a folder's
    /// entries.
    fn entry(&mut self, path: &Path, name: &str, depth: usize, walk: bool) {
        let h = &mut *self.h;
        h.str(name);
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            h.str("absent");
            return;
        };
        // Only a link is looked up a second time, to where it leads.
        let meta = if meta.file_type().is_symlink() {
            h.str("link");
            let target = std::fs::read_link(path).unwrap_or_default();
            h.part(target.as_os_str().as_encoded_bytes());
            // Where it leads, as the loader sees it (a link out of the folder is refused).
            let real = path.canonicalize().unwrap_or_default();
            h.part(real.as_os_str().as_encoded_bytes());
            let Ok(meta) = std::fs::metadata(path) else {
                h.str("broken");
                return;
            };
            meta
        } else {
            meta
        };
        if meta.is_dir() {
            h.str("folder");
            // A linked folder is walked too (`meta` follows links, as the loader does when it
            // reads a snapshot through one): what it holds can change a result. The depth bound
            // ends a link cycle.
            if walk && depth < MAX_DEPTH {
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
                    self.entry(&path.join(&n), &child, depth + 1, true);
                }
                self.h.str("end");
            }
        } else if meta.is_file() {
            h.str("file");
            h.part(&meta.len().to_le_bytes());
            if meta.len() <= MAX_HASHED_BYTES {
                match content_hash(path, &meta, self.stats) {
                    Some(digest) => h.part(&digest),
                    None => h.str("unreadable"),
                };
            }
        } else {
            // A FIFO, socket or device: never opened (the loader refuses it by its kind).
            h.str("special");
        }
    }
}

/// The stat index's file in the cache folder.
const STAT_INDEX: &str = "stat-index";
/// The file that keeps the folder's size between runs (see [`Cache::evict`]).
const USAGE: &str = "usage";
const STAT_MAGIC: &[u8; 8] = b"DLGSTAT1";
/// How much older than the moment it was hashed a file's last change must be for its stat
/// data to stand for its content later: a file changed again within the same timestamp tick
/// (coarse on some filesystems and kernels) keeps its mtime, so such a file is hashed again on
/// every run until it is older than this ("racily clean", as git's index says).
const RACY_NS: i128 = 2_000_000_000;

/// What identifies a file's version without reading it: size, modification and change times
/// (nanoseconds), inode and device. Any write changes the change time (ctime), which no user
/// call can set.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Stat {
    size: u64,
    mtime_ns: i128,
    ctime_ns: i128,
    ino: u64,
    dev: u64,
}

impl Stat {
    #[cfg(unix)]
    fn of(meta: &std::fs::Metadata) -> Option<Stat> {
        use std::os::unix::fs::MetadataExt;
        let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        Some(Stat {
            size: meta.size(),
            mtime_ns: ns(meta.mtime(), meta.mtime_nsec()),
            ctime_ns: ns(meta.ctime(), meta.ctime_nsec()),
            ino: meta.ino(),
            dev: meta.dev(),
        })
    }

    /// Elsewhere there is no change time to rely on: every file is read.
    #[cfg(not(unix))]
    fn of(_: &std::fs::Metadata) -> Option<Stat> {
        None
    }
}

/// A file's content hash with the stat data it had and when it was hashed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Stamp {
    stat: Stat,
    hashed_ns: i128,
    digest: [u8; 32],
}

impl Stamp {
    /// Whether the recorded digest stands for a file whose stat is now `now`: the same stat,
    /// and last changed well before it was hashed (else a change in the same tick could hide).
    fn stands_for(&self, now: &Stat) -> bool {
        self.stat == *now
            && self.stat.mtime_ns < self.hashed_ns - RACY_NS
            && self.stat.ctime_ns < self.hashed_ns - RACY_NS
    }
}

/// Stamps by path, hashed with foldhash (seeded at random per process, as std's SipHash is):
/// SipHash of 50,000 paths was a visible part of a warm run.
type Stamps = foldhash::HashMap<Vec<u8>, Stamp>;

/// Content hashes of files by path, as git's index keeps them: a file whose stat data is
/// unchanged since it was hashed is not read again. The index is one file in the cache folder,
/// read whole at the start of a run and replaced whole at its end; it ends with the SHA-256
/// of what precedes it, and an index that does not match is ignored (every file is read).
pub(crate) struct StatIndex {
    path: PathBuf,
    old: Stamps,
    new: std::sync::Mutex<Stamps>,
}

impl StatIndex {
    fn load(path: PathBuf) -> StatIndex {
        let old = std::fs::read(&path)
            .ok()
            .and_then(|bytes| decode_stats(&bytes))
            .unwrap_or_default();
        StatIndex {
            path,
            old,
            new: std::sync::Mutex::new(Default::default()),
        }
    }

    fn record(&self, key: Vec<u8>, stamp: Stamp) {
        let mut new = self.new.lock().unwrap_or_else(|e| e.into_inner());
        new.insert(key, stamp);
    }

    /// Writes the index of this run's files (those the run did not fingerprint are dropped:
    /// the index does not grow with folders no run reads any more). A run that read no file
    /// leaves it as it is.
    fn save(&self) {
        let new = self.new.lock().unwrap_or_else(|e| e.into_inner());
        if new.is_empty() || *new == self.old {
            return;
        }
        let mut out = Vec::with_capacity(STAT_MAGIC.len() + new.len() * 160);
        out.extend_from_slice(STAT_MAGIC);
        for (path, s) in new.iter() {
            out.extend_from_slice(&(path.len() as u32).to_le_bytes());
            out.extend_from_slice(path);
            out.extend_from_slice(&s.stat.size.to_le_bytes());
            out.extend_from_slice(&s.stat.mtime_ns.to_le_bytes());
            out.extend_from_slice(&s.stat.ctime_ns.to_le_bytes());
            out.extend_from_slice(&s.stat.ino.to_le_bytes());
            out.extend_from_slice(&s.stat.dev.to_le_bytes());
            out.extend_from_slice(&s.hashed_ns.to_le_bytes());
            out.extend_from_slice(&s.digest);
        }
        let sum = Sha256::digest(&out);
        out.extend_from_slice(&sum);
        let Some(folder) = self.path.parent() else {
            return;
        };
        // Replaced whole, as entries are: a concurrent run reads the old index or the new.
        let _ = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(folder)
            .and_then(|mut f| {
                f.write_all(&out)?;
                f.persist(&self.path).map_err(|e| e.error)?;
                Ok(())
            });
    }
}

/// The stat index's entries, when `bytes` is a whole index.
fn decode_stats(bytes: &[u8]) -> Option<Stamps> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(32)?)?;
    if Sha256::digest(body)[..] != *sum {
        return None;
    }
    let mut rest = body.strip_prefix(STAT_MAGIC)?;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some(head)
    };
    let mut out = Stamps::default();
    while let Some(len) = take(4) {
        let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
        let path = take(len)?.to_vec();
        let u64_at = |b: &[u8]| b.try_into().ok().map(u64::from_le_bytes);
        let i128_at = |b: &[u8]| b.try_into().ok().map(i128::from_le_bytes);
        let stat = Stat {
            size: u64_at(take(8)?)?,
            mtime_ns: i128_at(take(16)?)?,
            ctime_ns: i128_at(take(16)?)?,
            ino: u64_at(take(8)?)?,
            dev: u64_at(take(8)?)?,
        };
        let hashed_ns = i128_at(take(16)?)?;
        let digest: [u8; 32] = take(32)?.try_into().ok()?;
        out.insert(
            path,
            Stamp {
                stat,
                hashed_ns,
                digest,
            },
        );
    }
    Some(out)
}

/// The SHA-256 of the file at `path`, read a block at a time: the executable is tens of
/// megabytes (read whole, it was most of a run's peak memory). The block is each thread's own,
/// kept between files: a new zeroed block per file was most of what hashing a cold run's
/// 10,000 files cost.
fn sha256_of(path: &Path) -> Option<[u8; 32]> {
    use std::io::Read;
    thread_local! {
        static BLOCK: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let mut file = std::fs::File::open(path).ok()?;
    let mut hasher = Sha256::new();
    BLOCK.with(|block| {
        // A block borrowed already (never: hashing does not re-enter) gets one of its own.
        let mut own = Vec::new();
        let mut borrowed = block.try_borrow_mut().ok();
        let buf = borrowed.as_deref_mut().unwrap_or(&mut own);
        buf.resize(1 << 16, 0);
        loop {
            match file.read(buf) {
                Ok(0) => return Some(hasher.finalize().into()),
                Ok(n) => hasher.update(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return None,
            }
        }
    })
}

/// The SHA-256 of the regular file at `path` (whose metadata is `meta`), taken from the stat
/// index when the file is unchanged since an earlier run hashed it; None when it cannot be read.
fn content_hash(
    path: &Path,
    meta: &std::fs::Metadata,
    stats: Option<&StatIndex>,
) -> Option<[u8; 32]> {
    let (Some(stats), Some(stat)) = (stats, Stat::of(meta)) else {
        return sha256_of(path);
    };
    let key = path.as_os_str().as_encoded_bytes().to_vec();
    if let Some(seen) = stats.old.get(&key).filter(|s| s.stands_for(&stat)).copied() {
        stats.record(key, seen);
        return Some(seen.digest);
    }
    // The time is taken before the file is read: a change during the read is newer than it.
    let hashed_ns = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(0);
    let digest = sha256_of(path)?;
    // The stat must still be the one the bytes were read under.
    if std::fs::metadata(path).ok().and_then(|m| Stat::of(&m)) == Some(stat) {
        stats.record(
            key,
            Stamp {
                stat,
                hashed_ns,
                digest,
            },
        );
    }
    Some(digest)
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
        assert!(cache.get(&key("b")).is_none());

        let path = cache.path(&key("a"));
        let whole = std::fs::read(&path).unwrap();
        std::fs::write(&path, &whole[..whole.len() - 3]).unwrap();
        assert!(
            cache.get(&key("a")).is_none(),
            "a truncated entry is a miss"
        );
        let mut flipped = whole.clone();
        *flipped.last_mut().unwrap() ^= 1;
        std::fs::write(&path, &flipped).unwrap();
        assert!(
            cache.get(&key("a")).is_none(),
            "a corrupted entry is a miss"
        );
        // An entry copied under another key's name is not that key's.
        std::fs::create_dir_all(cache.path(&key("b")).parent().unwrap()).unwrap();
        std::fs::write(cache.path(&key("b")), &whole).unwrap();
        assert!(cache.get(&key("b")).is_none());
    }

    #[test]
    fn an_entry_folder_removed_during_the_run_is_made_again() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path().join("c"), DEFAULT_MAX_BYTES).unwrap();
        cache.put(&key("a"), b"first");
        let folder = cache.path(&key("a")).parent().unwrap().to_path_buf();
        std::fs::remove_dir_all(&folder).unwrap();
        cache.put(&key("a"), b"second");
        assert_eq!(cache.get(&key("a")).as_deref(), Some(&b"second"[..]));
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
        assert!(
            cache.get(&key("0")).is_none(),
            "the oldest entry went first"
        );
        assert!(cache.get(&key("19")).is_some(), "the newest entry stays");
        let kept = (0..20)
            .filter(|i| cache.path(&key(&i.to_string())).exists())
            .count();
        assert!(kept * (1000 + HEADER) <= 7_500, "{kept} entries kept");
    }

    fn folder_size(dir: &Path) -> u64 {
        let mut total = 0;
        for folder in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
            if let Ok(files) = std::fs::read_dir(folder.path()) {
                total += files
                    .filter_map(Result::ok)
                    .map(|f| f.metadata().unwrap().len())
                    .sum::<u64>();
            }
        }
        total
    }

    #[test]
    fn runs_that_each_stay_under_the_limit_add_up_and_the_sum_evicts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c");
        let limit = 10_000;
        // First run: 6 entries of about 1 KB, under the limit: nothing removed, size recorded.
        let run = Cache::open(path.clone(), limit).unwrap();
        for i in 0..6 {
            run.put(&key(&format!("a{i}")), &[0u8; 1000]);
        }
        run.evict();
        let recorded: u64 = std::fs::read_to_string(path.join(USAGE))
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(
            recorded,
            folder_size(&path),
            "the first run counts the folder"
        );
        // Second run: 6 more, under the limit alone, over it with the first run's.
        let run = Cache::open(path.clone(), limit).unwrap();
        for i in 0..6 {
            run.put(&key(&format!("b{i}")), &[0u8; 1000]);
        }
        run.evict();
        let size = folder_size(&path);
        assert!(size <= limit / 4 * 3, "evicted down to {size} bytes");
        let recorded: u64 = std::fs::read_to_string(path.join(USAGE))
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(recorded, size, "the count after eviction is recorded");
    }

    #[test]
    fn a_damaged_size_record_means_a_full_count() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c");
        let run = Cache::open(path.clone(), 5_000).unwrap();
        for i in 0..8 {
            run.put(&key(&i.to_string()), &[0u8; 1000]);
        }
        std::fs::write(path.join(USAGE), "not a number").unwrap();
        run.evict();
        assert!(folder_size(&path) <= 3_750, "counted and evicted");
    }
}

#[cfg(all(test, unix))]
mod stat_tests {
    use super::*;

    fn real(path: &Path) -> [u8; 32] {
        Sha256::digest(std::fs::read(path).unwrap()).into()
    }

    /// An index recording `digest` for `path` as it is now, hashed `after_ns` after the
    /// file's last change.
    fn index_with(dir: &Path, path: &Path, digest: [u8; 32], after_ns: i128) -> StatIndex {
        let stat = Stat::of(&std::fs::metadata(path).unwrap()).unwrap();
        let index = StatIndex::load(dir.join(STAT_INDEX));
        index.record(
            path.as_os_str().as_encoded_bytes().to_vec(),
            Stamp {
                stat,
                hashed_ns: stat.mtime_ns.max(stat.ctime_ns) + after_ns,
                digest,
            },
        );
        index.save();
        StatIndex::load(dir.join(STAT_INDEX))
    }

    fn hash_of(path: &Path, index: &StatIndex) -> [u8; 32] {
        content_hash(path, &std::fs::metadata(path).unwrap(), Some(index)).unwrap()
    }

    /// A file unchanged since it was hashed, long after its last change, is not read again:
    /// the recorded digest stands for it (here a made-up one, to see that it is used).
    #[test]
    fn an_unchanged_file_is_not_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("snapshot.md");
        std::fs::write(&file, "# Terms\n").unwrap();
        let index = index_with(dir.path(), &file, [7; 32], 10 * RACY_NS);
        assert_eq!(hash_of(&file, &index), [7; 32]);
    }

    /// An edit that keeps the size and the modification time (set back, as `touch -d` or a
    /// restore does) changes the change time: the file is read again.
    #[test]
    fn an_edit_with_the_same_size_and_mtime_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("snapshot.md");
        std::fs::write(&file, "# Terms\n").unwrap();
        let mtime = std::fs::metadata(&file).unwrap().modified().unwrap();
        let index = index_with(dir.path(), &file, [7; 32], 10 * RACY_NS);
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&file, "# Tarms\n").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        assert_eq!(hash_of(&file, &index), real(&file));
    }

    /// A file hashed in the same instant as its last change ("racily clean") is read again on
    /// every run, whatever its stat says: a second change within the same timestamp tick
    /// would leave its stat as it was.
    #[test]
    fn a_file_hashed_right_after_a_change_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("snapshot.md");
        std::fs::write(&file, "# Terms\n").unwrap();
        let index = index_with(dir.path(), &file, [7; 32], 1_000_000);
        assert_eq!(hash_of(&file, &index), real(&file));
    }

    /// A damaged index is ignored whole: every file is read.
    #[test]
    fn a_corrupted_index_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("snapshot.md");
        std::fs::write(&file, "# Terms\n").unwrap();
        index_with(dir.path(), &file, [7; 32], 10 * RACY_NS);
        let path = dir.path().join(STAT_INDEX);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[12] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        let index = StatIndex::load(path.clone());
        assert!(index.old.is_empty());
        assert_eq!(hash_of(&file, &index), real(&file));
        std::fs::write(&path, &bytes[..bytes.len() - 5]).unwrap();
        assert!(StatIndex::load(path).old.is_empty(), "a truncated index");
    }
}
