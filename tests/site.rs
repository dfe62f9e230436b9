//! `diligence site`: the static review site, browsed as a person would. The link check and
//! the escaping checks read the files; the browser tests drive headless Chromium through the
//! DevTools protocol (tests/common/cdp.rs) from `file://`: follow a finding's citation to its
//! highlighted clause, use the filters and the search box, watch for console errors, and take
//! screenshots at desktop and phone widths.

mod common;

use common::cdp::{Browser, png_size};
use common::programs::{CHROMIUM, PDFTOTEXT, needs};
use common::{TODAY, Ws, bundled, copy_dir, diligence, evaluate_json};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// Writes the site of the workspace at `dir` into a new temporary folder.
fn site(dir: &Path, args: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    diligence(dir)
        .args(["site", "--today", TODAY, "-o"])
        .arg(out.path().join("site"))
        .args(args)
        .assert()
        .success();
    out
}

/// Every file of a folder, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn pages(dir: &Path) -> Vec<PathBuf> {
    files(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

/// The values of `attr="..."` in a page, entities decoded.
fn attributes(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| {
                rest[..end]
                    .replace("&quot;", "\"")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&")
            })
        })
        .collect()
}

/// Checks that every `href` and `src` of every page resolves: a relative link to a file of
/// the site, and its `#fragment` to an element of that file. Outside links are http(s) only.
/// Returns how many links were checked.
fn check_links(root: &Path) -> usize {
    let mut ids: BTreeMap<PathBuf, HashSet<String>> = BTreeMap::new();
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in pages(root) {
        let html = std::fs::read_to_string(&page).expect("page");
        for link in attributes(&html, "href")
            .into_iter()
            .chain(attributes(&html, "src"))
        {
            checked += 1;
            if link.starts_with("https://") || link.starts_with("http://") {
                continue;
            }
            assert!(
                !link.contains(':'),
                "{}: a link that is neither relative nor http(s): {link}",
                page.display()
            );
            let (file, fragment) = link.split_once('#').unwrap_or((link.as_str(), ""));
            let target = if file.is_empty() {
                page.clone()
            } else {
                page.parent().expect("folder").join(file)
            };
            let Ok(target) = target.canonicalize() else {
                broken.push(format!("{}: {link} (no such file)", page.display()));
                continue;
            };
            assert!(
                target.starts_with(root.canonicalize().expect("root")),
                "{}: {link} leads out of the site",
                page.display()
            );
            if fragment.is_empty() {
                continue;
            }
            let known = ids.entry(target.clone()).or_insert_with(|| {
                let text = std::fs::read_to_string(&target).unwrap_or_default();
                attributes(&text, "id").into_iter().collect()
            });
            if !known.contains(fragment) {
                broken.push(format!(
                    "{}: {link} (no element #{fragment})",
                    page.display()
                ));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    checked
}

/// Words as the checks compare them: lowercase letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn bundled_site_has_every_page_and_no_broken_link() {
    let out = site(&bundled(), &[]);
    let root = out.path().join("site");
    let eval = evaluate_json(&bundled(), &[]);
    let mut offerings: Vec<String> = eval["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            format!(
                "o/{}/{}.html",
                r["vendor"].as_str().unwrap(),
                r["offering"].as_str().unwrap()
            )
        })
        .collect();
    offerings.dedup();
    for page in &offerings {
        assert!(root.join(page).is_file(), "no page {page}");
    }
    let index = std::fs::read_to_string(root.join("index.html")).expect("index");
    for page in &offerings {
        assert!(
            index.contains(&format!("href=\"{page}\"")),
            "the matrix does not link {page}"
        );
    }
    // Every quote of a claim that verifies is highlighted in its document.
    let mut cited = 0;
    for r in eval["results"].as_array().unwrap() {
        for f in r["findings"].as_array().unwrap() {
            for e in f["evidence"].as_array().unwrap() {
                if e["quote"].is_string() && e["role"] != "unverified" {
                    let at = e["at"].as_str().unwrap();
                    let mut parts = at.rsplitn(3, ':');
                    let (col, line) = (parts.next().unwrap(), parts.next().unwrap());
                    let id = format!("id=\"q-{line}-{col}\"");
                    let vendor = r["vendor"].as_str().unwrap();
                    let found = pages(&root.join("s").join(vendor))
                        .iter()
                        .any(|p| std::fs::read_to_string(p).unwrap().contains(&id));
                    assert!(
                        found,
                        "the quote of {at} is not highlighted in {vendor}'s documents"
                    );
                    cited += 1;
                }
            }
        }
    }
    assert!(cited > 50, "only {cited} quotes were checked");
    let links = check_links(&root);
    assert!(links > 500, "only {links} links were checked");
    assert!(root.join(".diligence-site").is_file());
}

