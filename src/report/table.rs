//! The terminal table: a verdict matrix, then per offering the findings that drive it.

use super::{Style, by_offering, citation};
use crate::engine::Level;
use crate::evaluation::{Evaluation, Finding, Verdict};
use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table, presets};

pub fn verdict_color(v: Verdict) -> Color {
    match v {
        Verdict::Go => Color::Green,
        Verdict::Conditional => Color::Yellow,
        Verdict::Hold => Color::Magenta,
        Verdict::NoGo => Color::Red,
    }
}

fn level_color(l: Level) -> Color {
    match l {
        Level::Block => Color::Red,
        Level::Hold => Color::Magenta,
        Level::Condition => Color::Yellow,
        Level::Warn => Color::DarkYellow,
        Level::Info | Level::Pass => Color::Reset,
    }
}

fn new_table(style: &Style) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(style.width.unwrap_or(120));
    if style.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t
}

/// A finding as shown once per offering, with the classifications it applies to.
struct Row<'a> {
    finding: &'a Finding,
    classes: Vec<&'a str>,
}

pub fn render(eval: &Evaluation, style: &Style) -> Vec<u8> {
    let mut out = String::new();
    let offerings = by_offering(eval);
    out.push_str(&format!(
        "Policy {} ({}) · {} · {} offering{} × {} classification{}{}\n",
        eval.policy,
        eval.organization,
        eval.today,
        offerings.len(),
        if offerings.len() == 1 { "" } else { "s" },
        eval.classifications.len(),
        if eval.classifications.len() == 1 {
            ""
        } else {
            "s"
        },
        match eval.results.first().map(|r| &r.tags) {
            Some(tags) if !tags.is_empty() => format!(" · tags: {}", tags.join(", ")),
            _ => String::new(),
        }
    ));

    let mut matrix = new_table(style);
    let mut header = vec![Cell::new("Vendor / offering").add_attribute(Attribute::Bold)];
    header.extend(
        eval.classifications
            .iter()
            .map(|c| Cell::new(c).add_attribute(Attribute::Bold)),
    );
    matrix.set_header(header);
    for (vendor, offering, results) in &offerings {
        let mut row = vec![Cell::new(format!("{vendor}/{offering}"))];
        for r in results {
            let waived = r.findings.iter().any(|f| f.waived.is_some());
            let text = format!(
                "{}{}",
                r.verdict.as_str(),
                if waived { " (waiver)" } else { "" }
            );
            row.push(Cell::new(text).fg(verdict_color(r.verdict)));
        }
        matrix.add_row(row);
    }
    out.push_str(&matrix.to_string());
    out.push('\n');

    for (vendor, offering, results) in &offerings {
        let Some(first) = results.first() else {
            continue;
        };
        out.push('\n');
        out.push_str(&format!(
            "{vendor}/{offering} — {} ({}), {}\n",
            first.offering_name, first.tier, first.vendor_name
        ));
        let verdicts: Vec<String> = results
            .iter()
            .map(|r| format!("{}: {}", r.classification, r.verdict.as_str()))
            .collect();
        out.push_str(&format!("  {}\n", verdicts.join(" · ")));

        let mut rows: Vec<Row> = Vec::new();
        for r in results {
            for f in &r.findings {
                if f.level == Level::Pass && !style.verbose {
                    continue;
                }
                match rows.iter_mut().find(|row| same(row.finding, f)) {
                    Some(row) => row.classes.push(&r.classification),
                    None => rows.push(Row {
                        finding: f,
                        classes: vec![&r.classification],
                    }),
                }
            }
        }
        if rows.is_empty() {
            out.push_str("  no findings\n");
            continue;
        }
        // Worst first, then in rule order.
        rows.sort_by_key(|r| std::cmp::Reverse(r.finding.level));
        let mut t = new_table(style);
        t.set_header(
            ["Level", "Rule", "Applies to", "Finding", "Action", "Cited"]
                .map(|h| Cell::new(h).add_attribute(Attribute::Bold)),
        );
        for row in rows {
            let f = row.finding;
            let classes = if row.classes.len() == eval.classifications.len() {
                "all".to_string()
            } else {
                row.classes.join(", ")
            };
            let mut action = f.action.clone().unwrap_or_default();
            if let Some(w) = &f.waived {
                action = format!(
                    "WAIVED until {} by {}: {}{}",
                    w.expires,
                    w.approved_by,
                    w.reason,
                    if action.is_empty() {
                        String::new()
                    } else {
                        format!(" ({action})")
                    }
                );
            }
            t.add_row(vec![
                Cell::new(f.level.as_str()).fg(level_color(f.level)),
                Cell::new(&f.rule),
                Cell::new(classes),
                Cell::new(&f.message),
                Cell::new(action),
                Cell::new(citation(f)),
            ]);
        }
        out.push_str(&t.to_string());
        out.push('\n');
    }
    for w in &eval.warnings {
        out.push_str(&format!("\nwarning: {w}\n"));
    }
    out.into_bytes()
}

fn same(a: &Finding, b: &Finding) -> bool {
    a.rule == b.rule
        && a.level == b.level
        && a.message == b.message
        && a.action == b.action
        && a.waived.is_some() == b.waived.is_some()
}
