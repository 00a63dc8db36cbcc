//! The protocol's messages (version [`crate::PROTOCOL_VERSION`]). Wire format: do not change a
//! field without a new version; every struct denies unknown fields.

use serde::{Deserialize, Serialize};
use synaq_wire::AttemptJournal;
use synaq_wire::SignedResult;

use crate::sign::{Document, Signed};

/// `POST /v1/enroll`: the branch admin typed the branch code and the one-time code; the kiosk
/// sends its public keys. The request is signed with the kiosk's new key (proof of possession).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    /// Protocol version.
    pub v: u32,
    /// The branch (territorial office) code, e.g. `ALM-01`.
    pub branch: String,
    /// The one-time enrollment code central issued for that branch.
    pub code: String,
    /// The kiosk's public keys, as `synaq-seal` writes them (`KioskPublic::to_toml`).
    pub kiosk_public: String,
}

/// The body of a kiosk certificate: central vouches that these keys are a kiosk of `branch`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KioskCertBody {
    /// Protocol version.
    pub v: u32,
    /// The kiosk's key id.
    pub kiosk_id: String,
    /// The branch code.
    pub branch: String,
    /// Ed25519 public key (base64).
    pub ed25519: String,
    /// X25519 public key (base64).
    pub x25519: String,
    /// Unix seconds.
    pub not_before: i64,
    /// Unix seconds.
    pub not_after: i64,
    /// The central key's id that signed it.
    pub central_id: String,
}

impl Document for KioskCertBody {
    const DOMAIN: &'static [u8] = b"synaq kiosk certificate v1\0";
}

/// A kiosk certificate, signed by central.
pub type KioskCertificate = Signed<KioskCertBody>;

/// `POST /v1/pull`: everything for this kiosk changed since `since` (0 = everything).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullRequest {
    /// Protocol version.
    pub v: u32,
    /// The cursor of the last pull that was applied.
    pub since: u64,
}

/// A bank re-wrapped for the pulling kiosk (its stanza added by central).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankDelivery {
    /// Bank series.
    pub series: String,
    /// Bank version.
    pub version: u64,
    /// The `.synaqbank` file, base64.
    pub bank: String,
}

/// A proctor or admin of the kiosk's branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffMember {
    /// Staff id (login).
    pub id: String,
    /// Full name.
    pub name: String,
    /// `proctor` or `admin`.
    pub role: String,
    /// False once the person left the branch.
    pub active: bool,
}

/// Something central no longer trusts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revocation {
    /// `kiosk` (a kiosk key id) or `bank` (`series:version`).
    pub kind: String,
    /// The revoked id.
    pub id: String,
    /// Unix seconds.
    pub at: i64,
}

/// A certificate in the registry, as the public and the branch see it (no full ИИН).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateInfo {
    /// `KZOT-YYYY-XXXX-XXXX`.
    pub number: String,
    /// The holder's full name.
    pub name: String,
    /// `********1234`.
    pub iin_masked: String,
    /// Category id of the profile.
    pub category: String,
    /// Category name in Kazakh.
    pub category_kk: String,
    /// Category name in Russian.
    pub category_ru: String,
    /// Issue date (`YYYY-MM-DD`).
    pub issued: String,
    /// Last valid day (`YYYY-MM-DD`), or none (no expiry for this category).
    pub valid_until: Option<String>,
    /// `valid` or `revoked`.
    pub status: String,
    /// The attempt it was issued for.
    pub attempt_id: String,
    /// The branch where the exam was taken.
    pub branch: String,
    /// The QR text for the paper copy: verification URL with a signed token.
    pub qr: String,
    /// SHA-256 (hex) of the certificate's PDF as ЕУМЦ rendered it (`POST /v1/certificate/pdf`):
    /// the kiosk keeps a downloaded PDF only when it hashes to this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf_sha256: Option<String>,
    /// SHA-256 (hex) of the reprint, the same page marked as a copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_sha256: Option<String>,
}

/// `POST /v1/certificate`: a certificate of the registry, for an enrolled kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateRequest {
    /// Protocol version.
    pub v: u32,
    /// The certificate number.
    pub number: String,
}

/// `POST /v1/certificate/pdf`: the PDF of a certificate issued at the asking kiosk's branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificatePdfRequest {
    /// Protocol version.
    pub v: u32,
    /// The certificate number.
    pub number: String,
    /// The reprint (marked as a copy) rather than the original.
    pub copy: bool,
}

/// The answer to [`CertificatePdfRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificatePdf {
    /// The certificate number.
    pub number: String,
    /// Whether this is the reprint.
    pub copy: bool,
    /// SHA-256 (hex) of the PDF.
    pub sha256: String,
    /// The PDF, base64.
    pub pdf: String,
}

impl From<&CertificateInfo> for synaq_store::StoredCertificate {
    fn from(c: &CertificateInfo) -> Self {
        synaq_store::StoredCertificate {
            number: c.number.clone(),
            attempt: c.attempt_id.clone(),
            name: c.name.clone(),
            iin_masked: c.iin_masked.clone(),
            category: c.category.clone(),
            issued: c.issued.clone(),
            valid_until: c.valid_until.clone(),
            status: c.status.clone(),
            qr: c.qr.clone(),
            pdf_sha256: c.pdf_sha256.clone(),
            copy_sha256: c.copy_sha256.clone(),
        }
    }
}

impl CertificateInfo {
    /// The row the kiosk stores (`Engine::store_certificates`).
    pub fn to_stored(&self) -> synaq_store::StoredCertificate {
        self.into()
    }
}

