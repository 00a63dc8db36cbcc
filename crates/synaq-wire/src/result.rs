//! The result record a kiosk signs at the end of an exam and queues for ЕУМЦ, and the one
//! check of its signature (the kiosk's own tests and ЕУМЦ's ingest both use it).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use ring::digest::{Context, SHA256};
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
    /// The kiosk's chain of results: this result's number among all the kiosk signed (from 1),
    /// and [`SignedResult::digest`] of the one before (absent for the first). A result deleted
    /// or withheld on the kiosk is a gap at ЕУМЦ. Left out by kiosks that predate the chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<ResultLink>,
}

/// A result's place in its kiosk's chain of results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultLink {
    /// 1 for the kiosk's first result, then one more for each.
    pub seq: u64,
    /// The digest of the kiosk's previous result (hex); `None` for the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
}

/// SHA-256 (hex) of `"synaq paper v1\0"` and the paper's items as JSON: what the admission
/// row of the journal commits to.
pub fn paper_digest(items: &[PaperItem]) -> String {
    let json = serde_json::to_vec(items).expect("papers serialize");
    let mut c = Context::new(&SHA256);
    c.update(b"synaq paper v1\0");
    c.update(&json);
    hex::encode(c.finish())
}

/// SHA-256 (hex) of `"synaq iin v1\0"`, the attempt and the ИИН: the admission row commits to
/// the person without holding the number (the journal carries only the masked ИИН).
pub fn iin_digest(attempt: &str, iin: &str) -> String {
    let mut c = Context::new(&SHA256);
    c.update(b"synaq iin v1\0");
    c.update(&(attempt.len() as u64).to_be_bytes());
    c.update(attempt.as_bytes());
    c.update(iin.as_bytes());
    hex::encode(c.finish())
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

fn message(record_json: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(DOMAIN.len() + record_json.len());
    m.extend_from_slice(DOMAIN);
    m.extend_from_slice(record_json);
    m
}

fn record_json(record: &ResultRecord) -> String {
    serde_json::to_string(record).expect("records serialize")
}

/// A result whose signature [`SignedResult::check`] accepted, with the record's JSON as it was
/// verified, so a caller that stores or hashes the result serializes it only once.
#[derive(Debug)]
pub struct VerifiedResult<'a> {
    result: &'a SignedResult,
    record_json: String,
}

impl VerifiedResult<'_> {
    /// The signed result.
    pub fn result(&self) -> &SignedResult {
        self.result
    }

    /// The record's JSON: the bytes the signature covers (after the domain).
    pub fn record_json(&self) -> &str {
        &self.record_json
    }

    /// The whole signed result's JSON, byte for byte `serde_json::to_string(result)`.
    pub fn to_json(&self) -> String {
        let json = format!(
            "{{\"record\":{},\"kiosk_ed25519\":{},\"signature\":{}}}",
            self.record_json,
            serde_json::to_string(&self.result.kiosk_ed25519).expect("strings serialize"),
            serde_json::to_string(&self.result.signature).expect("strings serialize"),
        );
        debug_assert_eq!(
            json,
            serde_json::to_string(self.result).expect("results serialize")
        );
        json
    }
}

impl SignedResult {
    pub fn sign(record: ResultRecord, key: &KioskSecret) -> SignedResult {
        let sig = key
            .ed25519()
            .sign(&message(record_json(&record).as_bytes()));
        SignedResult {
            kiosk_ed25519: B64.encode(key.public().ed25519),
            signature: B64.encode(sig.as_ref()),
            record,
        }
    }

    /// SHA-256 (hex) of the signed result as JSON: what a receipt commits to, and what the
    /// kiosk's next result names as its predecessor.
    pub fn digest(&self) -> String {
        let json = serde_json::to_vec(self).expect("results serialize");
        hex::encode(ring::digest::digest(&SHA256, &json))
    }

    /// Checks the signature against the kiosk's known Ed25519 key.
    pub fn verify(&self, kiosk_ed25519: &[u8; 32]) -> Result<(), BadResultSignature> {
        verify_json(&record_json(&self.record), &self.signature, kiosk_ed25519)
    }

    /// ЕУМЦ's check: the key the result names is the kiosk's enrolled key, and the signature
    /// verifies with it. Returns the record's JSON as verified.
    pub fn check(
        &self,
        enrolled_ed25519: &[u8; 32],
    ) -> Result<VerifiedResult<'_>, BadResultSignature> {
        let named = B64
            .decode(&self.kiosk_ed25519)
            .map_err(|_| BadResultSignature)?;
        if named != enrolled_ed25519 {
            return Err(BadResultSignature);
        }
        let record_json = record_json(&self.record);
        verify_json(&record_json, &self.signature, enrolled_ed25519)?;
        Ok(VerifiedResult {
            result: self,
            record_json,
        })
    }
}

fn verify_json(
    record_json: &str,
    signature_b64: &str,
    kiosk_ed25519: &[u8; 32],
) -> Result<(), BadResultSignature> {
    let sig = B64.decode(signature_b64).map_err(|_| BadResultSignature)?;
    UnparsedPublicKey::new(&ED25519, kiosk_ed25519)
        .verify(&message(record_json.as_bytes()), &sig)
        .map_err(|_| BadResultSignature)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> ResultRecord {
        ResultRecord {
            format: 1,
            attempt_id: "a-1".into(),
            kiosk_id: "k-1".into(),
            iin: "900101300001".into(),
            category: "B".into(),
            bank_series: "S".into(),
            bank_version: 2,
            seed: 7,
            items: vec![],
            answers: vec![],
            score: Score::default(),
            started_wall_ms: 1,
            finished_wall_ms: 2,
            active_ms: 1,
            limit_ms: 10,
            proctor: "p".into(),
            finish_reason: "submitted".into(),
            journal_head: "ab".into(),
            evidence_head: None,
            incidents: vec![],
            chain: None,
        }
    }

    #[test]
    fn the_kiosks_check_and_centrals_check_agree_and_keep_the_json() {
        let key = KioskSecret::from_seed(&[7; 32]);
        let sr = SignedResult::sign(record(), &key);
        let pk = key.public().ed25519;
        assert_eq!(sr.verify(&pk), Ok(()));
        let v = sr.check(&pk).unwrap();
        assert_eq!(v.to_json(), serde_json::to_string(&sr).unwrap());
        assert_eq!(v.record_json(), serde_json::to_string(&sr.record).unwrap());

        let mut altered = sr.clone();
        altered.record.seed += 1;
        assert_eq!(altered.verify(&pk), Err(BadResultSignature));
        assert_eq!(altered.check(&pk).unwrap_err(), BadResultSignature);
    }

    #[test]
    fn central_refuses_a_result_that_names_another_key() {
        let key = KioskSecret::from_seed(&[7; 32]);
        let other = KioskSecret::from_seed(&[8; 32]);
        let mut sr = SignedResult::sign(record(), &key);
        sr.kiosk_ed25519 = B64.encode(other.public().ed25519);
        // The signature itself is still the enrolled kiosk's; only the named key is wrong.
        assert_eq!(sr.verify(&key.public().ed25519), Ok(()));
        assert_eq!(
            sr.check(&key.public().ed25519).unwrap_err(),
            BadResultSignature
        );
    }
}
