//! Sealed webcam evidence (format version 1; spec in `docs/formats/evidence.md`).
//!
//! A per-exam random key `K` is wrapped to ЕУМЦ's evidence X25519 key with the bank's stanza
//! construction (`synaq_seal::bank::wrap_key_to`), then forgotten when the writer is dropped:
//! the kiosk can write frames but never read them back. Each frame is sealed with AES-256-GCM
//! under `HKDF(K)`, with its index and the previous chain link as associated data, and the
//! frames' SHA-256 hashes form a chain whose head goes into the signed result.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
use ring::digest::{Context, SHA256};
use ring::hkdf;
use ring::rand::{SecureRandom, SystemRandom};
use serde::{Deserialize, Serialize};
use synaq_seal::bank::{self, Role, Stanza};
use synaq_seal::KeyId;
use x25519_dalek::{PublicKey as XPublic, StaticSecret};
use zeroize::Zeroizing;

use crate::frame::{Frame, FrameHash, PixelFormat};

/// The format version this code writes and reads.
pub const FORMAT_VERSION: u32 = 1;
const HEADER_FILE: &str = "evidence.json";
const FRAMES_DIR: &str = "frames";
const FRAME_EXT: &str = "sef";
const HKDF_SALT: &[u8] = b"synaq evidence v1";
const GENESIS: &[u8] = b"synaq evidence v1 genesis\0";
const LINK: &[u8] = b"synaq evidence v1 link\0";
const AAD: &[u8] = b"synaq evidence v1 frame\0";
const MAX_META: usize = 4096;

/// ЕУМЦ's evidence public key (X25519): kiosks seal to it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct EvidencePublic(pub [u8; 32]);

impl EvidencePublic {
    /// First 8 bytes of SHA-256("synaq evidence" ‖ key).
    pub fn id(&self) -> KeyId {
        let mut c = Context::new(&SHA256);
        c.update(b"synaq evidence");
        c.update(&self.0);
        KeyId(c.finish().as_ref()[..8].try_into().expect("8 bytes"))
    }

    /// Base64 of the 32 bytes (for configuration files).
    pub fn to_base64(&self) -> String {
        B64.encode(self.0)
    }

    /// Parses base64 of 32 bytes.
    pub fn from_base64(s: &str) -> Option<EvidencePublic> {
        Some(EvidencePublic(B64.decode(s.trim()).ok()?.try_into().ok()?))
    }
}

impl fmt::Debug for EvidencePublic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EvidencePublic({})", self.id())
    }
}

/// ЕУМЦ's evidence secret key: opens evidence. Never on a kiosk. `Debug` shows the id only.
pub struct EvidenceSecret(StaticSecret);

impl EvidenceSecret {
    /// A new random key.
    pub fn generate() -> Result<EvidenceSecret, EvidenceError> {
        let mut b = Zeroizing::new([0u8; 32]);
        SystemRandom::new()
            .fill(&mut *b)
            .map_err(|_| EvidenceError::Random)?;
        Ok(EvidenceSecret(StaticSecret::from(*b)))
    }

    /// From the 32 secret bytes.
    pub fn from_bytes(b: [u8; 32]) -> EvidenceSecret {
        EvidenceSecret(StaticSecret::from(b))
    }

    /// The 32 secret bytes (to store in ЕУМЦ's key file).
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// The public half.
    pub fn public(&self) -> EvidencePublic {
        EvidencePublic(XPublic::from(&self.0).to_bytes())
    }
}

impl fmt::Debug for EvidenceSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EvidenceSecret({})", self.public().id())
    }
}

/// Why evidence cannot be written or does not verify.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvidenceError {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The directory already holds evidence: never overwritten.
    #[error("{0} already holds evidence; use a new directory for each attempt")]
    Exists(String),
    /// The system random generator failed.
    #[error("the system random generator failed")]
    Random,
    /// The header is missing fields or not JSON.
    #[error("the evidence header is damaged: {0}")]
    BadHeader(String),
    /// A format version this code does not read.
    #[error("evidence format {0} is not supported by this version of Synaq")]
    UnsupportedVersion(u32),
    /// The evidence was sealed to another evidence key.
    #[error("this evidence is sealed to key {found}, not to {expected}")]
    WrongKey {
        /// The key given.
        expected: KeyId,
        /// The key in the header.
        found: String,
    },
    /// The per-exam key does not unwrap: the header was altered.
    #[error("the evidence key does not unwrap: the header was altered")]
    Unwrap,
    /// A frame file is missing in the sequence (dropped).
    #[error("frame {0} is missing: evidence was removed")]
    Missing(u64),
    /// A frame does not open at its place in the chain: replaced, swapped, reordered or damaged.
    #[error(
        "frame {0} does not open at its place in the chain: it was replaced, moved or damaged"
    )]
    Tampered(u64),
    /// A file in the frames directory that is not a frame.
    #[error("unexpected file in the evidence: {0}")]
    Stray(String),
    /// The chain does not end at the head signed in the result (frames added or cut off).
    #[error("the evidence chain ends at {found}, but the signed result says {expected}")]
    HeadMismatch {
        /// From the signed result.
        expected: ChainHead,
        /// Recomputed from the frames.
        found: ChainHead,
    },
}