#[test]
fn a_selection_writes_only_its_offerings_and_links_stay_whole() {
    let out = site(&bundled(), &["perplexity", "--class", "confidential"]);
    let root = out.path().join("site");
    let offering_pages: Vec<PathBuf> = pages(&root.join("o"));
    assert_eq!(offering_pages.len(), 1, "{offering_pages:?}");
    assert!(root.join("o/perplexity/sonar-api.html").is_file());
    let index = std::fs::read_to_string(root.join("index.html")).unwrap();
    assert!(index.contains("data-class=\"confidential\""));
    assert!(!index.contains("data-class=\"public\""));
    check_links(&root);
}

/// The sample workspace with a second, hostile vendor: markup, script, quotes, control and
/// bidi characters in every field of its profile, its snapshot, the policy and a rule.
fn hostile() -> Ws {
    let ws = Ws::new();
    copy_dir(&bundled().join("tests/fixtures/xss"), ws.path());
    let evil = "<script>alert(9)</script>\\u202e\\u0007 \\\"q\\\" 'a' &amp; </style>";
    ws.edit(
        "vendors/hostile/profile.yaml",
        "reviewed: 2026-11-01",
        &format!("reviewed: 2026-11-01\nnotes: \"vendor {evil}\""),
    );
    ws.edit(
        "vendors/hostile/profile.yaml",
        "    tier: consumer",
        &format!("    tier: consumer\n    notes: \"offering {evil}\""),
    );
    ws.edit(
        "vendors/hostile/profile.yaml",
        "          section: \"1 <a href=x>\"",
        &format!(
            "          section: \"1 <a href=x>\"\n          note: \"claim {evil}\"\n          exceptions:\n            - quote: \"Your content is kept for 90 days.\"\n              note: \"carve {evil}\""
        ),
    );
    ws.edit(
        "vendors/hostile/sources/terms.md",
        "2. Your content",
        "<script>alert(10)</script> \u{202e}reversed\u{202c} text\u{7}.\n\n2. Your content",
    );
    ws.edit(
        "policies/default.yaml",
        "organization: Fixture Org",
        "organization: \"Fixture <script>alert(11)</script> \\u202e Org\"",
    );
    ws
}

/// Nothing from the workspace becomes markup or script: the only script elements are the
/// site's own, no raw bidi override or control character is left, and the hostile text is
/// shown escaped.
#[test]
fn hostile_text_in_every_field_stays_text() {
    let ws = hostile();
    let out = site(ws.path(), &[]);
    let root = out.path().join("site");
    let own_scripts = [
        "<script src=\"search-index.js\" defer></script>",
        "<script src=\"site.js\" defer></script>",
    ];
    let mut seen_escaped = 0;
    for file in files(&root) {
        let text = std::fs::read_to_string(&file).expect("text");
        let mut rest = text.clone();
        for own in own_scripts {
            rest = rest.replace(own, "");
        }
        let lower = rest.to_lowercase();
        let name = file.display().to_string();
        if name.ends_with(".html") {
            assert!(!lower.contains("<script"), "{name} has a script element");
            for tag in ["<img", "<b>", "<i>", "<a href=x", "</style"] {
                assert!(
                    !lower.contains(tag),
                    "{name} has markup from the workspace: {tag}"
                );
            }
            for link in attributes(&rest, "href") {
                assert!(
                    !link.to_lowercase().contains("javascript:"),
                    "{name} links {link}"
                );
            }
            seen_escaped += rest.matches("&lt;script&gt;alert(").count();
        }
        if name.ends_with("search-index.js") {
            assert!(!text.contains('<'), "{name}: a `<` in the search index");
        }
        for c in text.chars() {
            assert!(
                !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
                    && (!c.is_control() || c == '\n' || c == '\t'),
                "{name} has the character {:?}",
                c
            );
        }
    }
    assert!(
        seen_escaped >= 5,
        "the hostile text is shown escaped only {seen_escaped} times"
    );
    check_links(&root);
}

