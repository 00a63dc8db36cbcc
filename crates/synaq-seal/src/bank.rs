//! The sealed question bank (format version 1; spec in `docs/formats/bank.md`).
//!
//! ```text
//! preamble  "SYNAQBNK" · version u8 · issuer key id [8] · header_len u32 LE · payload_len u64 LE
//! header    JSON (BankHeader), header_len bytes
//! payload   AES-256-GCM STREAM chunks of the content container, payload_len bytes
//! signature Ed25519 over  SIG_DOMAIN ‖ SHA-512(preamble ‖ header ‖ payload), 64 bytes
//! ```
//!
//! Opening checks, in this order, against one `now`: framing and lengths → issuer key id →
//! **signature** (before anything is parsed) → header → validity window → rollback → this
//! kiosk's stanza → header MAC (commits to the content key) → payload chunks → content.
//! Trusted state (the high-water mark) is written only after all of them pass.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use ring::aead::{Aad, Nonce};
use ring::digest::{digest, SHA256, SHA512};
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{UnparsedPublicKey, ED25519};
use serde::{Deserialize, Serialize};
use synaq_core::{ExamProfile, Question};
use x25519_dalek::{PublicKey as XPublic, StaticSecret};
use zeroize::Zeroizing;

use crate::container::{self, Kind};
use crate::keys::{IssuerPublic, IssuerSecret, KeyId, KioskPublic, KioskSecret};
use crate::stream::{self, aes_key, hkdf32};
use crate::trust::TrustStore;

/// The file's first bytes.
pub const MAGIC: &[u8; 8] = b"SYNAQBNK";
/// The format version this code writes and reads.
pub const FORMAT_VERSION: u8 = 1;
const PREAMBLE: usize = 8 + 1 + 8 + 4 + 8;
const SIG: usize = 64;
const SIG_DOMAIN: &[u8] = b"synaq bank v1 signature\0";
const HKDF_SALT: &[u8] = b"synaq bank v1";
const MAX_HEADER: usize = 16 * 1024 * 1024;
/// Questions per JSON shard inside the payload.
const QUESTIONS_PER_SHARD: usize = 1000;

/// Why a bank was refused. Each variant has a stable [`BankError::code`] the kiosk translates.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BankError {
    /// The file does not start with `SYNAQBNK`.
    #[error("this is not a Synaq bank file")]
    NotABank,
    /// A format version this kiosk does not know (a newer tool built it).
    #[error(
        "bank format version {0} is not supported (this kiosk reads version 1): update the kiosk"
    )]
    UnsupportedVersion(u8),
    /// Shorter than its own lengths say: the copy was cut off.
    #[error("the bank file is truncated: {actual} bytes of {expected}; copy it again")]
    Truncated { expected: u64, actual: u64 },
    /// Longer than its own lengths say.
    #[error("the bank file has {0} unexpected bytes at its end; copy it again")]
    TrailingData(u64),
    /// Signed by another issuer key than the one this kiosk trusts.
    #[error("the bank is signed by key {found}, but this kiosk trusts issuer key {expected}")]
    WrongIssuer { expected: KeyId, found: KeyId },
    /// The signature does not verify: the file was altered after ЕУМЦ signed it.
    #[error("the bank's signature is invalid: the file was altered or damaged")]
    BadSignature,
    /// The signed header does not parse (a bug in the tool that built it). Code
    /// `bank-malformed-header`.
    #[error("the bank header is malformed: {0}")]
    MalformedHeader(String),
    /// `now` is before the bank's validity window.
    #[error("the bank is not valid yet: it becomes valid at {not_before} (Unix time); check the kiosk clock")]
    NotYetValid { not_before: i64 },
    /// `now` is after the bank's validity window.
    #[error("the bank expired at {not_after} (Unix time): import a newer bank")]
    Expired { not_after: i64 },
    /// An older version than one already accepted for this series.
    #[error("bank {series} version {got} is older than version {have} already used here: rollback refused")]
    RolledBack { series: String, have: u64, got: u64 },
    /// No stanza for this kiosk.
    #[error("this bank was not issued to this kiosk ({kiosk}); ask ЕУМЦ to add it as a recipient")]
    NotARecipient { kiosk: KeyId },
    /// The stanza for this kiosk's id does not open with this kiosk's key.
    #[error("this kiosk's key does not open the bank: wrong or damaged kiosk key")]
    WrongKey,
    /// The header MAC does not match the unwrapped content key.
    #[error("the bank header does not match its content key: the bank was tampered with")]
    BadHeaderMac,
    /// A payload chunk failed authentication.
    #[error("the bank content is damaged at chunk {chunk}")]
    PayloadCorrupt { chunk: u64 },
    /// The payload ends before its last chunk.
    #[error("the bank content is cut short")]
    PayloadTruncated,
    /// The decrypted content is not a valid bank (a bug in the tool that built it). Code
    /// `bank-malformed`.
    #[error("the bank content is malformed: {0}")]
    MalformedContent(String),
    /// The exam profile inside differs from the digest in the header.
    #[error("the bank's exam profile does not match its header")]
    ProfileDigestMismatch,
    /// Saving the high-water mark failed; the bank is not marked trusted.
    #[error("cannot save the kiosk's trusted state: {0}")]
    TrustStore(String),
    /// Randomness or a key operation failed while building.
    #[error("cannot build the bank: {0}")]
    Build(String),
}

