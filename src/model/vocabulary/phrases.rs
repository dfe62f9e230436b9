//! Phrases that several facts' clause cues share (training, refusals, opt-out and opt-in,
//! retention, customer data).

pub(super) const TRAIN: &[&str] = &[
    "train",
    "fine-tun",
    "improve our models",
    "improve its models",
    "improve the models",
    "develop our models",
    "develop and improve",
    "develop or improve",
    "model improvement",
    "machine learning",
];
pub(super) const NO_USE: &[&str] = &[
    "will not use",
    "shall not use",
    "does not use",
    "do not use",
    "won't use",
    "never use",
    "will not train",
    "does not train",
    "do not train",
    "not be used to train",
    "not used to train",
    "not to use",
    "may not train",
    "may not use",
];
pub(super) const OPT_OUT: &[&str] = &[
    "opt out",
    "opt-out",
    "opted out",
    "opted-out",
    "unless you opt",
    "turn off",
    "disable",
];
pub(super) const OPT_IN: &[&str] = &[
    "opt in",
    "opt-in",
    "opted in",
    "opted-in",
    "explicit permission",
    "explicitly agree",
    "if you choose to share",
    "with your consent",
    "explicitly opt",
];
pub(super) const RETAIN: &[&str] = &[
    "retain",
    "retention",
    "store",
    "stored",
    "kept",
    "keep",
    "delete",
    "deletion",
    "purge",
];
pub(super) const CUSTOMER_DATA: &[&str] = &[
    "customer content",
    "customer data",
    "your content",
    "your data",
    "input",
    "prompt",
    "api data",
    "user content",
    "content",
    "logs",
];