#[test]
fn the_decision_register_and_its_drift_are_on_the_index() {
    let ws = Ws::new();
    ws.cmd()
        .args([
            "decide",
            "acme/api",
            "--class",
            "internal",
            "--reject",
            "--by",
            "Sam Lee (DPO)",
        ])
        .args(["--today", TODAY])
        .assert()
        .success();
    let before = site(ws.path(), &[]);
    let index = std::fs::read_to_string(before.path().join("site/index.html")).unwrap();
    assert!(index.contains("Decision register"), "no register");
    assert!(
        index.contains("rejected") && index.contains("Sam Lee"),
        "no decision"
    );
    let offering = std::fs::read_to_string(before.path().join("site/o/acme/api.html")).unwrap();
    assert!(
        offering.contains("Sam Lee"),
        "the offering page does not show its decision"
    );
    // The evidence changes after the decision: the register shows the drift.
    ws.edit(
        "vendors/acme/sources/terms.md",
        "within 14 days.\n",
        "within 14 days.\n\n2.3 Logs. Acme keeps service logs for 7 days.\n",
    );
    let after = site(ws.path(), &[]);
    let index = std::fs::read_to_string(after.path().join("site/index.html")).unwrap();
    let register = &index[index.find("Decision register").unwrap()..];
    assert!(
        register.contains("class=\"drift\""),
        "no drift shown:\n{register}"
    );
    check_links(&after.path().join("site"));
}

#[test]
fn a_document_with_older_versions_has_a_history_with_word_diffs() {
    let ws = Ws::new();
    let fixture = bundled().join("tests/fixtures/mistral-versions");
    for dir in ["policies", "vendors", "scripts"] {
        copy_dir(&fixture.join(dir), &ws.path().join(dir));
    }
    std::fs::remove_dir_all(ws.path().join("vendors/acme")).unwrap();
    std::fs::remove_file(ws.path().join("scripts/training.rhai")).ok();
    copy_dir(&fixture.join("scripts"), &ws.path().join("scripts"));
    for date in ["2026-03-12", "2026-04-08"] {
        std::fs::copy(
            fixture.join(format!("versions/{date}.md")),
            ws.path()
                .join(format!("vendors/mistral/sources/terms.{date}.md")),
        )
        .unwrap();
    }
    let out = site(ws.path(), &[]);
    let root = out.path().join("site");
    let history =
        std::fs::read_to_string(root.join("h/mistral/terms.html")).expect("a history page");
    // Oldest first: the version the profile cites (retrieved 2025-12-15), then the newer ones.
    let cited = history.find("sources/commercial-terms.md").unwrap();
    let march = history.find("sources/terms.2026-03-12.md").unwrap();
    let april = history.find("sources/terms.2026-04-08.md").unwrap();
    assert!(cited < march && march < april, "versions out of order");
    assert!(
        history.contains("<del>") || history.contains("<ins>"),
        "no word diff"
    );
    assert!(history.contains("Facts quoting this document"));
    for date in ["2026-03-12", "2026-04-08"] {
        assert!(root.join(format!("s/mistral/terms.{date}.html")).is_file());
    }
    let current = std::fs::read_to_string(root.join("s/mistral/commercial-terms.html")).unwrap();
    assert!(current.contains("History of this document"));
    check_links(&root);
}