impl BankError {
    /// Every code [`BankError::code`] can return, so the kiosk can test its translations.
    pub const ALL_CODES: [&'static str; 19] = [
        "bank-not-a-bank",
        "bank-unsupported-version",
        "bank-truncated",
        "bank-trailing-data",
        "bank-wrong-issuer",
        "bank-bad-signature",
        "bank-malformed-header",
        "bank-malformed",
        "bank-not-yet-valid",
        "bank-expired",
        "bank-rolled-back",
        "bank-not-a-recipient",
        "bank-wrong-key",
        "bank-bad-header-mac",
        "bank-payload-corrupt",
        "bank-payload-truncated",
        "bank-profile-mismatch",
        "bank-trust-store",
        "bank-build",
    ];

    /// A stable code for the error (a Fluent message id on the kiosk).
    pub fn code(&self) -> &'static str {
        match self {
            BankError::NotABank => "bank-not-a-bank",
            BankError::UnsupportedVersion(_) => "bank-unsupported-version",
            BankError::Truncated { .. } => "bank-truncated",
            BankError::TrailingData(_) => "bank-trailing-data",
            BankError::WrongIssuer { .. } => "bank-wrong-issuer",
            BankError::BadSignature => "bank-bad-signature",
            BankError::MalformedHeader(_) => "bank-malformed-header",
            BankError::NotYetValid { .. } => "bank-not-yet-valid",
            BankError::Expired { .. } => "bank-expired",
            BankError::RolledBack { .. } => "bank-rolled-back",
            BankError::NotARecipient { .. } => "bank-not-a-recipient",
            BankError::WrongKey => "bank-wrong-key",
            BankError::BadHeaderMac => "bank-bad-header-mac",
            BankError::PayloadCorrupt { .. } => "bank-payload-corrupt",
            BankError::PayloadTruncated => "bank-payload-truncated",
            BankError::MalformedContent(_) => "bank-malformed",
            BankError::ProfileDigestMismatch => "bank-profile-mismatch",
            BankError::TrustStore(_) => "bank-trust-store",
            BankError::Build(_) => "bank-build",
        }
    }
}

/// Who a stanza is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Issuer,
    Kiosk,
}

/// The content key wrapped to one recipient's X25519 key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stanza {
    pub role: Role,
    /// The recipient's key id (hex).
    pub recipient: String,
    /// The ephemeral X25519 public key (base64).
    pub ephemeral: String,
    /// AES-256-GCM of the 32-byte content key (base64, 48 bytes).
    pub wrapped_key: String,
}

