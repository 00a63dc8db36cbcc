//! The result record a kiosk signs at the end of an exam and queues for ЕУМЦ.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use ring::signature::{UnparsedPublicKey, ED25519};
use serde::{Deserialize, Serialize};
use synaq_core::{PaperItem, Score};
use synaq_seal::KioskSecret;

const DOMAIN: &[u8] = b"synaq result v1\0";

/// Everything ЕУМЦ needs to check and certify an attempt. Wire format: do not change fields
/// without a new `format` number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultRecord {
    pub format: u32,
    pub attempt_id: String,
    pub kiosk_id: String,
    /// Full ИИН: ЕУМЦ issues the certificate to this person. Never logged.
    pub iin: String,
    pub category: String,
    pub bank_series: String,
    pub bank_version: u64,
    pub seed: u64,
    pub items: Vec<PaperItem>,
    /// Selected option ids per position, in paper order.
    pub answers: Vec<Vec<String>>,
    pub score: Score,
    pub started_wall_ms: i64,
    pub finished_wall_ms: i64,
    pub active_ms: u64,
    pub limit_ms: u64,
    pub proctor: String,
    pub finish_reason: String,
    /// The journal's head hash (hex) after the `finished` row.
    pub journal_head: String,
    /// The sealed webcam evidence's chain head (`N:hex`) when the exam was proctored by camera.
    /// Optional, and left out when absent, so results without evidence sign the same bytes.
    ///
    /// When the kiosk restarted mid-exam the evidence has several segments (one per run of
    /// the exam, `docs/formats/evidence.md`): their heads in order, joined by one space.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_head: Option<String>,
    /// The attempt's incidents (proctor reports and camera flags), in journal order. Left out
    /// when there are none, so results without incidents sign the same bytes as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub incidents: Vec<IncidentRecord>,
}

/// One incident of an attempt, as journalled by `Engine::incident`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentRecord {
    /// When it was journalled (kiosk wall clock, Unix milliseconds).
    pub at_ms: i64,
    /// Who reported it: a proctor's id, or `camera`.
    pub by: String,
    /// Its stable code (e.g. `camera-no-face`, or a proctor list item).
    pub kind: String,
    /// Free text (a camera flag names the frame's hash here).
    pub note: String,
}

/// A result and the kiosk's Ed25519 signature over it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedResult {
    pub record: ResultRecord,
    /// The kiosk's Ed25519 public key (base64).
    pub kiosk_ed25519: String,
    /// base64 Ed25519 over `"synaq result v1\0" ‖ JSON(record)`.
    pub signature: String,
}

/// The signature does not match the record: it was changed after signing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the result's signature is invalid: the record was changed after the kiosk signed it")]
pub struct BadResultSignature;

fn message(record: &ResultRecord) -> Vec<u8> {
    let mut m = DOMAIN.to_vec();
    m.extend_from_slice(&serde_json::to_vec(record).expect("records serialize"));
    m
}

impl SignedResult {
    pub fn sign(record: ResultRecord, key: &KioskSecret) -> SignedResult {
        let sig = key.ed25519().sign(&message(&record));
        SignedResult {
            kiosk_ed25519: B64.encode(key.public().ed25519),
            signature: B64.encode(sig.as_ref()),
            record,
        }
    }

    /// Checks the signature against the kiosk's known Ed25519 key.
    pub fn verify(&self, kiosk_ed25519: &[u8; 32]) -> Result<(), BadResultSignature> {
        let sig = B64
            .decode(&self.signature)
            .map_err(|_| BadResultSignature)?;
        UnparsedPublicKey::new(&ED25519, kiosk_ed25519)
            .verify(&message(&self.record), &sig)
            .map_err(|_| BadResultSignature)
    }
}
