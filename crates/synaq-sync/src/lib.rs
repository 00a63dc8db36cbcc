//! Synaq's sync protocol, shared by the kiosk and the central service, and the kiosk's client.
//!
//! - [`sign`]: signed requests (kiosk key over method, path, time, nonce, body hash), signed
//!   answers (central key over the request's nonce, status, body hash), signed documents.
//! - [`proto`]: the messages of version [`PROTOCOL_VERSION`]: enrollment and the kiosk
//!   certificate, pull, push, delivery receipts.
//! - [`apply`]: a pull's records (staff, revocations, certificates, cursor) put to use in the
//!   kiosk's store.
//! - [`bundle`]: the same results, receipts, sealed evidence and evidence receipts on
//!   removable media ([`bundle::export_to`], [`bundle::import_receipts_from`]).
//! - [`files`]: durable writes and streamed, hashed copies for removable media.
//! - [`qr`]: the certificate's QR token, verifiable offline.
//! - [`client`]: the kiosk's HTTPS client (reqwest, rustls) with retries (backon).
//! - [`tls`]: the pinned central certificate ([`CentralPin`]): the kiosk trusts exactly the
//!   certificate whose fingerprint it got at enrollment.
//! - [`enrollment`]: the kiosk's stored [`Enrollment`] (shared by the app and `synaq enroll`)
//!   and the offline enrollment files.
//! - [`evidence`]: the resumable upload of sealed webcam evidence, its signed receipt, and
//!   ЕУМЦ's evidence key files.
//!
//! The HTTP API is described in `docs/protocol/openapi.yaml`.
#![forbid(unsafe_code)]

pub mod apply;
pub mod bundle;
pub mod client;
pub mod enrollment;
pub mod evidence;
pub mod files;
pub mod proto;
pub mod qr;
pub mod sign;
pub mod tls;

pub use client::{
    apply_outcomes, apply_outcomes_on, sync_all, sync_all_on, sync_outbox, Backoff, Client,
    EvidenceFailure, Progress, Stage, SyncReport,
};
pub use enrollment::Enrollment;
pub use evidence::EvidenceReceipt;
pub use proto::{
    result_digest, CertificateInfo, Decision, KioskCertificate, Outcome, PullResponse, Receipt,
};
pub use sign::Signed;
pub use tls::CentralPin;

/// The protocol version this code speaks (`v` in every message).
pub const PROTOCOL_VERSION: u32 = 1;

/// Why a sync step failed. [`SyncError::is_transient`] tells whether retrying may help.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// Central could not be reached (or answered 5xx): try again later, or use a bundle.
    #[error("cannot reach ЕУМЦ at {url} ({detail}): the results stay queued; try again later or export a bundle to removable media")]
    Network {
        /// The URL tried.
        url: String,
        /// What failed.
        detail: String,
    },
    /// The server at the central address showed another TLS certificate than the one pinned
    /// at enrollment: not this kiosk's ЕУМЦ (or the certificate was replaced). Not retried.
    #[error("the server at {url} is not the ЕУМЦ central this kiosk was enrolled with: its TLS certificate {presented} is not the pinned {expected}; check the central address, or re-enter the central fingerprint from ЕУМЦ; nothing was sent")]
    WrongCentral {
        /// The URL called.
        url: String,
        /// The pinned fingerprint.
        expected: CentralPin,
        /// The fingerprint of the certificate the server showed.
        presented: CentralPin,
    },
    /// Central refused the whole request, with its reason.
    #[error("ЕУМЦ refused the request ({code}): {message}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// Stable reason code.
        code: String,
        /// Central's message.
        message: String,
    },
    /// The answer was not signed by the central key this kiosk trusts.
    #[error("the answer from {url} (HTTP {status}) is not signed by the ЕУМЦ key this kiosk trusts: check the central address; nothing was stored")]
    UnsignedAnswer {
        /// The URL called.
        url: String,
        /// HTTP status.
        status: u16,
    },
    /// A signed document's signature does not verify.
    #[error("the {0}'s signature is invalid: it was altered or signed by another key")]
    BadSignature(&'static str),
    /// A receipt does not match what was sent.
    #[error("invalid delivery receipt: {0}; the result stays queued")]
    BadReceipt(String),
    /// A message or file does not parse or has the wrong kind/version.
    #[error("{0}")]
    Format(String),
    /// An attempt's local webcam evidence cannot be delivered as it is (missing directory,
    /// a file that is not evidence, a file that changed during the upload).
    #[error("{message}")]
    Evidence {
        /// Stable code, e.g. `evidence-missing`.
        code: &'static str,
        /// What happened and what to do.
        message: String,
    },
    /// Reading or writing a file of a removable-media bundle failed (the stick is full,
    /// removed or read-only, or the file is not where it was named).
    #[error("{action} {path} failed ({source}): check the removable media (space, write protection, still inserted) and try again; nothing on this kiosk was changed")]
    Media {
        /// What was being done, e.g. `writing`.
        action: &'static str,
        /// The file or directory.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// The kiosk's store failed.
    #[error(transparent)]
    Store(#[from] synaq_store::StoreError),
}

impl SyncError {
    /// Whether retrying later may succeed (network down, central restarting, 5xx).
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Network { .. } => true,
            SyncError::Refused { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// A stable code (a Fluent message id on the kiosk).
    pub fn code(&self) -> &str {
        match self {
            SyncError::Network { .. } => "sync-offline",
            SyncError::WrongCentral { .. } => "sync-wrong-central",
            SyncError::Refused { code, .. } => code,
            SyncError::UnsignedAnswer { .. } => "sync-unsigned-answer",
            SyncError::BadSignature(_) => "sync-bad-signature",
            SyncError::BadReceipt(_) => "sync-bad-receipt",
            SyncError::Format(_) => "sync-format",
            SyncError::Evidence { code, .. } => code,
            SyncError::Media { .. } => "sync-media",
            SyncError::Store(e) => e.code(),
        }
    }
}