/// How many questions the bank holds, readable without decrypting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub questions: u32,
    pub media: u32,
    pub per_category: BTreeMap<String, u32>,
    pub per_topic: BTreeMap<String, u32>,
}

/// The signed, unencrypted header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankHeader {
    pub series: String,
    /// Monotonic within a series; a kiosk never accepts a lower one again.
    pub version: u64,
    /// Unix seconds.
    pub created: i64,
    pub not_before: i64,
    pub not_after: i64,
    /// SHA-256 (hex) of the exam profile TOML inside.
    pub profiles_digest: String,
    pub counts: Counts,
    pub stanzas: Vec<Stanza>,
    /// HMAC-SHA256 (base64) over this header with `mac` empty, keyed from the content key.
    pub mac: String,
}

/// What goes into a bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankContent {
    pub profile_toml: String,
    pub questions: Vec<Question>,
    /// Media files by path (`media/x.png`).
    pub media: BTreeMap<String, Vec<u8>>,
}

impl BankContent {
    fn counts(&self) -> Counts {
        let mut c = Counts {
            questions: self.questions.len() as u32,
            media: self.media.len() as u32,
            ..Counts::default()
        };
        for q in &self.questions {
            *c.per_topic.entry(q.topic.clone()).or_default() += 1;
            for cat in &q.categories {
                *c.per_category.entry(cat.to_string()).or_default() += 1;
            }
        }
        c
    }
}

/// The bank's identity and validity, chosen by the issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankMeta {
    pub series: String,
    pub version: u64,
    pub created: i64,
    pub not_before: i64,
    pub not_after: i64,
}

/// A bank that passed every check, decrypted in memory.
#[derive(Debug)]
pub struct OpenedBank {
    pub header: BankHeader,
    pub profile: ExamProfile,
    pub content: BankContent,
}

/// The parts of a file, located by the preamble (nothing parsed yet).
struct Framed<'a> {
    issuer: KeyId,
    signed: &'a [u8],
    header: &'a [u8],
    payload: &'a [u8],
    signature: &'a [u8],
}

fn frame(bytes: &[u8]) -> Result<Framed<'_>, BankError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(BankError::NotABank);
    }
    // The version byte decides the layout of everything after it, so it is read as soon as
    // it is there: a short file of a newer version is "unsupported", not "truncated".
    if let Some(&version) = bytes.get(MAGIC.len()) {
        if version != FORMAT_VERSION {
            return Err(BankError::UnsupportedVersion(version));
        }
    }
    if bytes.len() < PREAMBLE + SIG {
        return Err(BankError::Truncated {
            expected: (PREAMBLE + SIG) as u64,
            actual: bytes.len() as u64,
        });
    }
    let issuer = KeyId(bytes[9..17].try_into().expect("8 bytes"));
    let header_len = u64::from(u32::from_le_bytes(
        bytes[17..21].try_into().expect("4 bytes"),
    ));
    let payload_len = u64::from_le_bytes(bytes[21..29].try_into().expect("8 bytes"));
    let expected = (PREAMBLE as u64 + SIG as u64)
        .saturating_add(header_len)
        .saturating_add(payload_len);
    let actual = bytes.len() as u64;
    if actual < expected {
        return Err(BankError::Truncated { expected, actual });
    }
    if actual > expected {
        return Err(BankError::TrailingData(actual - expected));
    }
    let h_end = PREAMBLE + header_len as usize;
    let p_end = h_end + payload_len as usize;
    Ok(Framed {
        issuer,
        signed: &bytes[..p_end],
        header: &bytes[PREAMBLE..h_end],
        payload: &bytes[h_end..p_end],
        signature: &bytes[p_end..],
    })
}

fn signed_message(signed: &[u8]) -> Vec<u8> {
    let mut m = SIG_DOMAIN.to_vec();
    m.extend_from_slice(digest(&SHA512, signed).as_ref());
    m
}

fn parse_header(raw: &[u8]) -> Result<BankHeader, BankError> {
    if raw.len() > MAX_HEADER {
        return Err(BankError::MalformedHeader("header too large".into()));
    }
    serde_json::from_slice(raw).map_err(|e| BankError::MalformedHeader(e.to_string()))
}

