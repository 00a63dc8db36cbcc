//! A kiosk's enrollment with ЕУМЦ, kept in the kiosk database's settings so the kiosk app and
//! the admin tool (`synaq enroll`) share it, and the offline enrollment files.
//!
//! Settings keys: `central.url`, `central.pin` (the TLS fingerprint), `central.certificate`
//! (the signed kiosk certificate, JSON) and `central.cursor` (the last applied pull).
//!
//! Offline: the kiosk writes a **request file** ([`request_file`]: its public keys, branch and
//! one-time code, signed with its own key as proof of possession) to removable media; ЕУМЦ runs
//! `synaq-central admin enroll-offline REQ --out CERT` (the same checks as online) and carries
//! back a **certificate file** ([`certificate_file`], signed by the central key) that also
//! holds central's URL and TLS fingerprint, so the kiosk can sync over the network later.

use std::sync::Arc;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use synaq_seal::{IssuerPublic, IssuerSecret, KioskPublic, KioskSecret};
use synaq_store::staff::{set_setting, setting};

use crate::client::{check_certificate, Client};
use crate::proto::{EnrollRequest, KioskCertificate};
use crate::sign::{Document, Signed};
use crate::tls::CentralPin;
use crate::{SyncError, PROTOCOL_VERSION};

/// Setting: central's base URL.
pub const KEY_URL: &str = "central.url";
/// Setting: the pinned TLS fingerprint.
pub const KEY_PIN: &str = "central.pin";
/// Setting: the kiosk certificate (JSON).
pub const KEY_CERTIFICATE: &str = "central.certificate";
/// Setting: the pull cursor.
pub const KEY_CURSOR: &str = "central.cursor";

/// `kind` of an enrollment request file.
pub const REQUEST_KIND: &str = "synaq-enrollment-request";
/// `kind` of an enrollment (certificate) file.
pub const CERTIFICATE_KIND: &str = "synaq-enrollment";
/// File extension of a request file (kiosk → ЕУМЦ).
pub const REQUEST_EXT: &str = "synaqenroll";
/// File extension of a certificate file (ЕУМЦ → kiosk).
pub const CERTIFICATE_EXT: &str = "synaqcert";
/// `kind` of an enrollment invitation file.
pub const INVITE_KIND: &str = "synaq-enrollment-invite";
/// File extension of an enrollment invitation file (ЕУМЦ → kiosk, before enrolling online).
pub const INVITE_EXT: &str = "synaqjoin";

/// This kiosk's enrollment: where central is, which certificate it pins, what it vouched for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrollment {
    /// Central's base URL (`https://…`).
    pub url: String,
    /// Central's TLS certificate fingerprint.
    pub pin: CentralPin,
    /// The kiosk certificate central signed.
    pub certificate: KioskCertificate,
    /// The cursor of the last applied pull (0 before the first).
    pub cursor: u64,
}

fn damaged(what: &str, detail: impl std::fmt::Display) -> SyncError {
    SyncError::Format(format!(
        "the kiosk's stored enrollment is damaged ({what}: {detail}): enroll the kiosk again"
    ))
}

impl Enrollment {
    /// The enrollment stored in the kiosk database, or `None` if the kiosk was never enrolled.
    pub fn load(conn: &Connection) -> Result<Option<Enrollment>, SyncError> {
        let Some(cert) = setting(conn, KEY_CERTIFICATE)? else {
            return Ok(None);
        };
        let certificate: KioskCertificate =
            serde_json::from_str(&cert).map_err(|e| damaged(KEY_CERTIFICATE, e))?;
        let url = setting(conn, KEY_URL)?.ok_or_else(|| damaged(KEY_URL, "missing"))?;
        let pin = setting(conn, KEY_PIN)?.ok_or_else(|| damaged(KEY_PIN, "missing"))?;
        let pin = CentralPin::parse(&pin).map_err(|e| damaged(KEY_PIN, e))?;
        let cursor = match setting(conn, KEY_CURSOR)? {
            None => 0,
            Some(c) => c.parse().map_err(|e| damaged(KEY_CURSOR, e))?,
        };
        Ok(Some(Enrollment {
            url,
            pin,
            certificate,
            cursor,
        }))
    }

    /// Stores this enrollment (all four settings in one transaction), replacing any other.
    pub fn save(&self, conn: &Connection) -> Result<(), SyncError> {
        let tx = conn
            .unchecked_transaction()
            .map_err(synaq_store::StoreError::from)?;
        set_setting(&tx, KEY_URL, &self.url)?;
        set_setting(&tx, KEY_PIN, &self.pin.to_string())?;
        set_setting(
            &tx,
            KEY_CERTIFICATE,
            &serde_json::to_string(&self.certificate).expect("certificates serialize"),
        )?;
        set_setting(&tx, KEY_CURSOR, &self.cursor.to_string())?;
        tx.commit().map_err(synaq_store::StoreError::from)?;
        Ok(())
    }

