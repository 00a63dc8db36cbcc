//! Puts the records of a pull to use in the kiosk's store: ЕУМЦ's staff list (people who left
//! are disabled), revocations, certificates, and the cursor. Banks and rosters are files the
//! kiosk checks and keeps itself before this runs.

use rusqlite::Connection;
use synaq_store::staff;

use crate::{PullResponse, SyncError};

/// The setting that keeps the branch's staff as ЕУМЦ last sent it (JSON).
pub const CENTRAL_STAFF: &str = "central.staff";
/// The prefix of the settings that mark a bank as revoked (`revoked_bank:SERIES:VERSION`).
pub const REVOKED_BANK: &str = "revoked_bank:";

/// What applying a pull's records found.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Applied {
    /// ЕУМЦ revoked this kiosk.
    pub kiosk_revoked: bool,
    /// Whether the cursor moved (everything was applied).
    pub cursor_moved: bool,
    /// What could not be applied; the next pull brings it again.
    pub errors: Vec<SyncError>,
}

/// The setting that holds ЕУМЦ's minimum kiosk version from the last pull ("" for none).
pub const MIN_KIOSK_VERSION: &str = "min_kiosk_version";

/// The setting key that marks bank `series` version `version` as revoked.
pub fn revoked_bank_key(series_and_version: &str) -> String {
    format!("{REVOKED_BANK}{series_and_version}")
}

/// Applies `pull`'s records for the kiosk `kiosk_id`. The cursor moves only when
/// `files_applied` (the kiosk put the pulled bank and roster to use) and every record here was
/// applied, so nothing is skipped for good.
pub fn apply_records(
    conn: &Connection,
    pull: &PullResponse,
    kiosk_id: &str,
    files_applied: bool,
) -> Applied {
    let mut out = Applied::default();
    let mut complete = files_applied;
    if let Some(members) = &pull.staff {
        let json = serde_json::to_string(members).expect("staff lists serialize");
        if let Err(e) = staff::set_setting(conn, CENTRAL_STAFF, &json) {
            out.errors.push(e.into());
        }
        let local = staff::list(conn).unwrap_or_default();
        for m in members.iter().filter(|m| !m.active) {
            if local.iter().any(|l| l.id == m.id) {
                if let Err(e) = staff::set_disabled(conn, &m.id, true) {
                    out.errors.push(e.into());
                }
            }
        }
    }
    out.kiosk_revoked = pull
        .revocations
        .iter()
        .any(|r| r.kind == "kiosk" && r.id == kiosk_id);
    if out.kiosk_revoked {
        complete = false;
    }
    // A revoked bank: no one is admitted with it any more (an exam already running ends
    // normally; ЕУМЦ decides about its result).
    for r in pull.revocations.iter().filter(|r| r.kind == "bank") {
        if let Err(e) = staff::set_setting(conn, &revoked_bank_key(&r.id), "1") {
            out.errors.push(e.into());
        }
    }
    // ЕУМЦ's minimum kiosk version, every pull: "" when there is none.
    let minimum = pull.min_kiosk_version.as_deref().unwrap_or("");
    if let Err(e) = staff::set_setting(conn, MIN_KIOSK_VERSION, minimum) {
        out.errors.push(e.into());
    }
    let certs: Vec<_> = pull.certificates.iter().map(|c| c.to_stored()).collect();
    if let Err(e) = synaq_store::certificate::store(conn, &certs) {
        complete = false;
        out.errors.push(e.into());
    }
    if complete && out.errors.is_empty() {
        match crate::Enrollment::set_cursor(conn, pull.cursor) {
            Ok(()) => out.cursor_moved = true,
            Err(e) => out.errors.push(e),
        }
    }
    out
}