/// Reads the header without verifying anything. For `synaq bank inspect` only: nothing in it
/// may be trusted until [`verify`] or [`open`] has checked the signature.
pub fn read_header_unverified(bytes: &[u8]) -> Result<(KeyId, BankHeader), BankError> {
    let f = frame(bytes)?;
    Ok((f.issuer, parse_header(f.header)?))
}

/// Checks framing, issuer and signature, then returns the header.
pub fn verify(bytes: &[u8], issuer: &IssuerPublic) -> Result<BankHeader, BankError> {
    let f = frame(bytes)?;
    if f.issuer != issuer.id() {
        return Err(BankError::WrongIssuer {
            expected: issuer.id(),
            found: f.issuer,
        });
    }
    UnparsedPublicKey::new(&ED25519, issuer.ed25519)
        .verify(&signed_message(f.signed), f.signature)
        .map_err(|_| BankError::BadSignature)?;
    parse_header(f.header)
}

/// The content key's derived keys.
struct Keys {
    payload: Zeroizing<[u8; 32]>,
    mac: hmac::Key,
}

fn derive(content_key: &[u8; 32]) -> Keys {
    Keys {
        payload: Zeroizing::new(hkdf32(HKDF_SALT, content_key, b"payload")),
        mac: hmac::Key::new(
            hmac::HMAC_SHA256,
            &hkdf32(HKDF_SALT, content_key, b"header mac"),
        ),
    }
}

fn mac_input(header: &BankHeader) -> Vec<u8> {
    let mut h = header.clone();
    h.mac = String::new();
    serde_json::to_vec(&h).expect("headers serialize")
}

fn wrap_key(shared: &[u8; 32], ephemeral: &[u8; 32], recipient: &[u8; 32]) -> [u8; 32] {
    let mut salt = ephemeral.to_vec();
    salt.extend_from_slice(recipient);
    hkdf32(&salt, shared, b"synaq bank v1 stanza")
}

fn make_stanza(
    role: Role,
    recipient_id: KeyId,
    recipient_x: &[u8; 32],
    content_key: &[u8; 32],
    ephemeral_secret: [u8; 32],
) -> Result<Stanza, BankError> {
    let eph = StaticSecret::from(ephemeral_secret);
    let eph_pub = XPublic::from(&eph).to_bytes();
    let shared = eph.diffie_hellman(&XPublic::from(*recipient_x));
    if !shared.was_contributory() {
        return Err(BankError::Build(format!(
            "recipient {recipient_id} has an invalid X25519 key"
        )));
    }
    let key = aes_key(&wrap_key(shared.as_bytes(), &eph_pub, recipient_x));
    let mut buf = content_key.to_vec();
    key.seal_in_place_append_tag(
        Nonce::assume_unique_for_key([0; 12]),
        Aad::from(recipient_id.0),
        &mut buf,
    )
    .map_err(|_| BankError::Build("key wrap failed".into()))?;
    Ok(Stanza {
        role,
        recipient: recipient_id.to_string(),
        ephemeral: B64.encode(eph_pub),
        wrapped_key: B64.encode(buf),
    })
}

fn unwrap_stanza(
    stanza: &Stanza,
    id: KeyId,
    secret: &StaticSecret,
) -> Result<Zeroizing<[u8; 32]>, BankError> {
    let bad = |_| BankError::WrongKey;
    let eph: [u8; 32] = B64
        .decode(&stanza.ephemeral)
        .map_err(|_| BankError::WrongKey)?
        .try_into()
        .map_err(|_| BankError::WrongKey)?;
    let mut wrapped = B64
        .decode(&stanza.wrapped_key)
        .map_err(|_| BankError::WrongKey)?;
    let shared = secret.diffie_hellman(&XPublic::from(eph));
    let me = XPublic::from(secret).to_bytes();
    let key = aes_key(&wrap_key(shared.as_bytes(), &eph, &me));
    let plain = key
        .open_in_place(
            Nonce::assume_unique_for_key([0; 12]),
            Aad::from(id.0),
            &mut wrapped,
        )
        .map_err(bad)?;
    let ck: [u8; 32] = plain.try_into().map_err(|_| BankError::WrongKey)?;
    Ok(Zeroizing::new(ck))
}

