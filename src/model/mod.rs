//! The workspace's data: vendor profiles, policies and the typed vocabulary they share.

pub mod checks;
pub mod policy;
pub mod profile;
pub mod profile_edit;
pub mod quotes;
pub mod resolve;
pub mod resolved;
pub mod vocabulary;
pub mod yaml;
