//! Synaq's formats: keys, signatures, key wrapping and the sealed question bank.
//!
//! ring provides Ed25519, HKDF-SHA256, HMAC-SHA256, SHA-512 and AES-256-GCM; `x25519-dalek`
//! provides the one primitive ring lacks, a reusable (static) X25519 secret. The bank format
//! is specified in `docs/formats/bank.md`; golden vectors live in `docs/formats/vectors/`.
#![forbid(unsafe_code)]

pub mod bank;
mod container;
pub mod fs;
pub mod keys;
pub mod roster;
mod stream;
pub mod trust;

pub use bank::{BankContent, BankError, BankHeader, BankMeta, OpenedBank};
pub use keys::{IssuerPublic, IssuerSecret, KeyError, KeyId, KioskPublic, KioskSecret};
pub use roster::{Roster, RosterEntry, RosterError, RosterSource};
pub use trust::{FileTrustStore, NoMarks, TrustStore};
