//! Sealed webcam evidence on its way to ЕУМЦ: the resumable upload's messages, the path and
//! manifest rules both sides apply, the signed evidence receipt, and ЕУМЦ's evidence key files.
//!
//! One attempt's evidence is a directory of **segments** `1/`, `2/`, … (a new one each time the
//! kiosk restarted mid-exam), each exactly what `synaq_proctor::EvidenceWriter` writes:
//! `N/evidence.json` and `N/frames/00000000.sef`, … (`docs/formats/evidence.md`). The result's
//! `evidence_head` lists the segments' chain heads in order, joined by single spaces.
//!
//! Upload (`docs/protocol/README.md`): `status` tells how many bytes of each file central
//! holds; `chunk` appends at exactly that offset; `complete` sends the manifest (path, size,
//! SHA-256 of every file) and gets a signed [`EvidenceReceipt`]. The kiosk deletes its copy
//! only after it verified and stored that receipt.

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
pub use synaq_proctor::{ChainHead, EvidencePublic, EvidenceSecret};

use crate::files::sha256_file;
use crate::sign::{sha256_hex, Document, Signed};
use crate::SyncError;

/// Largest chunk of file bytes in one `POST /v1/evidence/chunk` (before base64).
pub const MAX_CHUNK: usize = 512 * 1024;
/// Largest single evidence file central accepts (a frame is far smaller).
pub const MAX_FILE: u64 = 64 * 1024 * 1024;
/// The segment header's file name.
pub const HEADER_FILE: &str = "evidence.json";
/// The directory of sealed frames inside a segment.
pub const FRAMES_DIR: &str = "frames";

/// `POST /v1/evidence/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceStatusRequest {
    /// Protocol version.
    pub v: u32,
    /// The attempt whose evidence this is.
    pub attempt_id: String,
}

/// How many bytes of one file central holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredFile {
    /// Relative path (see [`path_ok`]).
    pub path: String,
    /// Bytes stored so far.
    pub size: u64,
}

/// `POST /v1/evidence/status` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceStatus {
    /// Protocol version.
    pub v: u32,
    /// The attempt.
    pub attempt_id: String,
    /// Every file central holds for it (partial or whole), by path.
    pub files: Vec<StoredFile>,
    /// The receipt, once the upload was completed.
    pub receipt: Option<EvidenceReceipt>,
}

/// `POST /v1/evidence/chunk`: bytes of one file, appended at `offset`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceChunk {
    /// Protocol version.
    pub v: u32,
    /// The attempt.
    pub attempt_id: String,
    /// Relative path (see [`path_ok`]).
    pub path: String,
    /// Where these bytes start; must equal the size central holds.
    pub offset: u64,
    /// At most [`MAX_CHUNK`] bytes, base64.
    pub data: String,
}

/// `POST /v1/evidence/chunk` answer: the file's size at central after the append.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChunkAck {
    /// Protocol version.
    pub v: u32,
    /// The attempt.
    pub attempt_id: String,
    /// The file.
    pub path: String,
    /// Bytes stored now.
    pub size: u64,
}

/// One file of the evidence, as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceFile {
    /// Relative path (see [`path_ok`]).
    pub path: String,
    /// Bytes.
    pub size: u64,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
}

/// `POST /v1/evidence/complete`: the whole manifest, sorted by path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceComplete {
    /// Protocol version.
    pub v: u32,
    /// The attempt.
    pub attempt_id: String,
    /// Every file, sorted by path, no repeats.
    pub files: Vec<EvidenceFile>,
}

/// The body of an evidence receipt: central holds exactly these files for this attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceReceiptBody {
    /// Protocol version.
    pub v: u32,
    /// The attempt.
    pub attempt_id: String,
    /// The kiosk that signed the attempt's result and uploaded the evidence.
    pub kiosk_id: String,
    /// [`manifest_digest`] of `files`.
    pub manifest_sha256: String,
    /// The files received.
    pub files: Vec<EvidenceFile>,
    /// Their total size.
    pub bytes: u64,
    /// When central completed the upload (Unix seconds).
    pub received_at: i64,
}

