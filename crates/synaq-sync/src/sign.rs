//! Signatures on the wire: every kiosk request, every central answer, and signed documents.
//!
//! A kiosk request carries four headers: [`H_KIOSK`] (its key id), [`H_TIME`] (Unix seconds),
//! [`H_NONCE`] (16 random bytes, hex) and [`H_SIGNATURE`] (base64 Ed25519 over
//! [`request_message`]: method, path, timestamp, nonce and SHA-256 of the body). Central
//! answers with [`H_SIGNATURE`] over [`response_message`]: the request's nonce, the HTTP status
//! and SHA-256 of the body, so an answer cannot be replayed to another request.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use ring::digest::{digest, SHA256};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{Ed25519KeyPair, UnparsedPublicKey, ED25519};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::SyncError;

/// Header: the kiosk's key id (16 hex digits).
pub const H_KIOSK: &str = "x-synaq-kiosk";
/// Header: the request's Unix time in seconds.
pub const H_TIME: &str = "x-synaq-time";
/// Header: 16 random bytes (32 hex digits), never reused by a kiosk.
pub const H_NONCE: &str = "x-synaq-nonce";
/// Header: base64 Ed25519 signature (request: kiosk key; answer: central key).
pub const H_SIGNATURE: &str = "x-synaq-signature";
/// A request whose timestamp is further than this from central's clock is refused.
pub const MAX_SKEW_SECS: i64 = 300;

const REQUEST_DOMAIN: &[u8] = b"synaq request v1\0";
const RESPONSE_DOMAIN: &[u8] = b"synaq response v1\0";

/// SHA-256 as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(digest(&SHA256, bytes))
}

/// 16 random bytes as hex.
pub fn new_nonce() -> String {
    let mut b = [0u8; 16];
    SystemRandom::new()
        .fill(&mut b)
        .expect("the system random generator works");
    hex::encode(b)
}

/// The bytes a kiosk signs for one request.
pub fn request_message(method: &str, path: &str, time: i64, nonce: &str, body: &[u8]) -> Vec<u8> {
    let mut m = REQUEST_DOMAIN.to_vec();
    m.extend_from_slice(
        format!(
            "{}\n{path}\n{time}\n{nonce}\n{}",
            method.to_ascii_uppercase(),
            sha256_hex(body)
        )
        .as_bytes(),
    );
    m
}

/// The bytes central signs for one answer.
pub fn response_message(nonce: &str, status: u16, body: &[u8]) -> Vec<u8> {
    let mut m = RESPONSE_DOMAIN.to_vec();
    m.extend_from_slice(format!("{nonce}\n{status}\n{}", sha256_hex(body)).as_bytes());
    m
}

/// Signs `msg` and returns base64.
pub fn sign_b64(key: &Ed25519KeyPair, msg: &[u8]) -> String {
    B64.encode(key.sign(msg).as_ref())
}

/// Checks a base64 Ed25519 signature.
pub fn verify_b64(public: &[u8; 32], msg: &[u8], sig: &str) -> bool {
    let Ok(sig) = B64.decode(sig) else {
        return false;
    };
    UnparsedPublicKey::new(&ED25519, public)
        .verify(msg, &sig)
        .is_ok()
}

/// A document type that is signed inside a [`Signed`] envelope; each has its own domain.
pub trait Document: Serialize + DeserializeOwned {
    /// Domain separation string, ending in NUL.
    const DOMAIN: &'static [u8];
}

/// A document and an Ed25519 signature over `DOMAIN ‖ JSON(body)`.
///
/// The JSON is the body re-serialized by these types, so a field added by a newer version
/// must come with a new format number (the structs deny unknown fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signed<T> {
    /// The signed content.
    pub body: T,
    /// base64 Ed25519.
    pub signature: String,
}

fn doc_message<T: Document>(body: &T) -> Vec<u8> {
    let mut m = T::DOMAIN.to_vec();
    m.extend_from_slice(&serde_json::to_vec(body).expect("documents serialize"));
    m
}

impl<T: Document> Signed<T> {
    /// Signs `body` with `key`.
    pub fn sign(body: T, key: &Ed25519KeyPair) -> Signed<T> {
        let signature = sign_b64(key, &doc_message(&body));
        Signed { body, signature }
    }

    /// Checks the signature against `public` (an Ed25519 key).
    pub fn verify(&self, public: &[u8; 32]) -> Result<&T, SyncError> {
        if verify_b64(public, &doc_message(&self.body), &self.signature) {
            Ok(&self.body)
        } else {
            Err(SyncError::BadSignature(
                std::any::type_name::<T>()
                    .rsplit("::")
                    .next()
                    .unwrap_or("document"),
            ))
        }
    }
}

/// The four request headers' values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestAuth {
    /// The kiosk's key id.
    pub kiosk: String,
    /// Unix seconds.
    pub time: i64,
    /// Random, hex.
    pub nonce: String,
    /// base64 Ed25519.
    pub signature: String,
}

impl RequestAuth {
    /// Signs one request now with a fresh nonce.
    pub fn sign(
        key: &synaq_seal::KioskSecret,
        method: &str,
        path: &str,
        time: i64,
        body: &[u8],
    ) -> RequestAuth {
        let nonce = new_nonce();
        let signature = sign_b64(
            key.ed25519(),
            &request_message(method, path, time, &nonce, body),
        );
        RequestAuth {
            kiosk: key.id().to_string(),
            time,
            nonce,
            signature,
        }
    }

    /// Checks the signature with the kiosk's Ed25519 key (the caller checks time and nonce).
    pub fn verify(&self, ed25519: &[u8; 32], method: &str, path: &str, body: &[u8]) -> bool {
        verify_b64(
            ed25519,
            &request_message(method, path, self.time, &self.nonce, body),
            &self.signature,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_signature_covers_every_part() {
        let k = synaq_seal::KioskSecret::generate().unwrap();
        let ed = k.public().ed25519;
        let a = RequestAuth::sign(&k, "POST", "/v1/push", 100, b"{}");
        assert!(a.verify(&ed, "POST", "/v1/push", b"{}"));
        assert!(!a.verify(&ed, "POST", "/v1/pull", b"{}"));
        assert!(!a.verify(&ed, "POST", "/v1/push", b"{ }"));
        let mut later = a.clone();
        later.time = 101;
        assert!(!later.verify(&ed, "POST", "/v1/push", b"{}"));
        let mut other = a;
        other.nonce = new_nonce();
        assert!(!other.verify(&ed, "POST", "/v1/push", b"{}"));
    }
}