/// Wraps a 32-byte key to an X25519 public key with the bank's stanza construction (ephemeral
/// X25519, HKDF-SHA256 "synaq bank v1 stanza", AES-256-GCM with the recipient id as AAD), for
/// other formats that seal to a key they cannot open themselves (webcam evidence). The
/// returned stanza's `role` is [`Role::Issuer`]: the stanza is for the central side, not a kiosk.
pub fn wrap_key_to(
    recipient_id: KeyId,
    recipient_x25519: &[u8; 32],
    key: &[u8; 32],
) -> Result<Stanza, BankError> {
    let mut eph = Zeroizing::new([0u8; 32]);
    SystemRandom::new()
        .fill(&mut *eph)
        .map_err(|_| BankError::Build("the system random generator failed".into()))?;
    make_stanza(Role::Issuer, recipient_id, recipient_x25519, key, *eph)
}

/// Unwraps a key wrapped by [`wrap_key_to`] with the recipient's X25519 secret.
pub fn unwrap_key_with(
    stanza: &Stanza,
    recipient_id: KeyId,
    secret: &StaticSecret,
) -> Result<Zeroizing<[u8; 32]>, BankError> {
    unwrap_stanza(stanza, recipient_id, secret)
}

/// Random bytes for a build: the system's, or derived from a seed for golden vectors.
enum Entropy {
    System(SystemRandom),
    Seeded { seed: [u8; 32], counter: u32 },
}

impl Entropy {
    fn next(&mut self) -> Result<[u8; 32], BankError> {
        match self {
            Entropy::System(rng) => {
                let mut b = [0u8; 32];
                rng.fill(&mut b)
                    .map_err(|_| BankError::Build("the system random generator failed".into()))?;
                Ok(b)
            }
            Entropy::Seeded { seed, counter } => {
                *counter += 1;
                Ok(stream::derive32(seed, &counter.to_be_bytes()))
            }
        }
    }
}

fn assemble(
    issuer: &IssuerSecret,
    mut header: BankHeader,
    keys: &Keys,
    payload: &[u8],
) -> Result<Vec<u8>, BankError> {
    header.mac = B64.encode(hmac::sign(&keys.mac, &mac_input(&header)).as_ref());
    let header_bytes = serde_json::to_vec(&header).expect("headers serialize");
    let header_len = u32::try_from(header_bytes.len())
        .map_err(|_| BankError::Build("header too large".into()))?;
    let mut out = Vec::with_capacity(PREAMBLE + header_bytes.len() + payload.len() + SIG);
    out.extend_from_slice(MAGIC);
    out.push(FORMAT_VERSION);
    out.extend_from_slice(&issuer.id().0);
    out.extend_from_slice(&header_len.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&header_bytes);
    out.extend_from_slice(payload);
    let sig = issuer.ed25519().sign(&signed_message(&out));
    out.extend_from_slice(sig.as_ref());
    Ok(out)
}

