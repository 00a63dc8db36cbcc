//! Removable media: a signed bundle of results out, a signed bundle of outcomes back.
//! Spec: `docs/formats/bundle.md`.
//!
//! Both are one JSON document (`.synaqout` / `.synaqin`) wrapped in a [`Signed`] envelope: the
//! results bundle by the kiosk's Ed25519 key, the receipts bundle by the central key. Each
//! result inside is still signed on its own and each receipt too, so central checks a bundle
//! exactly as it checks a push.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use synaq_seal::{IssuerPublic, KioskSecret};
use synaq_store::outbox::{self, Delivery};
use synaq_store::SignedResult;

use crate::proto::Outcome;
use crate::sign::{Document, Signed};
use crate::{SyncError, PROTOCOL_VERSION};

/// `kind` of a results bundle.
pub const RESULTS_KIND: &str = "synaq-results-bundle";
/// `kind` of a receipts bundle.
pub const RECEIPTS_KIND: &str = "synaq-receipts-bundle";
/// File extension of a results bundle (kiosk → central).
pub const RESULTS_EXT: &str = "synaqout";
/// File extension of a receipts bundle (central → kiosk).
pub const RECEIPTS_EXT: &str = "synaqin";

/// Results carried to central on removable media.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultsBody {
    /// Always [`RESULTS_KIND`].
    pub kind: String,
    /// Protocol version.
    pub v: u32,
    /// The kiosk's key id.
    pub kiosk_id: String,
    /// Unix seconds.
    pub created: i64,
    /// Every result not yet delivered.
    pub results: Vec<SignedResult>,
}

impl Document for ResultsBody {
    const DOMAIN: &'static [u8] = b"synaq results bundle v1\0";
}

/// Outcomes carried back to the kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptsBody {
    /// Always [`RECEIPTS_KIND`].
    pub kind: String,
    /// Protocol version.
    pub v: u32,
    /// The kiosk the outcomes are for.
    pub kiosk_id: String,
    /// Unix seconds.
    pub created: i64,
    /// One outcome per result of the imported bundle.
    pub outcomes: Vec<Outcome>,
}

impl Document for ReceiptsBody {
    const DOMAIN: &'static [u8] = b"synaq receipts bundle v1\0";
}

/// A signed results bundle.
pub type ResultsBundle = Signed<ResultsBody>;
/// A signed receipts bundle.
pub type ReceiptsBundle = Signed<ReceiptsBody>;

/// Builds a results bundle signed by the kiosk.
pub fn results(key: &KioskSecret, results: Vec<SignedResult>, created: i64) -> ResultsBundle {
    Signed::sign(
        ResultsBody {
            kind: RESULTS_KIND.into(),
            v: PROTOCOL_VERSION,
            kiosk_id: key.id().to_string(),
            created,
            results,
        },
        key.ed25519(),
    )
}

/// Parses a bundle file (no signature checked yet: the reader knows which key applies).
pub fn parse<T: Document>(bytes: &[u8]) -> Result<Signed<T>, SyncError> {
    serde_json::from_slice(bytes).map_err(|e| {
        SyncError::Format(format!(
            "the bundle file does not parse ({e}): copy it again from the kiosk or central"
        ))
    })
}

/// Serializes a bundle for writing to a file.
pub fn to_bytes<T: Document>(bundle: &Signed<T>) -> Vec<u8> {
    serde_json::to_vec_pretty(bundle).expect("bundles serialize")
}

/// Checks a receipts bundle with the central key, for this kiosk.
pub fn open_receipts<'a>(
    bundle: &'a ReceiptsBundle,
    central_ed25519: &[u8; 32],
    kiosk_id: &str,
) -> Result<&'a ReceiptsBody, SyncError> {
    let body = bundle.verify(central_ed25519)?;
    if body.kind != RECEIPTS_KIND || body.v != PROTOCOL_VERSION {
        return Err(SyncError::Format(format!(
            "not a version-{PROTOCOL_VERSION} receipts bundle"
        )));
    }
    if body.kiosk_id != kiosk_id {
        return Err(SyncError::Format(format!(
            "this receipts bundle is for kiosk {}, not this kiosk ({kiosk_id})",
            body.kiosk_id
        )));
    }
    Ok(body)
}

/// What [`import_receipts`] changed in the outbox.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Results now delivered (a verified receipt was stored).
    pub delivered: usize,
    /// Results now refused, with central's reason.
    pub refused: usize,
    /// Outcomes that changed nothing (already applied, e.g. the same bundle imported again).
    pub unchanged: usize,
    /// Outcomes for attempts this kiosk's outbox does not hold.
    pub unknown: usize,
}

fn state_key(d: &Delivery) -> (u8, &str) {
    match d {
        Delivery::Queued => (0, ""),
        Delivery::Delivered { .. } => (1, ""),
        Delivery::Refused { code, .. } => (2, code),
    }
}

/// Applies a receipts bundle from `synaq-central import` to the kiosk database `conn`: the
/// bundle's signature (central) and kiosk first, then each outcome exactly as after a push
/// (each receipt checked against the result this kiosk holds). Importing again changes nothing.
pub fn import_receipts(
    conn: &Connection,
    central: &IssuerPublic,
    kiosk_id: &str,
    bytes: &[u8],
) -> Result<ImportReport, SyncError> {
    let bundle: ReceiptsBundle = parse(bytes)?;
    let body = open_receipts(&bundle, &central.ed25519, kiosk_id)?;
    let mut report = ImportReport::default();
    for outcome in &body.outcomes {
        let attempt = outcome.attempt_id();
        let Some(result) = outbox::result_of(conn, attempt)? else {
            report.unknown += 1;
            continue;
        };
        let before = outbox::status(conn)?
            .into_iter()
            .find(|e| e.attempt == attempt)
            .map(|e| e.delivery);
        crate::client::apply_outcomes_on(
            conn,
            central,
            std::slice::from_ref(&result),
            std::slice::from_ref(outcome),
        )?;
        let after = outbox::status(conn)?
            .into_iter()
            .find(|e| e.attempt == attempt)
            .map(|e| e.delivery);
        match (
            before.as_ref().map(state_key),
            after.as_ref().map(state_key),
        ) {
            (b, a) if b == a => report.unchanged += 1,
            (_, Some((1, _))) => report.delivered += 1,
            _ => report.refused += 1,
        }
    }
    Ok(report)
}