    /// Stores the cursor of the pull just applied.
    pub fn set_cursor(conn: &Connection, cursor: u64) -> Result<(), SyncError> {
        set_setting(conn, KEY_CURSOR, &cursor.to_string())?;
        Ok(())
    }

    /// The branch the certificate is for.
    pub fn branch(&self) -> &str {
        &self.certificate.body.branch
    }

    /// The enrolled kiosk's key id.
    pub fn kiosk_id(&self) -> &str {
        &self.certificate.body.kiosk_id
    }

    /// A client for this enrollment's central, checking answers with `central`.
    pub fn client(
        &self,
        key: Arc<KioskSecret>,
        central: &IssuerPublic,
    ) -> Result<Client, SyncError> {
        Client::new(&self.url, key, central.clone(), self.pin)
    }
}

/// The body of an offline enrollment request file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestFileBody {
    /// Always [`REQUEST_KIND`].
    pub kind: String,
    /// The same request as `POST /v1/enroll`.
    pub request: EnrollRequest,
    /// Unix seconds.
    pub created: i64,
}

impl Document for RequestFileBody {
    const DOMAIN: &'static [u8] = b"synaq enrollment request v1\0";
}

/// The body of an offline enrollment (certificate) file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateFileBody {
    /// Always [`CERTIFICATE_KIND`].
    pub kind: String,
    /// Protocol version.
    pub v: u32,
    /// Central's base URL for network sync later.
    pub url: String,
    /// Central's TLS fingerprint (`AB:CD:…`).
    pub pin: String,
    /// The kiosk certificate.
    pub certificate: KioskCertificate,
    /// Unix seconds.
    pub created: i64,
}

impl Document for CertificateFileBody {
    const DOMAIN: &'static [u8] = b"synaq enrollment file v1\0";
}

/// The body of an enrollment invitation file: everything a kiosk needs to enroll online, so
/// the branch admin types nothing (not the 95-character TLS fingerprint).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteFileBody {
    /// Always [`INVITE_KIND`].
    pub kind: String,
    /// Protocol version.
    pub v: u32,
    /// Central's base URL (`https://…`).
    pub url: String,
    /// Central's TLS fingerprint (`AB:CD:…`).
    pub pin: String,
    /// The branch the kiosk enrolls for.
    pub branch: String,
    /// The one-time enrollment code.
    pub code: String,
    /// Unix seconds.
    pub created: i64,
}

impl Document for InviteFileBody {
    const DOMAIN: &'static [u8] = b"synaq enrollment invite v1\0";
}

/// What an enrollment invitation file says, checked.
#[derive(Clone, PartialEq, Eq)]
pub struct Invite {
    pub url: String,
    pub pin: CentralPin,
    pub branch: String,
    pub code: String,
}

impl std::fmt::Debug for Invite {
    // The one-time code stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Invite")
            .field("url", &self.url)
            .field("branch", &self.branch)
            .finish_non_exhaustive()
    }
}

/// Central's side: the invitation file for one kiosk of `branch` with a fresh one-time
/// `code`, signed by the central key (so a changed address or fingerprint is refused).
pub fn invite_file(
    central: &IssuerSecret,
    url: &str,
    pin: CentralPin,
    branch: &str,
    code: &str,
) -> Vec<u8> {
    let body = InviteFileBody {
        kind: INVITE_KIND.into(),
        v: PROTOCOL_VERSION,
        url: url.trim_end_matches('/').to_owned(),
        pin: pin.to_string(),
        branch: branch.trim().to_owned(),
        code: code.trim().to_owned(),
        created: crate::client::unix_now(),
    };
    serde_json::to_vec_pretty(&Signed::sign(body, central.ed25519())).expect("files serialize")
}

/// The kiosk's side: checks an invitation file (the central key's signature, its kind and
/// version, an https address, a well-formed fingerprint).
pub fn read_invite_file(bytes: &[u8], central: &IssuerPublic) -> Result<Invite, SyncError> {
    let signed: Signed<InviteFileBody> = serde_json::from_slice(bytes).map_err(|e| {
        SyncError::Format(format!(
            "the enrollment file does not parse ({e}): copy it again from ЕУМЦ"
        ))
    })?;
    let body = signed.verify(&central.ed25519)?;
    if body.kind != INVITE_KIND || body.v != PROTOCOL_VERSION {
        return Err(SyncError::Format(format!(
            "not a version-{PROTOCOL_VERSION} enrollment file"
        )));
    }
    if !body
        .url
        .get(..8)
        .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
    {
        return Err(SyncError::Format(format!(
            "the central address {:?} in the enrollment file is not https://: ask ЕУМЦ for a new file",
            body.url
        )));
    }
    Ok(Invite {
        url: body.url.clone(),
        pin: CentralPin::parse(&body.pin)?,
        branch: body.branch.clone(),
        code: body.code.clone(),
    })
}

