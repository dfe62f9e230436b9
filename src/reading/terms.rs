//! The parts a clause is read into: who acts, how (the modality), what it does, to which data,
//! and the event a duration runs from. Kept apart from the reading so that the lexicon, which
//! names how terms write each part, and the reader, which uses the lexicon, do not import each
//! other.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Vendor,
    Customer,
    ThirdParty,
    /// A passive or impersonal clause ("data will be deleted"): the vendor, who holds the data,
    /// is the one who acts, but the clause does not name it.
    Unstated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modality {
    /// will, shall: a promise or a duty.
    Will,
    /// may, can: a permission or a possibility.
    May,
    /// must, need: a duty.
    Must,
    /// "is designed / intended for": what something is for.
    Designed,
    /// A statement of fact ("we use", "data is stored").
    States,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Train,
    Retain,
    Delete,
    /// The customer takes its data back: export, retrieve, download, a copy, a return.
    Retrieve,
    Request,
    Notify,
    Share,
    License,
    Review,
    /// Stored or processed in a place.
    Store,
    Own,
    Indemnify,
    Change,
    Submit,
    Offer,
    Transfer,
    Apply,
    Use,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    CustomerContent,
    Inputs,
    Outputs,
    PersonalData,
    UsageData,
    Feedback,
    AccountData,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Termination,
    Request,
    Posting,
    Awareness,
    Notice,
    Collection,
}