/// The chain's state after `frames` frames: what the signed result records.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChainHead {
    /// Frames in the chain.
    pub frames: u64,
    /// The last link (the genesis link when there are no frames).
    pub link: [u8; 32],
}

impl fmt::Display for ChainHead {
    /// `FRAMES:HEX`, as it goes into the result record.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.frames, hex::encode(self.link))
    }
}

impl fmt::Debug for ChainHead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChainHead({self})")
    }
}

impl FromStr for ChainHead {
    type Err = EvidenceError;
    fn from_str(s: &str) -> Result<ChainHead, EvidenceError> {
        let bad = || EvidenceError::BadHeader(format!("not a chain head: {s}"));
        let (n, h) = s.split_once(':').ok_or_else(bad)?;
        Ok(ChainHead {
            frames: n.parse().map_err(|_| bad())?,
            link: hex::decode(h)
                .ok()
                .and_then(|v| v.try_into().ok())
                .ok_or_else(bad)?,
        })
    }
}

/// `evidence.json`. Wire format: do not change fields without a new `format` number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format: u32,
    attempt: String,
    /// Evidence key id (hex).
    recipient: String,
    /// The per-exam key wrapped to the evidence key (base64 fields, as in bank stanzas).
    ephemeral: String,
    wrapped_key: String,
    created_ms: i64,
}

/// What is sealed before a frame's bytes. Wire format: do not change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrameMeta {
    index: u64,
    format: PixelFormat,
    width: u32,
    height: u32,
    captured_ms: i64,
}

fn unix_ms(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_millis() as i64,
        Err(e) => -(e.duration().as_millis() as i64),
    }
}

fn from_unix_ms(ms: i64) -> SystemTime {
    if ms >= 0 {
        UNIX_EPOCH + Duration::from_millis(ms as u64)
    } else {
        UNIX_EPOCH - Duration::from_millis(ms.unsigned_abs())
    }
}

struct Len32;
impl hkdf::KeyType for Len32 {
    fn len(&self) -> usize {
        32
    }
}

fn frame_key(k: &[u8; 32]) -> LessSafeKey {
    let mut out = Zeroizing::new([0u8; 32]);
    hkdf::Salt::new(hkdf::HKDF_SHA256, HKDF_SALT)
        .extract(k)
        .expand(&[b"frames"], Len32)
        .expect("32 bytes is a valid HKDF length")
        .fill(&mut *out)
        .expect("32 bytes is a valid HKDF length");
    LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &*out).expect("32-byte key"))
}

fn genesis(h: &Header) -> [u8; 32] {
    let mut c = Context::new(&SHA256);
    c.update(GENESIS);
    for part in [&h.attempt, &h.recipient, &h.ephemeral, &h.wrapped_key] {
        c.update(&(part.len() as u32).to_be_bytes());
        c.update(part.as_bytes());
    }
    c.finish().as_ref().try_into().expect("32 bytes")
}

fn link(prev: &[u8; 32], index: u64, frame: &FrameHash) -> [u8; 32] {
    let mut c = Context::new(&SHA256);
    c.update(LINK);
    c.update(prev);
    c.update(&index.to_be_bytes());
    c.update(&frame.0);
    c.finish().as_ref().try_into().expect("32 bytes")
}

fn nonce(index: u64) -> Nonce {
    let mut n = [0u8; 12];
    n[4..].copy_from_slice(&index.to_be_bytes());
    Nonce::assume_unique_for_key(n)
}

fn aad(index: u64, prev: &[u8; 32]) -> Vec<u8> {
    let mut a = AAD.to_vec();
    a.extend_from_slice(&index.to_be_bytes());
    a.extend_from_slice(prev);
    a
}