/// `POST /v1/pull` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullResponse {
    /// Protocol version.
    pub v: u32,
    /// Give this back as `since` next time.
    pub cursor: u64,
    /// Banks issued to this kiosk (new or re-wrapped since the cursor).
    pub banks: Vec<BankDelivery>,
    /// The branch's signed roster (`.synaqroster`, base64), when it changed.
    pub roster: Option<String>,
    /// The branch's staff (complete list, when it changed).
    pub staff: Option<Vec<StaffMember>>,
    /// Revocations since the cursor.
    pub revocations: Vec<Revocation>,
    /// Certificates issued since the cursor for this branch's examinees.
    pub certificates: Vec<CertificateInfo>,
    /// The oldest kiosk version ЕУМЦ still accepts exams from (`MAJOR.MINOR.PATCH`): an older
    /// kiosk admits nobody and tells its admin to update. Absent when ЕУМЦ set none (and left
    /// out then, so kiosks from before this field still read the pull).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_kiosk_version: Option<String>,
}

/// A kiosk version `MAJOR.MINOR.PATCH` as numbers, for comparing (`None` if it is not one).
pub fn parse_version(v: &str) -> Option<(u64, u64, u64)> {
    let mut parts = v.trim().split('.').map(|p| {
        (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u64>().ok())
            .flatten()
    });
    let v = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(v)
}

/// Whether a kiosk of version `mine` is older than ЕУМЦ's `minimum`. A minimum that is not a
/// version counts as newer than any kiosk: refusing is the safe side.
pub fn older_than(mine: &str, minimum: &str) -> bool {
    match (parse_version(mine), parse_version(minimum)) {
        (Some(a), Some(b)) => a < b,
        _ => true,
    }
}

/// `POST /v1/push`: results from the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    /// Protocol version.
    pub v: u32,
    /// Signed results, each idempotent by attempt id.
    pub results: Vec<SignedResult>,
    /// Each result's journal run, which central checks against the signed head and replays.
    /// Left out when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub journals: Vec<AttemptJournal>,
}

/// What central decided for a delivered result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, tag = "kind", rename_all = "snake_case")]
pub enum Decision {
    /// Passed: a certificate was issued.
    Certified {
        /// `KZOT-YYYY-XXXX-XXXX`.
        number: String,
    },
    /// Not passed: a retake is allowed until this day (inclusive, `YYYY-MM-DD`).
    Failed {
        /// Last day of the retake window.
        retake_until: String,
    },
    /// Passed, but not certified yet: delivered (the kiosk keeps no copy duties beyond a
    /// delivered result's), and its certificate, if ЕУМЦ issues one, comes in a later pull.
    /// `state` is `awaiting-evidence` (the sealed evidence must arrive and check first) or
    /// `held` (a reviewer decides); `reasons` are the hold reasons' codes (Fluent
    /// `hold-<code>` on the kiosk), empty while awaiting evidence.
    Pending {
        /// `awaiting-evidence` or `held`.
        state: String,
        /// Hold reason codes.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        reasons: Vec<String>,
    },
}

/// The body of a delivery receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptBody {
    /// Protocol version.
    pub v: u32,
    /// The attempt.
    pub attempt_id: String,
    /// The kiosk that signed the result.
    pub kiosk_id: String,
    /// [`result_digest`] of the result central stored.
    pub result_sha256: String,
    /// When central first stored it (Unix seconds).
    pub received_at: i64,
    /// What central decided.
    pub decision: Decision,
}

impl Document for ReceiptBody {
    const DOMAIN: &'static [u8] = b"synaq delivery receipt v1\0";
}

/// A delivery receipt, signed by central. The same attempt always gets the same receipt.
pub type Receipt = Signed<ReceiptBody>;

/// Central's answer for one pushed result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Stored (now or before): the receipt.
    Delivered {
        /// The signed receipt.
        receipt: Receipt,
    },
    /// Refused: central's stable reason code and a message for the admin.
    Refused {
        /// The attempt.
        attempt_id: String,
        /// Stable code, e.g. `not-on-roster` (see `docs/protocol/README.md`).
        code: String,
        /// What happened and what to do.
        message: String,
    },
}

impl Outcome {
    /// The attempt this outcome is for.
    pub fn attempt_id(&self) -> &str {
        match self {
            Outcome::Delivered { receipt } => &receipt.body.attempt_id,
            Outcome::Refused { attempt_id, .. } => attempt_id,
        }
    }
}

/// `POST /v1/push` answer: one outcome per pushed result, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushResponse {
    /// Protocol version.
    pub v: u32,
    /// Outcomes, in the order of the request.
    pub outcomes: Vec<Outcome>,
}

/// Any refusal of a whole request (4xx/5xx), signed like every answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    /// Stable code, e.g. `replayed-request`.
    pub code: String,
    /// What happened and what to do.
    pub message: String,
}

/// SHA-256 (hex) of a signed result as JSON: what a receipt commits to.
pub fn result_digest(result: &SignedResult) -> String {
    result.digest()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kiosk_versions_compare_as_numbers_and_a_bad_minimum_refuses() {
        assert_eq!(parse_version("0.10.2"), Some((0, 10, 2)));
        for bad in [
            "",
            "1",
            "1.2",
            "1.2.3.4",
            "1.2.x",
            "1..2",
            "-1.0.0",
            "1.2.3-rc1",
        ] {
            assert_eq!(parse_version(bad), None, "{bad:?}");
        }
        assert!(older_than("0.9.9", "0.10.0"), "numbers, not text");
        assert!(!older_than("0.10.0", "0.9.9"));
        assert!(
            !older_than("0.2.0", "0.2.0"),
            "the minimum itself is accepted"
        );
        assert!(
            older_than("0.2.0", "garbage"),
            "a minimum that is not a version refuses"
        );
    }
}