fn build_with(
    content: &BankContent,
    meta: &BankMeta,
    issuer: &IssuerSecret,
    recipients: &[KioskPublic],
    mut entropy: Entropy,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Vec<u8>, BankError> {
    let content_key = Zeroizing::new(entropy.next()?);
    let keys = derive(&content_key);
    // Questions go in shards so the kiosk can parse them on every core.
    let shards: Vec<(String, Vec<u8>)> = content
        .questions
        .chunks(QUESTIONS_PER_SHARD)
        .enumerate()
        .map(|(i, qs)| {
            let json = serde_json::to_vec(qs).expect("questions serialize");
            (format!("questions-{i:04}.json"), json)
        })
        .collect();
    let mut entries: Vec<(Kind, &str, &[u8])> = vec![(
        Kind::Profile,
        "profile.toml",
        content.profile_toml.as_bytes(),
    )];
    for (name, json) in &shards {
        entries.push((Kind::Questions, name, json));
    }
    for (name, data) in &content.media {
        entries.push((Kind::Media, name, data));
    }
    let plain = Zeroizing::new(container::write(&entries));
    let payload = stream::seal(&keys.payload, &plain, progress);
    let ip = issuer.public();
    let mut stanzas = vec![make_stanza(
        Role::Issuer,
        ip.id(),
        &ip.x25519,
        &content_key,
        entropy.next()?,
    )?];
    for r in recipients {
        stanzas.push(make_stanza(
            Role::Kiosk,
            r.id(),
            &r.x25519,
            &content_key,
            entropy.next()?,
        )?);
    }
    let header = BankHeader {
        series: meta.series.clone(),
        version: meta.version,
        created: meta.created,
        not_before: meta.not_before,
        not_after: meta.not_after,
        profiles_digest: hex::encode(digest(&SHA256, content.profile_toml.as_bytes())),
        counts: content.counts(),
        stanzas,
        mac: String::new(),
    };
    assemble(issuer, header, &keys, &payload)
}

/// Builds a bank for `recipients` (plus the issuer's own stanza, for `add_recipient`).
/// `progress(done, total)` is called as payload bytes are sealed.
pub fn build(
    content: &BankContent,
    meta: &BankMeta,
    issuer: &IssuerSecret,
    recipients: &[KioskPublic],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Vec<u8>, BankError> {
    let entropy = Entropy::System(SystemRandom::new());
    build_with(content, meta, issuer, recipients, entropy, progress)
}

/// Builds a bank whose every random byte comes from `seed`: the output is reproducible.
/// For golden test vectors only; a real bank must use [`build`].
#[doc(hidden)]
pub fn build_seeded(
    content: &BankContent,
    meta: &BankMeta,
    issuer: &IssuerSecret,
    recipients: &[KioskPublic],
    seed: [u8; 32],
) -> Result<Vec<u8>, BankError> {
    let entropy = Entropy::Seeded { seed, counter: 0 };
    build_with(content, meta, issuer, recipients, entropy, &mut |_, _| {})
}

/// Adds a kiosk to a bank's recipients: the content key is unwrapped with the issuer's key and
/// wrapped again for the kiosk; the payload is copied as it is, not re-encrypted.
pub fn add_recipient(
    bytes: &[u8],
    issuer: &IssuerSecret,
    recipient: &KioskPublic,
) -> Result<Vec<u8>, BankError> {
    let mut header = verify(bytes, &issuer.public())?;
    let id = issuer.id();
    let stanza = header
        .stanzas
        .iter()
        .find(|s| s.role == Role::Issuer && s.recipient == id.to_string())
        .ok_or(BankError::NotARecipient { kiosk: id })?;
    let content_key = unwrap_stanza(stanza, id, issuer.x25519())?;
    let keys = derive(&content_key);
    check_mac(&header, &keys)?;
    let rid = recipient.id().to_string();
    if header.stanzas.iter().any(|s| s.recipient == rid) {
        return Ok(bytes.to_vec());
    }
    let mut eph = [0u8; 32];
    SystemRandom::new()
        .fill(&mut eph)
        .map_err(|_| BankError::Build("the system random generator failed".into()))?;
    header.stanzas.push(make_stanza(
        Role::Kiosk,
        recipient.id(),
        &recipient.x25519,
        &content_key,
        eph,
    )?);
    let payload = frame(bytes)?.payload;
    assemble(issuer, header, &keys, payload)
}

fn check_mac(header: &BankHeader, keys: &Keys) -> Result<(), BankError> {
    let mac = B64
        .decode(&header.mac)
        .map_err(|_| BankError::BadHeaderMac)?;
    hmac::verify(&keys.mac, &mac_input(header), &mac).map_err(|_| BankError::BadHeaderMac)
}

/// Opens a bank on a kiosk: every check in order, then records the high-water mark.
pub fn open(
    bytes: &[u8],
    issuer: &IssuerPublic,
    kiosk: &KioskSecret,
    now: i64,
    trust: &mut dyn TrustStore,
) -> Result<OpenedBank, BankError> {
    let opened = open_unrecorded(bytes, issuer, kiosk, now, trust)?;
    trust
        .record(&opened.header.series, opened.header.version)
        .map_err(|e| BankError::TrustStore(e.to_string()))?;
    Ok(opened)
}

/// The validity window check of [`open`]: `now` (Unix seconds) must lie within
/// `not_before ..= not_after`. For a header [`verify`] returned; [`open`] applies it itself.
pub fn check_validity(header: &BankHeader, now: i64) -> Result<(), BankError> {
    if now < header.not_before {
        return Err(BankError::NotYetValid {
            not_before: header.not_before,
        });
    }
    if now > header.not_after {
        return Err(BankError::Expired {
            not_after: header.not_after,
        });
    }
    Ok(())
}

/// Every check of [`open`] without writing trusted state (`synaq bank verify`).
pub fn open_unrecorded(
    bytes: &[u8],
    issuer: &IssuerPublic,
    kiosk: &KioskSecret,
    now: i64,
    trust: &dyn TrustStore,
) -> Result<OpenedBank, BankError> {
    let header = verify(bytes, issuer)?;
    check_validity(&header, now)?;
    if let Some(have) = trust.high_water(&header.series) {
        if header.version < have {
            return Err(BankError::RolledBack {
                series: header.series.clone(),
                have,
                got: header.version,
            });
        }
    }
    let id = kiosk.id();
    let stanza = header
        .stanzas
        .iter()
        .find(|s| s.role == Role::Kiosk && s.recipient == id.to_string())
        .ok_or(BankError::NotARecipient { kiosk: id })?;
    let content_key = unwrap_stanza(stanza, id, kiosk.x25519())?;
    let keys = derive(&content_key);
    check_mac(&header, &keys)?;
    let payload = frame(bytes)?.payload;
    let plain = Zeroizing::new(stream::open(&keys.payload, payload).map_err(|e| match e {
        stream::OpenError::Chunk(chunk) => BankError::PayloadCorrupt { chunk },
        stream::OpenError::Truncated => BankError::PayloadTruncated,
    })?);
    let (content, profile) = read_content(&plain, Some(&header.profiles_digest))?;
    Ok(OpenedBank {
        header,
        profile,
        content,
    })
}

/// The decrypted payload → content and exam profile, checking the profile against the header's
/// digest when one is given.
fn read_content(
    plain: &[u8],
    profiles_digest: Option<&str>,
) -> Result<(BankContent, ExamProfile), BankError> {
    let content = parse_content(plain)?;
    let digest_hex = hex::encode(digest(&SHA256, content.profile_toml.as_bytes()));
    if profiles_digest.is_some_and(|d| d != digest_hex) {
        return Err(BankError::ProfileDigestMismatch);
    }
    let profile = ExamProfile::from_toml(&content.profile_toml)
        .map_err(|e| BankError::MalformedContent(e.to_string()))?;
    Ok((content, profile))
}

/// Parses a decrypted payload (the content container, its question shards and the exam
/// profile) as [`open`] does after every cryptographic check has passed. For the fuzz target
/// that reaches the content parser, which random bytes never reach through [`open`]; a kiosk
/// must use [`open`].
#[doc(hidden)]
pub fn parse_decrypted_for_fuzzing(plain: &[u8]) -> Result<(BankContent, ExamProfile), BankError> {
    read_content(plain, None)
}

fn parse_content(plain: &[u8]) -> Result<BankContent, BankError> {
    let bad = BankError::MalformedContent;
    let mut profile = None;
    let mut shards: Vec<&[u8]> = Vec::new();
    let mut media: Vec<(&str, &[u8])> = Vec::new();
    for e in container::read(plain).map_err(bad)? {
        match e.kind {
            Kind::Profile => {
                profile = Some(
                    String::from_utf8(e.data.to_vec())
                        .map_err(|_| bad("profile is not UTF-8".into()))?,
                )
            }
            Kind::Questions => shards.push(e.data),
            Kind::Media => media.push((e.name, e.data)),
        }
    }
    if shards.is_empty() {
        return Err(bad("no questions".into()));
    }
    let profile_toml = profile.ok_or_else(|| bad("no exam profile".into()))?;
    // Media are copied out while other threads parse the questions (a later entry of the same
    // name replaces an earlier one).
    let (questions, media) = parse_shards(&shards, || {
        media
            .iter()
            .map(|(name, data)| ((*name).to_owned(), data.to_vec()))
            .collect::<BTreeMap<_, _>>()
    });
    Ok(BankContent {
        profile_toml,
        questions: questions?,
        media,
    })
}

/// Parses and validates question shards on every available core, keeping their order, while
/// the calling thread first does `alongside` and then joins in. Each thread takes the next
/// shard not yet taken, so the work evens out. The error is the one of the first bad shard.
fn parse_shards<T>(
    shards: &[&[u8]],
    alongside: impl FnOnce() -> T,
) -> (Result<Vec<Question>, BankError>, T) {
    let parse = |json: &[u8]| -> Result<Vec<Question>, BankError> {
        let qs: Vec<Question> =
            serde_json::from_slice(json).map_err(|e| BankError::MalformedContent(e.to_string()))?;
        for q in &qs {
            q.validate()
                .map_err(|e| BankError::MalformedContent(e.to_string()))?;
        }
        Ok(qs)
    };
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(json) = shards.get(i) else {
                return done;
            };
            done.push((i, parse(json)));
        }
    };
    let helpers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(shards.len())
        .saturating_sub(1);
    let (mut parsed, side) = std::thread::scope(|s| {
        let handles: Vec<_> = (0..helpers).map(|_| s.spawn(work)).collect();
        let side = alongside();
        let mut parsed = work();
        for h in handles {
            parsed.extend(h.join().expect("question parsing does not panic"));
        }
        (parsed, side)
    });
    parsed.sort_by_key(|(i, _)| *i);
    let mut out = Vec::new();
    for (_, qs) in parsed {
        match qs {
            Ok(qs) => out.extend(qs),
            Err(e) => return (Err(e), side),
        }
    }
    (Ok(out), side)
}

