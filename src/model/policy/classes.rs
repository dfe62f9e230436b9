//! Classifications: their own requirements, and what each inherits (checked for unknown
//! parents and cycles).

use super::{Class, Origin, RawClass, parse_requirements};
use crate::diag::{Diagnostic, Pos, did_you_mean};
use crate::model::yaml::{OrderedMap, span_pos};
use serde_json::Value;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, HashMap};

type Inherited = Vec<BTreeMap<&'static str, (Value, Origin)>>;

/// The most classes an inheritance-cycle error names.
const CYCLE_SHOWN: usize = 8;

/// Each classification with its own requirements, in file order, and the index by name.
pub(super) fn build(
    raw: &OrderedMap<Spanned<RawClass>>,
    problems: &mut Vec<Diagnostic>,
) -> (Vec<Class>, HashMap<String, usize>) {
    let mut classes: Vec<Class> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (cname, c) in &raw.0 {
        if index.contains_key(&cname.value) {
            continue; // repeated keys are refused by the parser
        }
        let owner = format!("classification `{}`", cname.value);
        let own = c
            .value
            .require
            .as_ref()
            .map(|r| parse_requirements(r, &owner, problems))
            .unwrap_or_default();
        index.insert(cname.value.clone(), classes.len());
        classes.push(Class {
            name: cname.value.clone(),
            description: c.value.description.clone(),
            inherits: c.value.inherits.as_ref().map(|i| i.value.clone()),
            own,
            at: span_pos(cname),
        });
    }
    (classes, index)
}

/// Every class's requirements over what it inherits. The parent must exist, and following
/// parents must never come back: both are reported where `inherits:` is written.
pub(super) fn inherit_all(
    raw: &OrderedMap<Spanned<RawClass>>,
    classes: &[Class],
    index: &HashMap<String, usize>,
    problems: &mut Vec<Diagnostic>,
) -> Inherited {
    // Inheritance: the parent must exist, and following parents must never come back.
    let mut parent_of: Vec<Option<usize>> = vec![None; classes.len()];
    let mut searched = 0;
    for (cname, c) in &raw.0 {
        let (Some(parent), Some(&child)) = (&c.value.inherits, index.get(&cname.value)) else {
            continue;
        };
        match index.get(&parent.value) {
            Some(&p) => parent_of[child] = Some(p),
            None => problems.push(
                Diagnostic::error(format!(
                    "classification `{}` inherits unknown classification `{}`",
                    cname.value, parent.value
                ))
                .at(span_pos(parent))
                .hint(
                    near_class(&parent.value, classes, &mut searched)
                        .unwrap_or_else(|| format!("classifications are: {}", class_list(classes))),
                ),
            ),
        }
    }
    let cycles = find_cycles(&mut parent_of);
    // Where each `inherits:` is written, looked up once: a cycle may hold every class.
    let inherits_at: HashMap<&str, Pos> = raw
        .0
        .iter()
        .filter_map(|(n, c)| Some((n.value.as_str(), span_pos(c.value.inherits.as_ref()?))))
        .collect();
    for cycle in cycles {
        // Said once per cycle, at the class written first, and never longer than a line: a
        // cycle through 30,000 classes is one error, not 30,000 errors of 30,000 names.
        let first = (0..cycle.len()).min_by_key(|&k| cycle[k]).unwrap_or(0);
        let order: Vec<usize> = cycle[first..]
            .iter()
            .chain(&cycle[..first])
            .copied()
            .collect();
        let name = |i: usize| classes[i].name.as_str();
        let mut path: Vec<String> = order
            .iter()
            .take(CYCLE_SHOWN)
            .map(|&i| name(i).to_string())
            .collect();
        if order.len() > CYCLE_SHOWN {
            path.push(format!("… {} more", order.len() - CYCLE_SHOWN));
        }
        path.push(name(order[0]).to_string());
        let at = inherits_at
            .get(name(order[0]))
            .copied()
            .unwrap_or(classes[order[0]].at);
        problems.push(
            Diagnostic::error(format!(
                "classification `{}` inherits from itself ({})",
                name(order[0]),
                path.join(" -> ")
            ))
            .at(at)
            .hint("inheritance must form a chain from less to more sensitive classes: remove one `inherits`"),
        );
    }
    inherit(classes, &parent_of)
}