fn frame_path(dir: &Path, index: u64) -> PathBuf {
    dir.join(FRAMES_DIR).join(format!("{index:08}.{FRAME_EXT}"))
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> EvidenceError + '_ {
    move |source| EvidenceError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Writes a file durably (`synaq_seal::fs`): temporary name `NAME.tmp` (recovery and sync
/// skip those), fsync, rename, fsync of the directory.
fn write_durable(path: &Path, bytes: &[u8]) -> Result<(), EvidenceError> {
    let options = synaq_seal::fs::WriteOptions {
        temp: Some(path.with_extension("tmp")),
        ..Default::default()
    };
    synaq_seal::fs::write_atomic_with(path, bytes, &options).map_err(io(path))
}

/// After a crash: removes the frames of the segment in `dir` from index `keep` on, so the
/// segment matches the last head the kiosk recorded (a frame sealed in the instant before the
/// crash, whose head never reached the store, would otherwise make the chain disagree with the
/// signed result). Returns how many frame files were removed.
pub fn truncate_segment(dir: &Path, keep: u64) -> Result<u64, EvidenceError> {
    let mut removed = 0;
    let mut index = keep;
    loop {
        let p = frame_path(dir, index);
        match std::fs::remove_file(&p) {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
            Err(e) => return Err(io(&p)(e)),
        }
        index += 1;
    }
    // Leftover temporary files of an interrupted write.
    if let Ok(entries) = std::fs::read_dir(dir.join(FRAMES_DIR)) {
        for e in entries.flatten() {
            if e.path().extension().is_some_and(|x| x == "tmp") {
                std::fs::remove_file(e.path()).map_err(io(&e.path()))?;
            }
        }
    }
    Ok(removed)
}

/// Seals one attempt's frames on the kiosk. Holds the per-exam key in memory only.
pub struct EvidenceWriter {
    dir: PathBuf,
    key: LessSafeKey,
    head: ChainHead,
}

impl fmt::Debug for EvidenceWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EvidenceWriter")
            .field("dir", &self.dir)
            .field("head", &self.head)
            .finish()
    }
}

impl EvidenceWriter {
    /// Starts the evidence of `attempt` in `dir` (created; must not hold evidence already).
    pub fn new(
        dir: &Path,
        attempt: &str,
        evidence_pub: &EvidencePublic,
    ) -> Result<EvidenceWriter, EvidenceError> {
        let header_path = dir.join(HEADER_FILE);
        if header_path.exists() {
            return Err(EvidenceError::Exists(dir.display().to_string()));
        }
        let frames = dir.join(FRAMES_DIR);
        std::fs::create_dir_all(&frames).map_err(io(&frames))?;
        let mut k = Zeroizing::new([0u8; 32]);
        SystemRandom::new()
            .fill(&mut *k)
            .map_err(|_| EvidenceError::Random)?;
        let id = evidence_pub.id();
        let stanza = bank::wrap_key_to(id, &evidence_pub.0, &k)
            .map_err(|e| EvidenceError::BadHeader(e.to_string()))?;
        let header = Header {
            format: FORMAT_VERSION,
            attempt: attempt.to_owned(),
            recipient: id.to_string(),
            ephemeral: stanza.ephemeral,
            wrapped_key: stanza.wrapped_key,
            created_ms: unix_ms(SystemTime::now()),
        };
        let json = serde_json::to_vec_pretty(&header).expect("headers serialize");
        write_durable(&header_path, &json)?;
        Ok(EvidenceWriter {
            dir: dir.to_owned(),
            key: frame_key(&k),
            head: ChainHead {
                frames: 0,
                link: genesis(&header),
            },
        })
    }

    /// Seals a frame as the next in the chain; returns its SHA-256 (the hash incidents name).
    pub fn append(&mut self, frame: &Frame) -> Result<FrameHash, EvidenceError> {
        let index = self.head.frames;
        let hash = frame.hash();
        let meta = serde_json::to_vec(&FrameMeta {
            index,
            format: frame.format,
            width: frame.width,
            height: frame.height,
            captured_ms: unix_ms(frame.captured_at),
        })
        .expect("metadata serializes");
        let mut buf = Vec::with_capacity(4 + meta.len() + frame.bytes.len() + 16);
        buf.extend_from_slice(&(meta.len() as u32).to_be_bytes());
        buf.extend_from_slice(&meta);
        buf.extend_from_slice(&frame.bytes);
        self.key
            .seal_in_place_append_tag(
                nonce(index),
                Aad::from(aad(index, &self.head.link)),
                &mut buf,
            )
            .expect("a frame is within AES-GCM limits");
        write_durable(&frame_path(&self.dir, index), &buf)?;
        self.head = ChainHead {
            frames: index + 1,
            link: link(&self.head.link, index, &hash),
        };
        Ok(hash)
    }