/// A signed offline enrollment request, as written to removable media by the kiosk.
pub fn request_file(key: &KioskSecret, branch: &str, code: &str) -> Vec<u8> {
    let body = RequestFileBody {
        kind: REQUEST_KIND.into(),
        request: EnrollRequest {
            v: PROTOCOL_VERSION,
            branch: branch.trim().to_owned(),
            code: code.trim().to_owned(),
            kiosk_public: key.public().to_toml(),
        },
        created: crate::client::unix_now(),
    };
    serde_json::to_vec_pretty(&Signed::sign(body, key.ed25519())).expect("files serialize")
}

/// Central's side: parses a request file and checks it is signed by the key it carries
/// (proof of possession). The enrollment checks themselves are central's.
pub fn open_request_file(bytes: &[u8]) -> Result<EnrollRequest, SyncError> {
    let signed: Signed<RequestFileBody> = serde_json::from_slice(bytes).map_err(|e| {
        SyncError::Format(format!(
            "the enrollment request file does not parse ({e}): write it again on the kiosk with `synaq enroll request`"
        ))
    })?;
    if signed.body.kind != REQUEST_KIND || signed.body.request.v != PROTOCOL_VERSION {
        return Err(SyncError::Format(format!(
            "not a version-{PROTOCOL_VERSION} enrollment request file"
        )));
    }
    let public = KioskPublic::from_toml(&signed.body.request.kiosk_public)
        .map_err(|e| SyncError::Format(format!("the request's kiosk public key: {e}")))?;
    Ok(signed.verify(&public.ed25519)?.request.clone())
}

/// Central's side: the certificate file for an enrolled kiosk, signed by the central key.
pub fn certificate_file(
    central: &IssuerSecret,
    url: &str,
    pin: CentralPin,
    certificate: KioskCertificate,
) -> Vec<u8> {
    let body = CertificateFileBody {
        kind: CERTIFICATE_KIND.into(),
        v: PROTOCOL_VERSION,
        url: url.trim_end_matches('/').to_owned(),
        pin: pin.to_string(),
        certificate,
        created: crate::client::unix_now(),
    };
    serde_json::to_vec_pretty(&Signed::sign(body, central.ed25519())).expect("files serialize")
}