impl Document for EvidenceReceiptBody {
    const DOMAIN: &'static [u8] = b"synaq evidence receipt v1\0";
}

/// An evidence receipt, signed by central. Completing again returns the same receipt.
pub type EvidenceReceipt = Signed<EvidenceReceiptBody>;

/// SHA-256 (hex) of the manifest as JSON (the files sorted by path): what a receipt commits to.
pub fn manifest_digest(files: &[EvidenceFile]) -> String {
    sha256_hex(&serde_json::to_vec(files).expect("manifests serialize"))
}

fn segment_ok(s: &str) -> bool {
    !s.is_empty() && s.len() <= 6 && !s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit())
}

fn frame_name_ok(s: &str) -> bool {
    s.strip_suffix(".sef")
        .is_some_and(|n| n.len() == 8 && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `path` may name an evidence file: `N/evidence.json` or `N/frames/NNNNNNNN.sef`,
/// with `N` a segment number from 1 (no leading zero). Nothing else: no `..`, no absolute
/// path, no backslash, no other names.
pub fn path_ok(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        [seg, name] => segment_ok(seg) && *name == HEADER_FILE,
        [seg, dir, name] => segment_ok(seg) && *dir == FRAMES_DIR && frame_name_ok(name),
        _ => false,
    }
}

/// The segment number of a valid path (see [`path_ok`]).
pub fn segment_of(path: &str) -> Option<u32> {
    path_ok(path)
        .then(|| path.split('/').next()?.parse().ok())
        .flatten()
}

/// Joins segment heads the way the result's `evidence_head` holds them.
pub fn join_heads(heads: &[ChainHead]) -> String {
    heads
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

fn evidence_err(code: &'static str, message: String) -> SyncError {
    SyncError::Evidence { code, message }
}

/// The manifest of an attempt's local evidence directory, sorted by path. Files ending in
/// `.tmp` (a frame the writer had not finished when the kiosk stopped; never in the chain)
/// are left out; any other unexpected file is an error (`evidence-bad-path`).
pub fn local_manifest(dir: &Path) -> Result<Vec<EvidenceFile>, SyncError> {
    if !dir.is_dir() {
        return Err(evidence_err(
            "evidence-missing",
            format!(
                "the webcam evidence directory {} is missing, though the signed result names evidence: restore it from a backup, or report it to ЕУМЦ",
                dir.display()
            ),
        ));
    }
    let io = |p: &Path, e: std::io::Error| {
        evidence_err(
            "evidence-missing",
            format!("cannot read the evidence file {}: {e}", p.display()),
        )
    };
    let mut out = Vec::new();
    let mut stack: Vec<(PathBuf, String)> = vec![(dir.to_owned(), String::new())];
    while let Some((d, rel)) = stack.pop() {
        for e in std::fs::read_dir(&d).map_err(|e| io(&d, e))? {
            let e = e.map_err(|e| io(&d, e))?;
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            let r = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let ft = e.file_type().map_err(|e| io(&p, e))?;
            if ft.is_dir() {
                stack.push((p, r));
            } else if name.ends_with(".tmp") {
                continue;
            } else if ft.is_file() && path_ok(&r) {
                let (size, sha256) = sha256_file(&p).map_err(|e| io(&p, e))?;
                out.push(EvidenceFile {
                    path: r,
                    size,
                    sha256,
                });
            } else {
                return Err(evidence_err(
                    "evidence-bad-path",
                    format!(
                        "{} is not part of the sealed evidence (only N/evidence.json and N/frames/NNNNNNNN.sef are): move it out of {}",
                        p.display(),
                        dir.display()
                    ),
                ));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Checks an evidence receipt: central's signature, the attempt, the kiosk, and that it lists
/// exactly `local` (the files about to be deleted).
pub fn check_receipt(
    receipt: &EvidenceReceipt,
    central_ed25519: &[u8; 32],
    kiosk_id: &str,
    attempt: &str,
    local: &[EvidenceFile],
) -> Result<(), SyncError> {
    let body = receipt.verify(central_ed25519)?;
    if body.attempt_id != attempt || body.kiosk_id != kiosk_id {
        return Err(SyncError::BadReceipt(format!(
            "the evidence receipt is for attempt {} of kiosk {}, not {attempt} of {kiosk_id}",
            body.attempt_id, body.kiosk_id
        )));
    }
    if body.files != local
        || body.manifest_sha256 != manifest_digest(local)
        || body.bytes != local.iter().map(|f| f.size).sum::<u64>()
    {
        return Err(SyncError::BadReceipt(format!(
            "the evidence receipt for {attempt} does not list exactly the files on this kiosk; the evidence is kept"
        )));
    }
    Ok(())
}

/// Base64 of a chunk.
pub fn encode_chunk(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

/// Decodes a chunk's data, at most [`MAX_CHUNK`] bytes.
pub fn decode_chunk(data: &str) -> Option<Vec<u8>> {
    let b = B64.decode(data).ok()?;
    (b.len() <= MAX_CHUNK).then_some(b)
}

// ---- ЕУМЦ's evidence key files ----

const SECRET_KIND: &str = "synaq-evidence-secret-v1";
const PUBLIC_KIND: &str = "synaq-evidence-public-v1";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    kind: String,
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    x25519: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    x25519_secret: Option<String>,
}

fn key_bytes(field: Option<&str>, what: &str) -> Result<[u8; 32], SyncError> {
    field
        .and_then(|s| B64.decode(s.trim()).ok())
        .and_then(|v| <[u8; 32]>::try_from(v).ok())
        .ok_or_else(|| {
            SyncError::Format(format!(
                "the evidence key file's {what} is missing or damaged: use the file `synaq keys gen --role evidence` wrote"
            ))
        })
}

/// Reads an evidence key file of `kind`: the TOML form (`kind`, `id`, key) that
/// `synaq keys gen --role evidence` writes, or the older form of the demo keys (`#` comment
/// lines, then the key's 32 bytes in base64 on one line).
fn read_key(text: &str, kind: &'static str, field: &str) -> Result<[u8; 32], SyncError> {
    let body: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    if let [line] = body.as_slice() {
        return key_bytes(Some(line), "key");
    }
    let f: KeyFile = toml::from_str(text).map_err(|e| {
        SyncError::Format(format!(
            "not an evidence key file ({}): use the file `synaq keys gen --role evidence` wrote",
            e.message()
        ))
    })?;
    if f.kind != kind {
        return Err(SyncError::Format(format!(
            "this is a {} file, but a {kind} is needed",
            f.kind
        )));
    }
    let v = match field {
        "x25519" => f.x25519.as_deref(),
        _ => f.x25519_secret.as_deref(),
    };
    let bytes = key_bytes(v, field)?;
    let id = if kind == SECRET_KIND {
        EvidenceSecret::from_bytes(bytes).public().id()
    } else {
        EvidencePublic(bytes).id()
    };
    if f.id != id.to_string() {
        return Err(SyncError::Format(format!(
            "the key id in the evidence key file ({}) does not match its key ({id}): the file is damaged",
            f.id
        )));
    }
    Ok(bytes)
}

/// Parses ЕУМЦ's evidence secret key file (either form, see the module docs).
pub fn parse_secret(text: &str) -> Result<EvidenceSecret, SyncError> {
    read_key(text, SECRET_KIND, "x25519_secret").map(EvidenceSecret::from_bytes)
}

/// Parses ЕУМЦ's evidence public key file (either form).
pub fn parse_public(text: &str) -> Result<EvidencePublic, SyncError> {
    read_key(text, PUBLIC_KIND, "x25519").map(EvidencePublic)
}

/// Loads an evidence secret key file.
pub fn load_secret(path: &Path) -> Result<EvidenceSecret, SyncError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        SyncError::Format(format!(
            "cannot read the evidence key {}: {e}",
            path.display()
        ))
    })?;
    parse_secret(&text).map_err(|e| SyncError::Format(format!("{}: {e}", path.display())))
}

/// The secret key file's text (TOML, like the other Synaq key files). Write it with mode 0600.
pub fn secret_to_toml(secret: &EvidenceSecret) -> zeroize::Zeroizing<String> {
    let f = KeyFile {
        kind: SECRET_KIND.into(),
        id: secret.public().id().to_string(),
        x25519: None,
        x25519_secret: Some(B64.encode(*secret.to_bytes())),
    };
    zeroize::Zeroizing::new(format!(
        "# Synaq evidence (ЕУМЦ) SECRET key: opens sealed webcam evidence. Keep offline; never copy to a kiosk.\n{}",
        toml::to_string(&f).expect("key files serialize")
    ))
}

/// The public key file's text (TOML): give it to kiosks (`SYNAQ_EVIDENCE_PUB`).
pub fn public_to_toml(public: &EvidencePublic) -> String {
    let f = KeyFile {
        kind: PUBLIC_KIND.into(),
        id: public.id().to_string(),
        x25519: Some(public.to_base64()),
        x25519_secret: None,
    };
    format!(
        "# Synaq evidence public key: kiosks seal webcam frames to it.\n{}",
        toml::to_string(&f).expect("key files serialize")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_segment_files_are_valid_paths() {
        for ok in [
            "1/evidence.json",
            "1/frames/00000000.sef",
            "12/frames/00001234.sef",
        ] {
            assert!(path_ok(ok), "{ok}");
        }
        for bad in [
            "",
            "evidence.json",
            "0/evidence.json",
            "01/evidence.json",
            "1/../evidence.json",
            "../1/evidence.json",
            "/1/evidence.json",
            "1//evidence.json",
            "1/frames/0000000.sef",
            "1/frames/00000000.sef.tmp",
            "1/frames/../../x",
            "1/frames/00000000.jpg",
            "1/other.json",
            "1\\evidence.json",
            "1/frames/sub/00000000.sef",
            "1234567/evidence.json",
        ] {
            assert!(!path_ok(bad), "{bad:?}");
        }
        assert_eq!(segment_of("3/frames/00000001.sef"), Some(3));
        assert_eq!(segment_of("../x"), None);
    }

    #[test]
    fn key_files_round_trip_and_the_demo_form_still_reads() {
        let s = EvidenceSecret::generate().unwrap();
        let text = secret_to_toml(&s);
        assert!(text.contains("kind = \"synaq-evidence-secret-v1\""));
        let back = parse_secret(&text).unwrap();
        assert_eq!(back.public(), s.public());
        let p = public_to_toml(&s.public());
        assert_eq!(parse_public(&p).unwrap(), s.public());
        assert!(
            parse_public(&text).is_err(),
            "a secret file is not a public one"
        );
        assert!(parse_secret(&p).is_err());
        let edited = p.replace(&s.public().id().to_string(), "0000000000000000");
        assert!(parse_public(&edited)
            .unwrap_err()
            .to_string()
            .contains("damaged"));
        // The committed demo files: comment lines, then base64.
        let demo_key = include_str!("../../../assets/demo/keys/demo-evidence.key");
        let demo_pub = include_str!("../../../assets/demo/keys/demo-evidence.pub");
        assert_eq!(
            parse_secret(demo_key).unwrap().public(),
            parse_public(demo_pub).unwrap()
        );
    }

    #[test]
    fn the_local_manifest_lists_segment_files_only() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("1/frames")).unwrap();
        std::fs::write(d.path().join("1/evidence.json"), b"{}").unwrap();
        std::fs::write(d.path().join("1/frames/00000000.sef"), b"abc").unwrap();
        std::fs::write(d.path().join("1/frames/00000001.tmp"), b"half").unwrap();
        let m = local_manifest(d.path()).unwrap();
        assert_eq!(
            m.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
            ["1/evidence.json", "1/frames/00000000.sef"]
        );
        assert_eq!(m[1].size, 3);
        assert_eq!(m[1].sha256, sha256_hex(b"abc"));
        std::fs::write(d.path().join("1/notes.txt"), b"x").unwrap();
        assert_eq!(
            local_manifest(d.path()).unwrap_err().code(),
            "evidence-bad-path"
        );
        assert_eq!(
            local_manifest(&d.path().join("nope")).unwrap_err().code(),
            "evidence-missing"
        );
    }
}
