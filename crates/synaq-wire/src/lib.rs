//! Wire formats a kiosk produces and ЕУМЦ consumes, with the one check of their signature.
//!
//! Why a crate of its own: the signed result is written by the kiosk's store
//! (`synaq-store`, SQLite), carried by `synaq-sync` and checked by `synaq-central`. Before,
//! it lived in the store, so central depended on the kiosk's SQLite crate and kept a second
//! copy of the signature's domain string and verification. Here it depends only on the
//! domain (`synaq-core`) and the keys (`synaq-seal`), so every side uses the same types and
//! the same [`SignedResult::verify`]. The bank model the result is scored against is domain,
//! not wire: it lives in `synaq_core::bank`.
//!
//! The attempt's journal travels with its result ([`journal`]): the same row hash as the
//! kiosk's chain, the check of an attempt's run, and its replay.
//!
//! The sync protocol's own messages (requests, receipts) stay in `synaq_sync::proto`.
#![forbid(unsafe_code)]

pub mod journal;
pub mod result;

pub use journal::{AttemptJournal, JournalError, JournalRow, Mismatch, Replay};
pub use result::{
    iin_digest, paper_digest, BadResultSignature, IncidentRecord, ResultLink, ResultRecord,
    SignedResult,
};
