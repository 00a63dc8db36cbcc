//! Today's roster on the kiosk: the signed roster file from ЕУМЦ, opened and checked.
//! `SYNAQ_ROSTER` names the file; without it the demo roster (built in) is used.

use std::path::Path;

use chrono::NaiveDate;
use synaq_core::{CategoryId, Iin, QuestionId};
use synaq_seal::roster::{self, Roster};
use synaq_seal::{FileTrustStore, IssuerPublic};

use crate::error::LoadError;
use crate::station::Refusal;
use synaq_core::Code;

/// One admissible registration.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub category: CategoryId,
    pub oo_name: String,
    pub attempt: u32,
    /// Questions ЕУМЦ knows the person already saw in failed attempts of this category.
    pub seen: Vec<QuestionId>,
}

/// A roster that passed its checks.
#[derive(Debug)]
pub struct LoadedRoster(Roster);

impl LoadedRoster {
    /// Registrations of this person valid on `day`.
    pub fn find(&self, iin: &Iin, day: NaiveDate) -> Vec<Entry> {
        self.0
            .find(iin, day)
            .into_iter()
            .map(|e| Entry {
                name: e.name.clone(),
                category: e.category.clone(),
                oo_name: e.oo_name.clone(),
                attempt: e.attempt,
                seen: e.seen.clone(),
            })
            .collect()
    }

    /// Branch, version, number of entries and end of validity, for the admin's verdict.
    pub fn summary(&self) -> (String, u64, usize, i64) {
        (
            self.0.branch.clone(),
            self.0.version,
            self.0.entries.len(),
            self.0.not_after,
        )
    }

    /// The person's name as registered (any entry).
    pub fn name_of(&self, iin: &Iin) -> Option<String> {
        self.0
            .entries
            .iter()
            .find(|e| &e.iin == iin)
            .map(|e| e.name.clone())
    }
}

/// Opens the roster bytes against the trusted issuer, recording its high-water mark in `dir`.
pub fn open(
    bytes: &[u8],
    issuer: &IssuerPublic,
    dir: &Path,
    now: i64,
) -> Result<LoadedRoster, LoadError> {
    let store_err = |e: std::io::Error| LoadError {
        code: Refusal::BankTrustStore.into(),
        detail: format!("{}: {e}", dir.display()),
    };
    std::fs::create_dir_all(dir).map_err(store_err)?;
    let mut trust = FileTrustStore::open(&dir.join("trust.json")).map_err(store_err)?;
    roster::open(bytes, issuer, now, &mut trust)
        .map(LoadedRoster)
        .map_err(|e| LoadError {
            code: Code::new(e.code()),
            detail: e.to_string(),
        })
}