#[test]
fn output_rules_and_errors_exit_2_with_a_hint() {
    let ws = Ws::new();
    let refused = |out: &Path, what: &str| {
        let assert = ws
            .cmd()
            .args(["site", "--today", TODAY, "-o"])
            .arg(out)
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains(what), "{stderr}");
        assert!(
            stderr.contains("hint") || stderr.contains("help"),
            "no hint: {stderr}"
        );
    };
    refused(&ws.path().join("vendors/site"), "vendors/");
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("notes.txt"), "mine").unwrap();
    refused(other.path(), "did not write");
    assert!(
        other.path().join("notes.txt").is_file(),
        "a folder not ours was touched"
    );
    let file = other.path().join("notes.txt");
    refused(&file, "is a file");
    #[cfg(unix)]
    {
        let link = other.path().join("link");
        std::os::unix::fs::symlink(other.path(), &link).unwrap();
        refused(&link, "is a link");
    }
    let assert = ws
        .cmd()
        .args(["site", "nobody", "-o"])
        .arg(other.path().join("new"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("unknown vendor `nobody`"), "{stderr}");
    assert!(
        !other.path().join("new").exists(),
        "a failed run left a folder"
    );
    // A site written before is replaced as a whole.
    let out = other.path().join("again");
    for _ in 0..2 {
        ws.cmd()
            .args(["site", "--today", TODAY, "-o"])
            .arg(&out)
            .assert()
            .success();
    }
    assert!(out.join("index.html").is_file());
    let leftovers: Vec<_> = std::fs::read_dir(other.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".diligence-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left: {leftovers:?}"
    );
}

/// The `.diligence-` temporary folders in `dir`.
fn temporary_folders(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".diligence-"))
        .collect()
}