/// The kiosk's side: checks a certificate file (the central key's signature on the file and
/// on the certificate, this kiosk's keys, the branch) and returns the enrollment to save.
pub fn read_certificate_file(
    bytes: &[u8],
    central: &IssuerPublic,
    key: &KioskSecret,
    branch: &str,
) -> Result<Enrollment, SyncError> {
    let signed: Signed<CertificateFileBody> = serde_json::from_slice(bytes).map_err(|e| {
        SyncError::Format(format!(
            "the enrollment certificate file does not parse ({e}): copy it again from ЕУМЦ"
        ))
    })?;
    let body = signed.verify(&central.ed25519)?;
    if body.kind != CERTIFICATE_KIND || body.v != PROTOCOL_VERSION {
        return Err(SyncError::Format(format!(
            "not a version-{PROTOCOL_VERSION} enrollment certificate file"
        )));
    }
    check_certificate(&body.certificate, central, key, branch.trim())?;
    if !body
        .url
        .get(..8)
        .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
    {
        return Err(SyncError::Format(format!(
            "the central address {:?} in the certificate file is not https://: ask ЕУМЦ for a new file",
            body.url
        )));
    }
    Ok(Enrollment {
        url: body.url.clone(),
        pin: CentralPin::parse(&body.pin)?,
        certificate: body.certificate.clone(),
        cursor: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::KioskCertBody;

    fn cert(central: &IssuerSecret, key: &KioskSecret, branch: &str) -> KioskCertificate {
        Signed::sign(
            KioskCertBody {
                v: 1,
                kiosk_id: key.id().to_string(),
                branch: branch.into(),
                ed25519: String::new(),
                x25519: String::new(),
                not_before: 0,
                not_after: 1,
                central_id: central.id().to_string(),
            },
            central.ed25519(),
        )
    }

    #[test]
    fn enrollment_round_trips_through_the_settings() {
        let d = tempfile::tempdir().unwrap();
        let conn = synaq_store::open_db(&d.path().join("kiosk.sqlite3")).unwrap();
        assert_eq!(Enrollment::load(&conn).unwrap(), None);
        let central = IssuerSecret::generate().unwrap();
        let key = KioskSecret::generate().unwrap();
        let e = Enrollment {
            url: "https://127.0.0.1:8440".into(),
            pin: CentralPin::from_der(b"cert"),
            certificate: cert(&central, &key, "ALM-01"),
            cursor: 0,
        };
        e.save(&conn).unwrap();
        Enrollment::set_cursor(&conn, 42).unwrap();
        let back = Enrollment::load(&conn).unwrap().unwrap();
        assert_eq!(back.cursor, 42);
        assert_eq!(back.branch(), "ALM-01");
        assert_eq!(back.kiosk_id(), key.id().to_string());
        assert_eq!(Enrollment { cursor: 0, ..back }, e);
        set_setting(&conn, KEY_PIN, "not a pin").unwrap();
        let err = Enrollment::load(&conn).unwrap_err();
        assert!(err.to_string().contains("enroll the kiosk again"), "{err}");
    }

    #[test]
    fn offline_files_are_signed_and_checked() {
        let central = IssuerSecret::generate().unwrap();
        let key = KioskSecret::generate().unwrap();
        let req = request_file(&key, "ALM-01", " ABCD ");
        let r = open_request_file(&req).unwrap();
        assert_eq!((r.branch.as_str(), r.code.as_str()), ("ALM-01", "ABCD"));
        // A request altered on the stick (another branch) does not verify.
        let text = String::from_utf8(req).unwrap().replace("ALM-01", "AST-01");
        assert!(open_request_file(text.as_bytes()).is_err());

        let pin = CentralPin::from_der(b"cert");
        let file = certificate_file(
            &central,
            "https://10.0.0.5:8440/",
            pin,
            cert(&central, &key, "ALM-01"),
        );
        let e = read_certificate_file(&file, &central.public(), &key, "ALM-01").unwrap();
        assert_eq!(
            (e.url.as_str(), e.pin, e.cursor),
            ("https://10.0.0.5:8440", pin, 0)
        );
        // Another branch, another kiosk: refused for naming someone else, not for a signature.
        let wrong_branch = read_certificate_file(&file, &central.public(), &key, "AST-01");
        assert!(
            matches!(&wrong_branch, Err(SyncError::Format(m)) if m.contains("branch ALM-01")),
            "{wrong_branch:?}"
        );
        let other = KioskSecret::generate().unwrap();
        let wrong_kiosk = read_certificate_file(&file, &central.public(), &other, "ALM-01");
        assert!(
            matches!(&wrong_kiosk, Err(SyncError::Format(m)) if m.contains("not this kiosk")),
            "{wrong_kiosk:?}"
        );
        let stranger = IssuerSecret::generate().unwrap();
        let err = read_certificate_file(&file, &stranger.public(), &key, "ALM-01").unwrap_err();
        assert_eq!(err.code(), "sync-bad-signature");
    }

    #[test]
    fn an_invitation_file_carries_address_pin_branch_and_code_signed_by_eumc() {
        let central = IssuerSecret::generate().unwrap();
        let pin = CentralPin::from_der(b"cert");
        let file = invite_file(
            &central,
            "https://10.0.0.5:8440/",
            pin,
            " ALM-01 ",
            "K7Q2M9X4TB",
        );
        let i = read_invite_file(&file, &central.public()).unwrap();
        assert_eq!(
            (i.url.as_str(), i.pin, i.branch.as_str(), i.code.as_str()),
            ("https://10.0.0.5:8440", pin, "ALM-01", "K7Q2M9X4TB")
        );
        assert!(
            !format!("{i:?}").contains("K7Q2M9X4TB"),
            "the code stays out of logs"
        );
        // Another fingerprint written in on the stick: the signature no longer holds.
        let text = String::from_utf8(file.clone()).unwrap();
        let forged = text.replace(&pin.to_string(), &CentralPin::from_der(b"mitm").to_string());
        assert_ne!(forged, text);
        let err = read_invite_file(forged.as_bytes(), &central.public()).unwrap_err();
        assert_eq!(err.code(), "sync-bad-signature");
        let stranger = IssuerSecret::generate().unwrap();
        let err = read_invite_file(&file, &stranger.public()).unwrap_err();
        assert_eq!(err.code(), "sync-bad-signature");
        // Not an invitation: a certificate file is refused for its kind, garbage for its form.
        let http = invite_file(&central, "http://10.0.0.5", pin, "ALM-01", "x");
        assert!(matches!(
            read_invite_file(&http, &central.public()),
            Err(SyncError::Format(_))
        ));
        assert!(matches!(
            read_invite_file(b"{}", &central.public()),
            Err(SyncError::Format(_))
        ));
    }
}
