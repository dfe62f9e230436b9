//! The workspace's data: vendor profiles, policies, the typed vocabulary they share, and the
//! archived documents that back each claim (`crate::evidence` verifies them).

pub mod chain;
pub mod checks;
pub mod documents;
pub mod policy;
pub mod profile;
pub mod profile_edit;
pub mod quotes;
pub mod resolve;
pub mod resolved;
pub mod vocabulary;
pub mod yaml;