#[test]
fn a_profile_that_does_not_load_stops_the_run_and_leaves_nothing() {
    let ws = Ws::new();
    // Read as the run goes, after the temporary folder is made.
    ws.write("vendors/zeta/profile.yaml", "id: zeta\nname: [unclosed\n");
    let parent = tempfile::tempdir().unwrap();
    let assert = ws
        .cmd()
        .args(["site", "--today", TODAY, "-o"])
        .arg(parent.path().join("site"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("vendors/zeta/profile.yaml"), "{stderr}");
    assert!(
        !parent.path().join("site").exists(),
        "a failed run wrote a site"
    );
    assert_eq!(temporary_folders(parent.path()), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_no_temporary_folder() {
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("site");
    let mut child = common::program()
        .env("DILIGENCE_NO_CACHE", "1")
        .arg("-C")
        .arg(bundled())
        .args(["site", "--today", TODAY, "-o"])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("diligence starts");
    // The signal handler is installed before the temporary folder is made: interrupt the run
    // as soon as the folder is there, while the pages are being written into it.
    let start = std::time::Instant::now();
    while temporary_folders(parent.path()).is_empty() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the run ended ({status}) before it could be interrupted");
        }
        assert!(
            start.elapsed().as_secs() < 120,
            "no temporary folder appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    // SAFETY: a signal to the child this test started.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "not stopped by the interrupt");
    assert_eq!(temporary_folders(parent.path()), Vec::<String>::new());
    assert!(!out.exists(), "an interrupted run wrote a site");
}

#[test]
fn a_failing_rule_writes_the_site_and_exits_2() {
    let ws = Ws::new();
    ws.write(
        "scripts/broken.rhai",
        "//! Broken\nlet list = [1];\nlet x = list[5] + 1;\n",
    );
    let out = tempfile::tempdir().unwrap();
    let assert = ws
        .cmd()
        .args(["site", "--today", TODAY, "-o"])
        .arg(out.path().join("site"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("scripts/broken.rhai"), "{stderr}");
    let index =
        std::fs::read_to_string(out.path().join("site/index.html")).expect("the site is written");
    assert!(
        index.contains("v-error"),
        "the matrix does not show the error"
    );
}

// --- In a real browser -------------------------------------------------------------------

fn url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Where the browser tests leave their screenshots: `DILIGENCE_SCREENSHOTS` when set (to look
/// at them), else the test's temporary folder.
fn screenshot(browser: &mut Browser, dir: &Path, name: &str, width: u32) {
    let png = if name.ends_with("-in-view") {
        browser.screenshot_in_view()
    } else {
        browser.screenshot()
    };
    let (w, h) = png_size(&png);
    assert_eq!(w, width, "{name} is {w} px wide");
    assert!(h > 300, "{name} is only {h} px high");
    let folder =
        std::env::var_os("DILIGENCE_SCREENSHOTS").map_or_else(|| dir.to_path_buf(), PathBuf::from);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join(format!("{name}.png")), png).unwrap();
}

#[test]
fn in_chromium_a_citation_leads_to_its_highlighted_clause() {
    let Some(tools) = needs(&[&CHROMIUM]) else {
        return;
    };
    let out = site(&bundled(), &[]);
    let root = out.path().join("site");
    let eval = evaluate_json(&bundled(), &[]);
    let mut browser = Browser::launch(&tools[0], 1280, 900);

    browser.open(&url(&root.join("o/perplexity/sonar-api.html")));
    let href = browser.eval(
        "Array.from(document.querySelectorAll('li.finding p.cited a')).map(a => a.getAttribute('href')).find(h => h.includes('#q-'))",
    );
    let href = href
        .as_str()
        .expect("a finding cites a highlighted clause")
        .to_string();
    let anchor = href.rsplit_once('#').unwrap().1.to_string();
    browser.eval(&format!(
        "document.querySelector('li.finding p.cited a[href=\"{href}\"]').click()"
    ));
    browser.wait_for_load();
    let state = browser.eval(&format!(
        "(() => {{ const el = document.getElementById('{anchor}'); const r = el.getBoundingClientRect();
           const text = Array.from(document.querySelectorAll('mark.q')).filter(m => m.dataset.q.split(' ').includes('{anchor}')).map(m => m.textContent).join(' ');
           return {{hash: location.hash, tag: el.tagName, top: r.top, bottom: r.bottom, height: innerHeight, text: text}}; }})()"
    ));
    assert_eq!(state["hash"], format!("#{anchor}"));
    assert_eq!(state["tag"], "MARK");
    let (top, bottom, height) = (
        state["top"].as_f64().unwrap(),
        state["bottom"].as_f64().unwrap(),
        state["height"].as_f64().unwrap(),
    );
    assert!(
        top >= 0.0 && top < height && bottom > 0.0,
        "the highlight is not in view: {state}"
    );
    screenshot(&mut browser, out.path(), "clause-1280-in-view", 1280);
    // The highlight holds the quote of the claim the citation names (by its line and column).
    let key = anchor.trim_start_matches("q-").replace('-', ":");
    let quote = common::findings(&eval)
        .into_iter()
        .flat_map(|(_, f)| f["evidence"].as_array().unwrap().iter())
        .find(|e| {
            e["at"]
                .as_str()
                .is_some_and(|at| at.ends_with(&format!(":{key}")) && at.contains("perplexity"))
        })
        .and_then(|e| e["quote"].as_str())
        .expect("the cited claim's quote")
        .to_string();
    assert_eq!(
        words(state["text"].as_str().unwrap()),
        words(&diligence::quotes::normalize(&quote)),
        "{state}"
    );
    let errors = browser.errors();
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

#[test]
fn in_chromium_the_filters_and_the_search_box_work_without_errors() {
    let Some(tools) = needs(&[&CHROMIUM]) else {
        return;
    };
    let out = site(&bundled(), &[]);
    let root = out.path().join("site");
    let eval = evaluate_json(&bundled(), &[]);
    let results = eval["results"].as_array().unwrap();
    let mut browser = Browser::launch(&tools[0], 1280, 900);
    browser.open(&url(&root.join("index.html")));
    screenshot(&mut browser, out.path(), "index-1280", 1280);

    let visible = "document.querySelectorAll('table.matrix tbody tr:not([hidden])').length";
    let total = browser.eval(visible).as_u64().unwrap();
    let offerings: HashSet<(&str, &str)> = results
        .iter()
        .map(|r| {
            (
                r["vendor"].as_str().unwrap(),
                r["offering"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(total as usize, offerings.len());
    let set = |browser: &mut Browser, name: &str, value: &str| {
        browser.eval(&format!(
            "(() => {{ const f = document.getElementById('filters'); f.elements['{name}'].value = '{value}'; f.dispatchEvent(new Event('change')); }})()"
        ));
    };
    // By verdict, then at one classification: the rows are those the JSON contract says.
    let expect = |verdict: &str, class: Option<&str>| -> usize {
        results
            .iter()
            .filter(|r| r["verdict"] == verdict && class.is_none_or(|c| r["classification"] == c))
            .map(|r| {
                (
                    r["vendor"].as_str().unwrap(),
                    r["offering"].as_str().unwrap(),
                )
            })
            .collect::<HashSet<_>>()
            .len()
    };
    set(&mut browser, "verdict", "no-go");
    assert_eq!(
        browser.eval(visible).as_u64().unwrap() as usize,
        expect("no-go", None)
    );
    set(&mut browser, "cls", "confidential");
    assert_eq!(
        browser.eval(visible).as_u64().unwrap() as usize,
        expect("no-go", Some("confidential"))
    );
    let columns =
        browser.eval("document.querySelectorAll('table.matrix thead th:not([hidden])').length");
    assert_eq!(
        columns, 2,
        "only the vendor column and the classification chosen"
    );
    set(&mut browser, "verdict", "");
    set(&mut browser, "cls", "");
    set(&mut browser, "vendor", "mistral");
    let mistral = offerings.iter().filter(|(v, _)| *v == "mistral").count();
    assert_eq!(browser.eval(visible).as_u64().unwrap() as usize, mistral);
    set(&mut browser, "vendor", "");
    // By rule: the offerings where the rule raised a hold or worse somewhere.
    set(&mut browser, "rule", "retention-limit");
    let with_rule: HashSet<(&str, &str)> = common::findings(&eval)
        .into_iter()
        .filter(|(_, f)| {
            f["rule"] == "retention-limit" && !matches!(f["level"].as_str(), Some("pass" | "info"))
        })
        .map(|(r, _)| {
            (
                r["vendor"].as_str().unwrap(),
                r["offering"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        browser.eval(visible).as_u64().unwrap() as usize,
        with_rule.len()
    );
    set(&mut browser, "rule", "");

    // The search box finds a quote by a few of its words, and its result links to the claim.
    let quote = common::findings(&eval)
        .into_iter()
        .flat_map(|(_, f)| f["evidence"].as_array().unwrap().iter())
        .find_map(|e| {
            e["quote"]
                .as_str()
                .filter(|q| q.split_whitespace().count() > 8)
        })
        .expect("a quote");
    let query: String = quote
        .split_whitespace()
        .skip(2)
        .take(4)
        .collect::<Vec<_>>()
        .join(" ");
    let found = browser.eval(&format!(
        "(() => {{ const box = document.getElementById('search'); box.value = {}; box.dispatchEvent(new Event('input'));
           return Array.from(document.querySelectorAll('#results a')).map(a => [a.textContent, a.getAttribute('href')]); }})()",
        serde_json::to_string(&query).unwrap()
    ));
    let found = found.as_array().expect("results");
    assert!(!found.is_empty(), "nothing found for {query:?}");
    let q = words(&query);
    assert!(
        found.iter().any(|r| words(r[0].as_str().unwrap())
            .windows(q.len())
            .any(|w| w == q)),
        "no result holds {query:?}: {found:?}"
    );
    let link = found[0][1].as_str().unwrap().to_string();
    browser.open(&format!("{}/{link}", url(&root)));
    let target = browser.eval("document.getElementById(location.hash.slice(1)) !== null");
    assert_eq!(target, true, "the result's link {link} has no target");

    browser.open(&url(&root.join("o/perplexity/sonar-api.html")));
    screenshot(&mut browser, out.path(), "offering-1280", 1280);
    let errors = browser.errors();
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

#[test]
fn in_chromium_phone_width_pages_and_a_hostile_site_are_clean() {
    let Some(tools) = needs(&[&CHROMIUM]) else {
        return;
    };
    let out = site(&bundled(), &[]);
    let root = out.path().join("site");
    let mut browser = Browser::launch(&tools[0], 390, 844);
    browser.open(&url(&root.join("index.html")));
    // Nothing is wider than the phone's screen but the matrix, which scrolls in its frame.
    let overflow = browser.eval("document.documentElement.scrollWidth");
    assert!(
        overflow.as_f64().unwrap() <= 390.0,
        "the page scrolls sideways: {overflow}"
    );
    screenshot(&mut browser, out.path(), "index-390", 390);
    browser.open(&url(&root.join("o/perplexity/sonar-api.html")));
    let overflow = browser.eval("document.documentElement.scrollWidth");
    assert!(
        overflow.as_f64().unwrap() <= 390.0,
        "the page scrolls sideways: {overflow}"
    );
    screenshot(&mut browser, out.path(), "offering-390", 390);

    let ws = hostile();
    let hostile_site = site(ws.path(), &[]);
    let hroot = hostile_site.path().join("site");
    for page in pages(&hroot) {
        browser.open(&url(&page));
        let scripts =
            browser.eval("Array.from(document.scripts).map(s => s.getAttribute('src')).join(' ')");
        let scripts = scripts.as_str().unwrap();
        assert!(
            scripts.is_empty() || scripts == "search-index.js site.js",
            "{}: scripts {scripts}",
            page.display()
        );
        let injected =
            browser.eval("document.querySelectorAll('img, iframe, object, embed, b, i').length");
        assert_eq!(injected, 0, "{}: markup from the workspace", page.display());
    }
    browser.open(&url(&hroot.join("index.html")));
    browser.eval("(() => { const box = document.getElementById('search'); box.value = 'alert'; box.dispatchEvent(new Event('input')); })()");
    let injected =
        browser.eval("document.querySelectorAll('#results script, #results img').length");
    assert_eq!(injected, 0);
    let errors = browser.errors();
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

#[test]
fn in_chromium_pages_print_cleanly_on_a4_and_letter() {
    let Some(tools) = needs(&[&CHROMIUM, &PDFTOTEXT]) else {
        return;
    };
    let out = site(&bundled(), &[]);
    let root = out.path().join("site");
    let mut browser = Browser::launch(&tools[0], 1280, 900);
    for (paper, width, height) in [("A4", 8.27, 11.69), ("Letter", 8.5, 11.0)] {
        for page in ["index.html", "o/perplexity/sonar-api.html"] {
            browser.open(&url(&root.join(page)));
            let pdf = out.path().join(format!("{paper}.pdf"));
            std::fs::write(&pdf, browser.print_pdf(width, height)).unwrap();
            let text = std::process::Command::new(&tools[1])
                .args(["-f", "1", "-l", "1", "-layout"])
                .arg(&pdf)
                .arg("-")
                .output()
                .expect("pdftotext runs");
            let text = String::from_utf8_lossy(&text.stdout).into_owned();
            assert!(text.contains("Verdicts"), "{paper} {page}, page 1:\n{text}");
            // What only works on screen is left out on paper.
            for screen_only in ["Search vendors", "All offerings", "offerings shown"] {
                assert!(
                    !text.contains(screen_only),
                    "{paper} {page} prints {screen_only:?}"
                );
            }
            let longest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            assert!(
                longest < 200,
                "{paper} {page}: a line of {longest} characters"
            );
        }
    }
    let errors = browser.errors();
    assert!(errors.is_empty(), "console errors: {errors:?}");
}
