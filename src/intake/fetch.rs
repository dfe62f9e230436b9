//! Fetching a document over HTTP(S) with ureq (rustls): a timeout for the whole exchange, a
//! size limit and a bounded number of redirects, so that a slow or hostile server cannot hang
//! or flood the reviewer's machine.

use crate::diag::Diagnostic;
use std::time::Duration;

/// Largest document we download.
pub const MAX_DOCUMENT_BYTES: u64 = 20 * 1024 * 1024;
/// Most redirects followed.
pub const MAX_REDIRECTS: u32 = 5;

pub struct Fetched {
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
}

pub fn is_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

pub fn fetch(url: &str, timeout: Duration) -> Result<Fetched, Diagnostic> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(MAX_REDIRECTS)
        .http_status_as_error(false)
        .user_agent(concat!("diligence/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let fail = |why: String, hint: &str| {
        Diagnostic::error(format!("cannot fetch {url}: {why}")).hint(hint)
    };
    let mut response = agent.get(url).call().map_err(|e| match e {
        ureq::Error::Timeout(_) => fail(
            format!("no complete answer within {} s", timeout.as_secs_f64()),
            "try again later or with a longer --timeout; or save the page in a browser and snapshot the file",
        ),
        ureq::Error::TooManyRedirects => fail(
            format!("more than {MAX_REDIRECTS} redirects"),
            "give the final address of the document",
        ),
        other => fail(
            other.to_string(),
            "check the address, or save the page in a browser and snapshot the file",
        ),
    })?;
    let status = response.status();
    if !status.is_success() {
        return Err(fail(
            format!("the server answered {status}"),
            "check the address; a page behind a login or a bot check must be saved from a browser and snapshotted as a file",
        ));
    }
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = response
        .body_mut()
        .with_config()
        .limit(MAX_DOCUMENT_BYTES)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => fail(
                format!("the document is larger than {MAX_DOCUMENT_BYTES} bytes"),
                "save the part that matters and snapshot the file",
            ),
            ureq::Error::Timeout(_) => fail(
                format!("no complete answer within {} s", timeout.as_secs_f64()),
                "try again later or with a longer --timeout",
            ),
            other => fail(
                other.to_string(),
                "try again, or save the page in a browser",
            ),
        })?;
    Ok(Fetched {
        bytes,
        content_type,
    })
}
