//! The certificate's QR payload: the verification URL with a compact signed token that checks
//! offline against the central public key. Spec: `docs/formats/certificate-qr.md`.
//!
//! ```text
//! https://central.example/v/KZOT-2026-7QK4-M2XD#t=SQ1.<base64url(claims JSON)>.<base64url(sig)>
//! sig = Ed25519(central key, "synaq certificate qr v1\0" ‖ claims JSON bytes as sent)
//! ```
//! The token rides in the URL's fragment, which a browser never sends: it stays out of every
//! server's logs, and the verification page checks it in the browser. The claims name the
//! host the URL must point at, so a genuine token pasted behind another address is refused.
//! No ИИН in clear: the claims carry only its last four digits, as on the paper copy.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64U;
use base64::Engine as _;
use ring::signature::Ed25519KeyPair;
use serde::{Deserialize, Serialize};

use crate::sign::{sign_b64, verify_b64};
use crate::SyncError;

const DOMAIN: &[u8] = b"synaq certificate qr v1\0";
/// The token's prefix (format version 1).
pub const PREFIX: &str = "SQ1.";

/// What a QR token states. Short field names keep the QR small.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QrClaims {
    /// Certificate number.
    pub n: String,
    /// Holder's full name.
    pub nm: String,
    /// Category id.
    pub c: String,
    /// Issue date `YYYY-MM-DD`.
    pub i: String,
    /// Last valid day, or none.
    pub u: Option<String>,
    /// Last four digits of the ИИН (to compare with the ID card shown).
    pub m: String,
    /// The verification host (`verify.eumc.kz`, with `:port` when not the default): the
    /// URL in the QR must point there. Absent in codes issued before it was added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub h: Option<String>,
}

/// The host (and port) of an `http(s)://host[:port]/…` URL, or `None` for anything else.
pub fn host_of(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    (!host.is_empty()).then_some(host)
}

fn message(claims_json: &[u8]) -> Vec<u8> {
    let mut m = DOMAIN.to_vec();
    m.extend_from_slice(claims_json);
    m
}

/// The token alone (`SQ1.…`).
pub fn token(claims: &QrClaims, key: &Ed25519KeyPair) -> String {
    let json = serde_json::to_vec(claims).expect("claims serialize");
    let sig = sign_b64(key, &message(&json));
    let sig = base64::engine::general_purpose::STANDARD
        .decode(sig)
        .expect("own base64");
    format!("{PREFIX}{}.{}", B64U.encode(&json), B64U.encode(sig))
}

/// The QR text: `{base_url}/v/{number}#t={token}`.
pub fn qr_text(base_url: &str, claims: &QrClaims, key: &Ed25519KeyPair) -> String {
    format!(
        "{}/v/{}#t={}",
        base_url.trim_end_matches('/'),
        claims.n,
        token(claims, key)
    )
}

/// Checks a QR text (URL or bare token) offline against the central Ed25519 key.
pub fn verify(text: &str, central_ed25519: &[u8; 32]) -> Result<QrClaims, SyncError> {
    let text = text.trim();
    let tok = match text.find("t=SQ1.") {
        Some(i) => &text[i + 2..],
        None => text,
    };
    let tok = tok.split(['&', '#']).next().unwrap_or(tok);
    let rest = tok
        .strip_prefix(PREFIX)
        .ok_or_else(|| SyncError::Format("this is not a Synaq certificate QR code".into()))?;
    let (claims_b64, sig_b64) = rest
        .split_once('.')
        .ok_or_else(|| SyncError::Format("the QR token is cut off".into()))?;
    let json = B64U
        .decode(claims_b64)
        .map_err(|_| SyncError::Format("the QR token is damaged".into()))?;
    let sig = B64U
        .decode(sig_b64)
        .map_err(|_| SyncError::Format("the QR token is damaged".into()))?;
    let sig = base64::engine::general_purpose::STANDARD.encode(sig);
    if !verify_b64(central_ed25519, &message(&json), &sig) {
        return Err(SyncError::BadSignature("certificate QR"));
    }
    let claims: QrClaims = serde_json::from_slice(&json)
        .map_err(|e| SyncError::Format(format!("the QR claims do not parse: {e}")))?;
    if let Some(i) = text.find("/v/") {
        let num = text[i + 3..].split(['?', '#']).next().unwrap_or("");
        if num != claims.n {
            return Err(SyncError::Format(format!(
                "the QR URL names certificate {num}, but its signed token is for {}: a forged code",
                claims.n
            )));
        }
    }
    if let (Some(signed), Some(host)) = (claims.h.as_deref(), host_of(text)) {
        if !signed.eq_ignore_ascii_case(host) {
            return Err(SyncError::Format(format!(
                "the QR points at {host}, but ЕУМЦ signed it for {signed}: a genuine code copied behind another address"
            )));
        }
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_qr_verifies_offline_and_refuses_edits() {
        let k = synaq_seal::IssuerSecret::generate().unwrap();
        let ed = k.public().ed25519;
        let c = QrClaims {
            n: "KZOT-2026-000001".into(),
            nm: "Әлия Сәрсенова".into(),
            c: "cat-1".into(),
            i: "2026-03-01".into(),
            u: Some("2029-03-01".into()),
            m: "0017".into(),
            h: Some("127.0.0.1:1".into()),
        };
        let text = qr_text("http://127.0.0.1:1/", &c, k.ed25519());
        assert!(text.starts_with("http://127.0.0.1:1/v/KZOT-2026-000001#t=SQ1."));
        assert!(!text.contains("900101300017"));
        assert_eq!(verify(&text, &ed).unwrap(), c);
        assert_eq!(verify(&token(&c, k.ed25519()), &ed).unwrap(), c);
        let other = text.replace("/v/KZOT-2026-000001", "/v/KZOT-2026-000002");
        assert!(
            matches!(verify(&other, &ed), Err(SyncError::Format(m)) if m.contains("forged")),
            "another number in the URL"
        );
        let elsewhere = text.replace("127.0.0.1:1", "verify.example.org");
        assert!(
            matches!(verify(&elsewhere, &ed), Err(SyncError::Format(m)) if m.contains("verify.example.org")),
            "the same token behind another host"
        );
        // Codes printed before the fragment moved (`?t=`) still check.
        let legacy = text.replace("#t=", "?t=");
        assert_eq!(verify(&legacy, &ed).unwrap(), c);
        let other_key = synaq_seal::IssuerSecret::generate().unwrap();
        assert!(matches!(
            verify(&text, &other_key.public().ed25519),
            Err(SyncError::BadSignature(_))
        ));
    }
}