    /// The chain head after the frames appended so far: put it in the signed result.
    pub fn head(&self) -> ChainHead {
        self.head
    }

    /// The evidence directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// One opened frame.
#[derive(Debug, Clone)]
pub struct EvidenceFrame {
    /// Position in the chain, from 0.
    pub index: u64,
    /// The frame as captured.
    pub frame: Frame,
    /// SHA-256 of its bytes.
    pub hash: FrameHash,
}

/// ЕУМЦ's side: opens an attempt's evidence with the evidence secret and verifies the chain.
#[derive(Debug)]
pub struct EvidenceReader {
    attempt: String,
    created: SystemTime,
    frames: Vec<EvidenceFrame>,
    head: ChainHead,
}

impl EvidenceReader {
    /// Opens and verifies every frame: a missing, swapped, reordered or replaced frame is an
    /// error. Frames cut off at the end (or added) are found by [`EvidenceReader::verify_head`]
    /// against the head in the signed result.
    pub fn open(
        dir: &Path,
        evidence_secret: &EvidenceSecret,
    ) -> Result<EvidenceReader, EvidenceError> {
        let hp = dir.join(HEADER_FILE);
        let raw = std::fs::read(&hp).map_err(io(&hp))?;
        let header: Header =
            serde_json::from_slice(&raw).map_err(|e| EvidenceError::BadHeader(e.to_string()))?;
        if header.format != FORMAT_VERSION {
            return Err(EvidenceError::UnsupportedVersion(header.format));
        }
        let id = evidence_secret.public().id();
        if header.recipient != id.to_string() {
            return Err(EvidenceError::WrongKey {
                expected: id,
                found: header.recipient,
            });
        }
        let stanza = Stanza {
            role: Role::Issuer,
            recipient: header.recipient.clone(),
            ephemeral: header.ephemeral.clone(),
            wrapped_key: header.wrapped_key.clone(),
        };
        let k = bank::unwrap_key_with(&stanza, id, &evidence_secret.0)
            .map_err(|_| EvidenceError::Unwrap)?;
        let key = frame_key(&k);

        let fd = dir.join(FRAMES_DIR);
        let mut indices = Vec::new();
        for e in std::fs::read_dir(&fd).map_err(io(&fd))? {
            let p = e.map_err(io(&fd))?.path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let idx = name
                .strip_suffix(&format!(".{FRAME_EXT}"))
                .filter(|s| s.len() == 8)
                .and_then(|s| s.parse::<u64>().ok())
                .ok_or_else(|| EvidenceError::Stray(name.to_owned()))?;
            indices.push(idx);
        }
        indices.sort_unstable();
        let mut head = ChainHead {
            frames: 0,
            link: genesis(&header),
        };
        let mut frames = Vec::with_capacity(indices.len());
        for (want, &got) in indices.iter().enumerate() {
            let want = want as u64;
            if got != want {
                return Err(EvidenceError::Missing(want));
            }
            let p = frame_path(dir, want);
            let mut buf = std::fs::read(&p).map_err(io(&p))?;
            let plain = key
                .open_in_place(nonce(want), Aad::from(aad(want, &head.link)), &mut buf)
                .map_err(|_| EvidenceError::Tampered(want))?;
            let frame = parse_plain(plain, want)?;
            let hash = frame.hash();
            head = ChainHead {
                frames: want + 1,
                link: link(&head.link, want, &hash),
            };
            frames.push(EvidenceFrame {
                index: want,
                frame,
                hash,
            });
        }
        Ok(EvidenceReader {
            attempt: header.attempt,
            created: from_unix_ms(header.created_ms),
            frames,
            head,
        })
    }

    /// Checks the recomputed head against the one in the signed result.
    pub fn verify_head(&self, expected: &ChainHead) -> Result<(), EvidenceError> {
        if *expected != self.head {
            return Err(EvidenceError::HeadMismatch {
                expected: *expected,
                found: self.head,
            });
        }
        Ok(())
    }

    /// The attempt id written by the kiosk.
    pub fn attempt(&self) -> &str {
        &self.attempt
    }

    /// When the kiosk started the evidence (its wall clock).
    pub fn created(&self) -> SystemTime {
        self.created
    }

    /// The frames, in chain order.
    pub fn frames(&self) -> &[EvidenceFrame] {
        &self.frames
    }

