//! The state of the one rule evaluation running on this thread.
//!
//! The engine's native functions (`fact`, `block`, ...) are registered once and shared by every
//! evaluation; what they read and record belongs to the evaluation in progress, which is kept
//! here, per thread (evaluations run in parallel on rayon's threads, one at a time per thread).

use super::facts::{FactTable, FactView};
pub use crate::outcome::Level;
use rhai::Position;
use std::cell::RefCell;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Wall-clock time one rule evaluation may take.
pub const DEADLINE_MS: u64 = 250;
/// Findings one rule evaluation may raise.
pub const MAX_FINDINGS: usize = 256;
/// Bytes of print/debug output one rule evaluation may produce.
pub const MAX_TRACE_BYTES: usize = 64 * 1024;
/// Bytes of finding text (messages and actions) one rule evaluation may produce. The bundled
/// rules write at most about 1 KB per evaluation; without this bound 256 findings of two
/// 16 KiB strings make 8 MB per rule and cell (the run's total is `evaluation::budget`'s).
pub const MAX_FINDING_BYTES: usize = 64 * 1024;

/// A finding as the rule raised it, before evidence is attached.
#[derive(Debug, Clone)]
pub struct RawFinding {
    pub level: Level,
    pub message: String,
    pub action: Option<String>,
    /// The facts this finding cites: those read since the rule's previous finding, or, if none
    /// were, every fact the rule has read so far.
    pub facts: Vec<String>,
    /// Line of the call in the rule file.
    pub line: u32,
    /// For a finding that cites no claim, the place in the workspace it is about, as
    /// `file:line:col` (an evidence check's missing document: its source entry).
    pub about: Option<String>,
}

/// What one rule evaluation produced.
#[derive(Debug, Default, Clone)]
pub struct RunRecord {
    pub findings: Vec<RawFinding>,
    pub reads: Vec<String>,
    pub trace: Vec<String>,
    /// What of the classification under review the rule looked at, in first-read order: a
    /// rule that read the same values at another classification does the same there.
    pub depends: Vec<Depends>,
    /// The facts whose carve-outs the rule read (`exceptions(name)`): it decided what they
    /// mean, so its passes on them stand as written.
    pub carve_outs_read: Vec<String>,
}

/// Something a rule read that may differ from one classification to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Depends {
    /// `require.KEY`
    Requirement(&'static str),
    /// `decisive(FACT)`
    Decisive(String),
}

/// Records that the rule in progress read `key` of `require`.
pub fn read_requirement(key: &'static str) {
    with_run(|run| {
        let d = Depends::Requirement(key);
        if !run.record.depends.contains(&d) {
            run.record.depends.push(d);
        }
    });
}