/// Finds the inheritance cycles (each once, in inheritance order) and cuts them, so that every
/// walk up `parent_of` ends. Linear: each class is visited once.
fn find_cycles(parent_of: &mut [Option<usize>]) -> Vec<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnPath,
        Done,
    }
    let mut mark = vec![Mark::New; parent_of.len()];
    let mut cycles = Vec::new();
    for start in 0..parent_of.len() {
        let mut path = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at {
            match mark[i] {
                Mark::Done => break,
                Mark::OnPath => {
                    let from = path.iter().position(|&x| x == i).unwrap_or(0);
                    cycles.push(path[from..].to_vec());
                    break;
                }
                Mark::New => {
                    mark[i] = Mark::OnPath;
                    path.push(i);
                    at = parent_of[i];
                }
            }
        }
        for &i in &path {
            mark[i] = Mark::Done;
        }
    }
    for cycle in &cycles {
        if let Some(&last) = cycle.last() {
            parent_of[last] = None;
        }
    }
    cycles
}

/// Each class's requirements: what its parent has (marked inherited), overridden by its own.
/// `parent_of` must be free of cycles. Linear in the number of classes.
fn inherit(classes: &[Class], parent_of: &[Option<usize>]) -> Inherited {
    let mut done: Vec<Option<BTreeMap<&'static str, (Value, Origin)>>> = vec![None; classes.len()];
    for start in 0..classes.len() {
        // Walk up to the nearest class already done (or the root), then fill in downwards.
        let mut path = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at {
            if done[i].is_some() {
                break;
            }
            path.push(i);
            at = parent_of[i];
        }
        for &i in path.iter().rev() {
            let mut req: BTreeMap<&'static str, (Value, Origin)> = parent_of[i]
                .and_then(|p| done[p].as_ref())
                .map(|parent| {
                    parent
                        .iter()
                        .map(|(k, (v, o))| {
                            let o = match o {
                                Origin::Class(c) => Origin::Inherited(c.clone()),
                                other => other.clone(),
                            };
                            (*k, (v.clone(), o))
                        })
                        .collect()
                })
                .unwrap_or_default();
            for (name, value) in &classes[i].own {
                req.insert(
                    name,
                    (value.clone(), Origin::Class(classes[i].name.clone())),
                );
            }
            done[i] = Some(req);
        }
    }
    done.into_iter().map(Option::unwrap_or_default).collect()
}

/// The most classes a hint lists.
const LISTED: usize = 20;
/// The most unknown class names of one policy searched for a near name: each search reads every
/// class, so thousands of misspelt names in thousands of classes would take quadratic time.
const NEAR_SEARCHES: usize = 20;

/// "did you mean" among the classes, for the first [`NEAR_SEARCHES`] unknown names (`searched`
/// counts them).
pub(super) fn near_class(name: &str, classes: &[Class], searched: &mut usize) -> Option<String> {
    *searched += 1;
    if *searched > NEAR_SEARCHES {
        return None;
    }
    did_you_mean(name, classes.iter().map(|x| x.name.as_str()))
}

/// The classes' names, the first [`LISTED`] of them.
fn class_list(classes: &[Class]) -> String {
    let mut names: Vec<&str> = classes
        .iter()
        .take(LISTED)
        .map(|c| c.name.as_str())
        .collect();
    let more = classes.len().saturating_sub(LISTED);
    let more = format!("… ({more} more)");
    if classes.len() > LISTED {
        names.push(&more);
    }
    names.join(", ")
}