    /// The recomputed chain head.
    pub fn head(&self) -> ChainHead {
        self.head
    }
}

fn parse_plain(plain: &[u8], index: u64) -> Result<Frame, EvidenceError> {
    let bad = || EvidenceError::Tampered(index);
    let len = u32::from_be_bytes(plain.get(..4).ok_or_else(bad)?.try_into().expect("4")) as usize;
    if len > MAX_META || plain.len() < 4 + len {
        return Err(bad());
    }
    let meta: FrameMeta = serde_json::from_slice(&plain[4..4 + len]).map_err(|_| bad())?;
    if meta.index != index {
        return Err(bad());
    }
    Ok(Frame {
        bytes: plain[4 + len..].to_vec(),
        format: meta.format,
        width: meta.width,
        height: meta.height,
        captured_at: from_unix_ms(meta.captured_ms),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(n: u8) -> Frame {
        Frame {
            bytes: vec![n; 100 + usize::from(n)],
            format: PixelFormat::Rgb8,
            width: 1,
            height: 1,
            captured_at: UNIX_EPOCH + Duration::from_millis(1_700_000_000_000 + u64::from(n)),
        }
    }

    #[test]
    fn round_trip_and_head() {
        let dir = tempfile::tempdir().unwrap();
        let sk = EvidenceSecret::generate().unwrap();
        let mut w = EvidenceWriter::new(dir.path(), "att-1", &sk.public()).unwrap();
        let empty = w.head();
        let hashes: Vec<_> = (0..3).map(|n| w.append(&frame(n)).unwrap()).collect();
        let head = w.head();
        assert_eq!(head.frames, 3);
        assert_ne!(head, empty);
        drop(w);
        let r = EvidenceReader::open(dir.path(), &sk).unwrap();
        r.verify_head(&head).unwrap();
        assert_eq!(r.attempt(), "att-1");
        for (f, h) in r.frames().iter().zip(&hashes) {
            assert_eq!(f.hash, *h);
            assert_eq!(f.frame, frame(f.index as u8));
        }
        assert_eq!(head.to_string().parse::<ChainHead>().unwrap(), head);
    }

    #[test]
    fn a_segment_cut_back_to_the_recorded_head_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let sk = EvidenceSecret::generate().unwrap();
        let mut w = EvidenceWriter::new(dir.path(), "att-2", &sk.public()).unwrap();
        w.append(&frame(0)).unwrap();
        w.append(&frame(1)).unwrap();
        let recorded = w.head();
        // Sealed, then the kiosk died before the head was stored.
        w.append(&frame(2)).unwrap();
        drop(w);
        let r = EvidenceReader::open(dir.path(), &sk).unwrap();
        assert!(matches!(
            r.verify_head(&recorded),
            Err(EvidenceError::HeadMismatch { expected, .. }) if expected == recorded
        ));
        assert_eq!(truncate_segment(dir.path(), recorded.frames).unwrap(), 1);
        let r = EvidenceReader::open(dir.path(), &sk).unwrap();
        r.verify_head(&recorded).unwrap();
        assert_eq!(truncate_segment(dir.path(), recorded.frames).unwrap(), 0);
    }

    #[test]
    fn another_key_cannot_open_and_a_second_writer_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let sk = EvidenceSecret::generate().unwrap();
        let mut w = EvidenceWriter::new(dir.path(), "a", &sk.public()).unwrap();
        w.append(&frame(1)).unwrap();
        let other = EvidenceSecret::generate().unwrap();
        assert!(matches!(
            EvidenceReader::open(dir.path(), &other),
            Err(EvidenceError::WrongKey { .. })
        ));
        assert!(matches!(
            EvidenceWriter::new(dir.path(), "a", &sk.public()),
            Err(EvidenceError::Exists(_))
        ));
    }

    #[test]
    fn an_edited_header_does_not_unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let sk = EvidenceSecret::generate().unwrap();
        EvidenceWriter::new(dir.path(), "a", &sk.public()).unwrap();
        let p = dir.path().join(HEADER_FILE);
        let mut h: Header = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
        let mut w = B64.decode(&h.wrapped_key).unwrap();
        w[0] ^= 1;
        h.wrapped_key = B64.encode(w);
        std::fs::write(&p, serde_json::to_vec(&h).unwrap()).unwrap();
        assert!(matches!(
            EvidenceReader::open(dir.path(), &sk),
            Err(EvidenceError::Unwrap)
        ));
    }

    #[test]
    fn secrets_are_not_in_debug() {
        let sk = EvidenceSecret::from_bytes([3; 32]);
        let s = format!("{sk:?}");
        assert!(s.starts_with("EvidenceSecret(") && !s.contains("[3"), "{s}");
    }
}