/// Re-signs a header and payload as given: lets tests craft banks that are signed but wrong
/// inside (bad MAC, damaged chunk), which no honest builder produces.
#[doc(hidden)]
pub fn resign_for_tests(
    bytes: &[u8],
    issuer: &IssuerSecret,
    edit: impl FnOnce(&mut BankHeader, &mut Vec<u8>),
) -> Vec<u8> {
    let f = frame(bytes).expect("a framed bank");
    let mut header = parse_header(f.header).expect("a header");
    let mut payload = f.payload.to_vec();
    edit(&mut header, &mut payload);
    let header_bytes = serde_json::to_vec(&header).expect("headers serialize");
    sign_raw_for_tests(issuer, &header_bytes, &payload)
}

/// Frames any header and payload bytes as a version-1 bank from `issuer` and signs them: the
/// file passes framing, issuer and signature checks whatever the bytes are. For tests and the
/// fuzz target that reaches the parsers behind the signature; no honest builder needs it.
#[doc(hidden)]
pub fn sign_raw_for_tests(issuer: &IssuerSecret, header: &[u8], payload: &[u8]) -> Vec<u8> {
    let header_len = u32::try_from(header.len()).expect("a test header under 4 GiB");
    let mut out = Vec::with_capacity(PREAMBLE + header.len() + payload.len() + SIG);
    out.extend_from_slice(MAGIC);
    out.push(FORMAT_VERSION);
    out.extend_from_slice(&issuer.id().0);
    out.extend_from_slice(&header_len.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(header);
    out.extend_from_slice(payload);
    let sig = issuer.ed25519().sign(&signed_message(&out));
    out.extend_from_slice(sig.as_ref());
    out
}