struct Run {
    table: Arc<FactTable>,
    /// Facts a requirement in force depends on.
    decisive: Arc<[&'static str]>,
    today: jiff::civil::Date,
    deadline: Instant,
    record: RunRecord,
    fresh_reads: Vec<String>,
    trace_bytes: usize,
    finding_bytes: usize,
    /// Set when print/debug output passed its limit; reported after the run.
    trace_overflow: bool,
}

thread_local! {
    static RUN: RefCell<Option<Run>> = const { RefCell::new(None) };
}

/// Starts an evaluation on this thread.
pub fn begin(table: Arc<FactTable>, decisive: Arc<[&'static str]>, today: jiff::civil::Date) {
    RUN.with(|r| {
        *r.borrow_mut() = Some(Run {
            table,
            decisive,
            today,
            deadline: Instant::now() + Duration::from_millis(DEADLINE_MS),
            record: RunRecord::default(),
            fresh_reads: Vec::new(),
            trace_bytes: 0,
            finding_bytes: 0,
            trace_overflow: false,
        })
    });
}

/// Ends the evaluation and returns what it recorded; an error if its output overflowed.
pub fn finish() -> Result<RunRecord, String> {
    let run = RUN.with(|r| r.borrow_mut().take());
    match run {
        Some(run) if run.trace_overflow => Err(format!(
            "rule printed more than {} KiB with print/debug",
            MAX_TRACE_BYTES / 1024
        )),
        Some(run) => Ok(run.record),
        None => Ok(RunRecord::default()),
    }
}

fn with_run<T>(f: impl FnOnce(&mut Run) -> T) -> Option<T> {
    RUN.with(|r| r.borrow_mut().as_mut().map(f))
}

/// Why the evaluation in progress must stop now, if it must.
pub fn stop_reason() -> Option<String> {
    with_run(|run| {
        if run.trace_overflow {
            Some(format!(
                "rule printed more than {} KiB with print/debug (stopped)",
                MAX_TRACE_BYTES / 1024
            ))
        } else if Instant::now() > run.deadline {
            Some(format!("rule ran longer than {DEADLINE_MS} ms (stopped)"))
        } else {
            None
        }
    })
    .flatten()
}

pub fn trace(text: String) {
    with_run(|run| {
        run.trace_bytes += text.len();
        if run.trace_bytes > MAX_TRACE_BYTES {
            run.trace_overflow = true;
        } else {
            run.record.trace.push(text);
        }
    });
}

/// Reads a fact (recording the read) and returns `pick` of its view.
pub fn read<T>(name: &str, pick: impl FnOnce(&FactView) -> T) -> Result<T, String> {
    with_run(|run| {
        let view = run.table.view(name)?;
        if !run.record.reads.iter().any(|r| r == name) {
            run.record.reads.push(name.to_string());
        }
        if !run.fresh_reads.iter().any(|r| r == name) {
            run.fresh_reads.push(name.to_string());
        }
        Ok(pick(view))
    })
    .unwrap_or_else(|| Err("no evaluation in progress".into()))
}

/// Reads a fact's claims, as maps (recording the read).
pub fn read_claims(name: &str) -> Result<rhai::Dynamic, String> {
    let table = with_run(|run| Arc::clone(&run.table)).ok_or("no evaluation in progress")?;
    read(name, |_| ())?;
    table.claims(name)
}

/// Reads a fact's carve-outs (recording that the rule considered them).
pub fn read_carve_outs(name: &str) -> Result<rhai::Dynamic, String> {
    let carve_outs = read(name, |f| f.exceptions.clone())?;
    with_run(|run| {
        if !run.record.carve_outs_read.iter().any(|r| r == name) {
            run.record.carve_outs_read.push(name.to_string());
        }
    });
    Ok(carve_outs)
}

/// Whether a requirement in force depends on this fact (checks the name like `fact`).
pub fn decisive(name: &str) -> Result<bool, String> {
    with_run(|run| {
        run.table.view(name)?;
        let d = Depends::Decisive(name.to_string());
        if !run.record.depends.contains(&d) {
            run.record.depends.push(d);
        }
        Ok(run.decisive.contains(&name))
    })
    .unwrap_or_else(|| Err("no evaluation in progress".into()))
}

/// Makes the next finding cite exactly this fact (for rules that loop over facts).
pub fn cite(name: &str) -> Result<(), String> {
    // The same effect as `read(name)` then `fresh_reads = [name]`, reusing the buffer: rules
    // that loop over every fact call this once per fact.
    with_run(|run| {
        run.table.view(name)?;
        if !run.record.reads.iter().any(|r| r == name) {
            run.record.reads.push(name.to_string());
        }
        run.fresh_reads.clear();
        run.fresh_reads.push(name.to_string());
        Ok(())
    })
    .unwrap_or_else(|| Err("no evaluation in progress".into()))
}

pub fn fact_names() -> rhai::Array {
    with_run(|run| run.table.names_array().clone()).unwrap_or_default()
}

pub fn days_until(date: &str) -> Result<i64, String> {
    let target: jiff::civil::Date = date
        .trim()
        .parse()
        .map_err(|_| format!("`{date}` is not a date (YYYY-MM-DD)"))?;
    let today = with_run(|run| run.today).ok_or("no evaluation in progress")?;
    let span = today
        .until((jiff::Unit::Day, target))
        .map_err(|e| e.to_string())?;
    Ok(i64::from(span.get_days()))
}

pub fn raise(
    level: Level,
    message: &str,
    action: Option<&str>,
    pos: Position,
) -> Result<(), String> {
    with_run(|run| {
        if run.record.findings.len() >= MAX_FINDINGS {
            return Err(format!("rule raised more than {MAX_FINDINGS} findings"));
        }
        run.finding_bytes += message.len() + action.map_or(0, str::len);
        if run.finding_bytes > MAX_FINDING_BYTES {
            return Err(format!(
                "rule's findings passed {} KiB of text in one evaluation: a finding needs a sentence or two",
                MAX_FINDING_BYTES / 1024
            ));
        }
        let facts = if run.fresh_reads.is_empty() {
            run.record.reads.clone()
        } else {
            std::mem::take(&mut run.fresh_reads)
        };
        run.record.findings.push(RawFinding {
            level,
            message: message.to_string(),
            action: action.map(str::to_string),
            facts,
            line: pos.line().unwrap_or(0) as u32,
            about: None,
        });
        Ok(())
    })
    .unwrap_or_else(|| Err("no evaluation in progress".into()))
}

/// `unresolved(name, topic[, context])`: when the fact is conflicting or unknown, raises the
/// hold that says so (with the vocabulary's question for the vendor) and returns true.
pub fn unresolved(
    name: &str,
    topic: &str,
    context: Option<&str>,
    pos: Position,
) -> Result<bool, String> {
    let (known, conflicting, silent_in) = read(name, |f| {
        (!f.value.is_unit(), f.conflicting, f.silent_in.clone())
    })?;
    if known {
        return Ok(false);
    }
    let question = crate::model::vocabulary::fact_spec(name)
        .map(|f| f.question)
        .unwrap_or("what applies to this offering?");
    let context = context.map(|c| format!(" ({c})")).unwrap_or_default();
    let (message, action) = if let Some(documents) = silent_in {
        // Verified silence: the documents were read and say nothing; ask for a commitment.
        (
            format!("{documents} does not state {topic}{context}."),
            format!(
                "The reviewed documents are silent: ask the vendor to commit in writing: {question}"
            ),
        )
    } else if conflicting {
        (
            format!("Sources of equal authority disagree on {topic}{context}."),
            format!(
                "Ask the vendor which statement applies to this offering and get it in writing: {question}"
            ),
        )
    } else {
        (
            format!("{} is not known{context}.", capitalized(topic)),
            format!("Ask the vendor: {question}"),
        )
    };
    raise(Level::Hold, &message, Some(&action), pos)?;
    Ok(true)
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
