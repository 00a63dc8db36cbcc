//! Removable media: a signed bundle of results (and sealed webcam evidence) out, a signed
//! bundle of outcomes (and evidence receipts) back. Spec: `docs/formats/bundle.md`.
//!
//! Both bundles are one JSON document (`.synaqout` / `.synaqin`) wrapped in a [`Signed`]
//! envelope: the results bundle by the kiosk's Ed25519 key, the receipts bundle by the central
//! key. Each result inside is still signed on its own and each receipt too, so central checks a
//! bundle exactly as it checks a push.
//!
//! Evidence travels as files next to the bundle, in `synaq-evidence-<kiosk>-<created>/`
//! ([`evidence_dir_name`]) with exactly the layout of the kiosk's evidence directory
//! (`<attempt>/<n>/evidence.json`, `<attempt>/<n>/frames/NNNNNNNN.sef`); the signed bundle
//! lists every file's path, size and SHA-256 per attempt ([`EvidenceManifest`], the manifest of
//! `POST /v1/evidence/complete`), so central checks the files as it checks an upload and
//! answers with the same signed [`EvidenceReceipt`]s, which the kiosk verifies with
//! [`check_receipt`] exactly as after an upload before it deletes its copy.
//!
//! The kiosk app calls [`export_to`] and [`import_receipts_from`]; `synaq export` and
//! `synaq import-receipts` are thin wrappers around them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use synaq_seal::{IssuerPublic, KioskSecret};
use synaq_store::outbox::{self, Delivery, EvidenceState};
use synaq_wire::AttemptJournal;
use synaq_wire::SignedResult;

use crate::client::{failure, purge_failure, EvidenceFailure, Progress, Stage};
use crate::evidence::{check_receipt, local_manifest, EvidenceFile, EvidenceReceipt};
use crate::files::{copy_hashed, sync_dir, write_durably, CopyError};
use crate::proto::Outcome;
use crate::sign::{Document, Signed};
use crate::{SyncError, PROTOCOL_VERSION};

/// `kind` of a results bundle.
pub const RESULTS_KIND: &str = "synaq-results-bundle";
/// `kind` of a receipts bundle.
pub const RECEIPTS_KIND: &str = "synaq-receipts-bundle";
/// File extension of a results bundle (kiosk → central).
pub const RESULTS_EXT: &str = "synaqout";
/// File extension of a receipts bundle (central → kiosk).
pub const RECEIPTS_EXT: &str = "synaqin";

/// The name of the results bundle file [`export_to`] writes.
pub fn bundle_file_name(kiosk_id: &str, created: i64) -> String {
    format!("synaq-results-{kiosk_id}-{created}.{RESULTS_EXT}")
}

/// The name of the evidence directory that goes with a results bundle of `kiosk_id` made at
/// `created`: it lies next to the bundle file (central derives the name from the signed body,
/// never from a path in it).
pub fn evidence_dir_name(kiosk_id: &str, created: i64) -> String {
    format!("synaq-evidence-{kiosk_id}-{created}")
}

/// One attempt's sealed evidence carried next to a results bundle: the manifest of its files,
/// as `POST /v1/evidence/complete` sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceManifest {
    /// The attempt (its directory inside the evidence directory).
    pub attempt_id: String,
    /// Every file, sorted by path, no repeats (see [`crate::evidence::path_ok`]).
    pub files: Vec<EvidenceFile>,
}

/// Central's answer for one attempt's evidence carried on removable media.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, tag = "outcome", rename_all = "snake_case")]
pub enum EvidenceOutcome {
    /// Stored (now or before): the signed evidence receipt, as after an upload.
    Delivered {
        /// The signed evidence receipt.
        receipt: EvidenceReceipt,
    },
    /// Refused: central's stable reason code (the codes of the upload) and a message.
    Refused {
        /// The attempt.
        attempt_id: String,
        /// Stable code, e.g. `evidence-mismatch`.
        code: String,
        /// What happened and what to do.
        message: String,
    },
}

impl EvidenceOutcome {
    /// The attempt this outcome is for.
    pub fn attempt_id(&self) -> &str {
        match self {
            EvidenceOutcome::Delivered { receipt } => &receipt.body.attempt_id,
            EvidenceOutcome::Refused { attempt_id, .. } => attempt_id,
        }
    }
}

/// Results carried to central on removable media.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultsBody {
    /// Always [`RESULTS_KIND`].
    pub kind: String,
    /// Protocol version.
    pub v: u32,
    /// The kiosk's key id.
    pub kiosk_id: String,
    /// Unix seconds.
    pub created: i64,
    /// Every result not yet delivered.
    pub results: Vec<SignedResult>,
    /// Each result's journal run. Absent (and not signed) when there is none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub journals: Vec<AttemptJournal>,
    /// The evidence carried in the directory [`evidence_dir_name`] next to the bundle: one
    /// manifest per attempt. Absent (and not signed) when there is none, so a bundle without
    /// evidence is byte for byte what earlier versions wrote.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceManifest>,
}

impl Document for ResultsBody {
    const DOMAIN: &'static [u8] = b"synaq results bundle v1\0";
}

/// Outcomes carried back to the kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptsBody {
    /// Always [`RECEIPTS_KIND`].
    pub kind: String,
    /// Protocol version.
    pub v: u32,
    /// The kiosk the outcomes are for.
    pub kiosk_id: String,
    /// Unix seconds.
    pub created: i64,
    /// One outcome per result of the imported bundle.
    pub outcomes: Vec<Outcome>,
    /// One outcome per evidence manifest of the imported bundle. Absent when there is none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceOutcome>,
}

impl Document for ReceiptsBody {
    const DOMAIN: &'static [u8] = b"synaq receipts bundle v1\0";
}

/// A signed results bundle.
pub type ResultsBundle = Signed<ResultsBody>;
/// A signed receipts bundle.
pub type ReceiptsBundle = Signed<ReceiptsBody>;

/// Builds a results bundle signed by the kiosk.
pub fn results(key: &KioskSecret, results: Vec<SignedResult>, created: i64) -> ResultsBundle {
    results_with_evidence(key, results, Vec::new(), created)
}

/// Builds a results bundle signed by the kiosk that also lists the evidence written next to
/// it (in [`evidence_dir_name`]`(kiosk, created)`).
pub fn results_with_evidence(
    key: &KioskSecret,
    results: Vec<SignedResult>,
    evidence: Vec<EvidenceManifest>,
    created: i64,
) -> ResultsBundle {
    results_bundle(key, results, Vec::new(), evidence, created)
}

/// Builds a results bundle with each result's journal run and the evidence next to it.
pub fn results_bundle(
    key: &KioskSecret,
    results: Vec<SignedResult>,
    journals: Vec<AttemptJournal>,
    evidence: Vec<EvidenceManifest>,
    created: i64,
) -> ResultsBundle {
    Signed::sign(
        ResultsBody {
            kind: RESULTS_KIND.into(),
            v: PROTOCOL_VERSION,
            kiosk_id: key.id().to_string(),
            created,
            results,
            journals,
            evidence,
        },
        key.ed25519(),
    )
}

/// Parses a bundle file (no signature checked yet: the reader knows which key applies).
pub fn parse<T: Document>(bytes: &[u8]) -> Result<Signed<T>, SyncError> {
    serde_json::from_slice(bytes).map_err(|e| {
        SyncError::Format(format!(
            "the bundle file does not parse ({e}): copy it again from the kiosk or central"
        ))
    })
}

/// Serializes a bundle for writing to a file.
pub fn to_bytes<T: Document>(bundle: &Signed<T>) -> Vec<u8> {
    serde_json::to_vec_pretty(bundle).expect("bundles serialize")
}

/// Checks a receipts bundle with the central key, for this kiosk.
pub fn open_receipts<'a>(
    bundle: &'a ReceiptsBundle,
    central_ed25519: &[u8; 32],
    kiosk_id: &str,
) -> Result<&'a ReceiptsBody, SyncError> {
    let body = bundle.verify(central_ed25519)?;
    if body.kind != RECEIPTS_KIND || body.v != PROTOCOL_VERSION {
        return Err(SyncError::Format(format!(
            "not a version-{PROTOCOL_VERSION} receipts bundle"
        )));
    }
    if body.kiosk_id != kiosk_id {
        return Err(SyncError::Format(format!(
            "this receipts bundle is for kiosk {}, not this kiosk ({kiosk_id})",
            body.kiosk_id
        )));
    }
    Ok(body)
}

// ---- export (kiosk → removable media) ----

/// What [`export_to`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportReport {
    /// Results in the bundle (every result not yet delivered or refused).
    pub results: usize,
    /// Attempts whose evidence was written next to the bundle.
    pub evidence_attempts: usize,
    /// Bytes written to the media: the bundle file plus the evidence files.
    pub bytes: u64,
    /// The bundle file; `None` when there was nothing to export (nothing was written).
    pub path: Option<PathBuf>,
    /// The evidence directory next to it, when evidence was written.
    pub evidence_dir: Option<PathBuf>,
    /// Attempts whose evidence could not be exported (its directory missing, a file that is
    /// not evidence, a file that changed during the copy), each with its reason; their
    /// evidence stays queued on the kiosk, and the rest of the export goes on.
    pub evidence_failed: Vec<EvidenceFailure>,
}

fn media(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> SyncError {
    let path = path.display().to_string();
    move |source| SyncError::Media {
        action,
        path,
        source,
    }
}

/// The attempts whose evidence waits for a receipt and can still be accepted: the result
/// names an `evidence_head` and is queued or delivered (central refuses evidence of a result
/// it refused), oldest first.
fn evidence_to_export(conn: &Connection) -> Result<Vec<String>, SyncError> {
    Ok(outbox::status(conn)?
        .into_iter()
        .filter(|e| {
            e.evidence == EvidenceState::Queued && !matches!(e.delivery, Delivery::Refused { .. })
        })
        .map(|e| e.attempt)
        .collect())
}

/// Copies one attempt's evidence (`files`, its manifest) from `src` into `dst`. A read
/// failure or a file that changed since the manifest was made concerns this attempt only
/// (`Ok(Err(…))`); a write failure ends the export (`Err`).
fn copy_attempt(
    src: &Path,
    dst: &Path,
    attempt: &str,
    files: &[EvidenceFile],
    progress: &mut dyn FnMut(u64),
) -> Result<Result<(), SyncError>, SyncError> {
    let mut dirs = BTreeSet::new();
    let mut done = 0u64;
    for f in files {
        let to = dst.join(&f.path);
        let parent = to.parent().unwrap_or(dst).to_owned();
        std::fs::create_dir_all(&parent).map_err(media("creating", &parent))?;
        dirs.insert(parent);
        let from = src.join(&f.path);
        match copy_hashed(&from, &to) {
            Ok((size, sha256)) if size == f.size && sha256 == f.sha256 => {}
            Ok(_) => {
                return Ok(Err(SyncError::Evidence {
                    code: "evidence-mismatch",
                    message: format!(
                        "the evidence file {} of attempt {attempt} changed on this kiosk during the export: it was not exported; report it to ЕУМЦ",
                        f.path
                    ),
                }))
            }
            Err(CopyError::Read(e)) => {
                return Ok(Err(SyncError::Evidence {
                    code: "evidence-missing",
                    message: format!(
                        "cannot read the evidence file {} of attempt {attempt} ({e}): it was not exported",
                        from.display()
                    ),
                }))
            }
            Err(CopyError::Write(e)) => return Err(media("writing", &to)(e)),
        }
        done += f.size;
        progress(done);
    }
    // Deepest first, so every name is on the device before its parent's rename.
    dirs.insert(dst.to_owned());
    for d in dirs.iter().rev() {
        sync_dir(d);
    }
    Ok(Ok(()))
}

/// Writes one results bundle for removable media into the directory `to` (created if
/// missing): every result not yet delivered or refused, plus the sealed evidence of every
/// result that names an `evidence_head` and has no evidence receipt yet (delivered or not;
/// taken from `evidence_root/<attempt>/`, the directory [`crate::sync_all_on`] uploads from).
///
/// Layout (`docs/protocol/README.md`, *Removable media*): the evidence files are copied (in
/// 64 KiB steps, each fsynced) into `to/synaq-evidence-<kiosk>-<now>.partial/<attempt>/…`,
/// which is renamed to `synaq-evidence-<kiosk>-<now>/` once complete; then the signed bundle
/// `to/synaq-results-<kiosk>-<now>.synaqout`, listing each attempt's manifest (path, size,
/// SHA-256 per file), is written through a temporary file, fsynced and renamed. So a bundle
/// on the media always has all its evidence beside it. Nothing on the kiosk changes: results
/// stay queued and evidence stays on the kiosk until the receipts are imported.
///
/// `conn` may be a read-only connection to the kiosk database (the app may be running).
/// Nothing to export writes nothing (`path: None`). Each result must verify with `key`
/// (otherwise the data directory and key do not belong together, and nothing is written).
/// One attempt's evidence that cannot be exported is reported in
/// [`ExportReport::evidence_failed`]; a write failure on the media ends the export with
/// [`SyncError::Media`] and removes what it wrote.
pub fn export_to(
    conn: &Connection,
    key: &KioskSecret,
    evidence_root: &Path,
    to: &Path,
    now: i64,
) -> Result<ExportReport, SyncError> {
    export_to_with_progress(conn, key, evidence_root, to, now, &mut |_| {})
}

/// [`export_to`], reporting `Progress {stage: Evidence, done, total}` in evidence bytes
/// copied (for a progress bar while a large export is written to a slow stick).
pub fn export_to_with_progress(
    conn: &Connection,
    key: &KioskSecret,
    evidence_root: &Path,
    to: &Path,
    now: i64,
    progress: &mut dyn FnMut(Progress),
) -> Result<ExportReport, SyncError> {
    let kiosk_id = key.id().to_string();
    let results = outbox::pending(conn)?;
    // Central checks the bundle with the kiosk's enrolled key and each result with the same
    // key: a result signed by another key means the wrong data directory or key file.
    let ed25519 = key.public().ed25519;
    if let Some(r) = results.iter().find(|r| r.verify(&ed25519).is_err()) {
        return Err(SyncError::Format(format!(
            "result {} is not signed by the kiosk key {kiosk_id}: the database and the key file are not of the same kiosk; check the data directory; nothing was written",
            r.record.attempt_id
        )));
    }
    let mut report = ExportReport {
        results: results.len(),
        ..ExportReport::default()
    };
    let mut work = Vec::new();
    for attempt in evidence_to_export(conn)? {
        match local_manifest(&evidence_root.join(&attempt)) {
            Ok(files) => work.push((attempt, files)),
            Err(e) => report.evidence_failed.push(failure(&attempt, &e)),
        }
    }
    if results.is_empty() && work.is_empty() {
        return Ok(report);
    }
    std::fs::create_dir_all(to).map_err(media("creating", to))?;
    let path = to.join(bundle_file_name(&kiosk_id, now));
    let ev_name = evidence_dir_name(&kiosk_id, now);
    let ev_dir = to.join(&ev_name);
    for p in [&path, &ev_dir] {
        if p.exists() {
            return Err(SyncError::Format(format!(
                "{} already exists: refusing to overwrite an export; try again in a second",
                p.display()
            )));
        }
    }
    let mut manifests = Vec::new();
    let total: u64 = work.iter().flat_map(|w| w.1.iter().map(|f| f.size)).sum();
    if !work.is_empty() {
        let partial = to.join(format!("{ev_name}.partial"));
        if partial.exists() {
            // Left by an export cut off before it finished: never part of a bundle.
            std::fs::remove_dir_all(&partial).map_err(media("removing", &partial))?;
        }
        std::fs::create_dir(&partial).map_err(media("creating", &partial))?;
        let mut base = 0u64;
        progress(Progress {
            stage: Stage::Evidence,
            done: 0,
            total,
        });
        for (attempt, files) in work {
            let size: u64 = files.iter().map(|f| f.size).sum();
            let dst = partial.join(&attempt);
            let copied = copy_attempt(
                &evidence_root.join(&attempt),
                &dst,
                &attempt,
                &files,
                &mut |done| {
                    progress(Progress {
                        stage: Stage::Evidence,
                        done: base + done,
                        total,
                    })
                },
            );
            match copied {
                Ok(Ok(())) => {
                    report.bytes += size;
                    manifests.push(EvidenceManifest {
                        attempt_id: attempt,
                        files,
                    });
                }
                Ok(Err(e)) => {
                    std::fs::remove_dir_all(&dst).ok();
                    report.evidence_failed.push(failure(&attempt, &e));
                }
                Err(e) => {
                    std::fs::remove_dir_all(&partial).ok();
                    return Err(e);
                }
            }
            base += size;
        }
        if manifests.is_empty() {
            std::fs::remove_dir_all(&partial).ok();
        } else {
            sync_dir(&partial);
            std::fs::rename(&partial, &ev_dir).map_err(|e| {
                std::fs::remove_dir_all(&partial).ok();
                media("renaming", &partial)(e)
            })?;
            sync_dir(to);
            report.evidence_attempts = manifests.len();
            report.evidence_dir = Some(ev_dir.clone());
        }
        progress(Progress {
            stage: Stage::Evidence,
            done: total,
            total,
        });
    }
    if results.is_empty() && manifests.is_empty() {
        return Ok(report);
    }
    let journals = crate::client::journals_of(conn, &results)?;
    let bytes = to_bytes(&results_bundle(key, results, journals, manifests, now));
    if let Err(e) = write_durably(&path, &bytes) {
        if report.evidence_dir.is_some() {
            std::fs::remove_dir_all(&ev_dir).ok();
        }
        return Err(media("writing", &path)(e));
    }
    report.bytes += bytes.len() as u64;
    report.path = Some(path);
    Ok(report)
}

// ---- receipts (removable media → kiosk) ----

/// What [`import_receipts`] changed on the kiosk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Results now delivered (a verified receipt was stored).
    pub delivered: usize,
    /// Results now refused, with central's reason.
    pub refused: usize,
    /// Outcomes that changed nothing (already applied, e.g. the same bundle imported again).
    pub unchanged: usize,
    /// Outcomes (of results or evidence) for attempts this kiosk's outbox does not hold.
    pub unknown: usize,
    /// Attempts whose evidence receipt was verified and stored now (and their evidence
    /// deleted from the kiosk).
    pub evidence_delivered: usize,
    /// Evidence receipts already stored before (the same bundle imported again).
    pub evidence_unchanged: usize,
    /// Attempts whose evidence was not confirmed: refused by central (its code), or a receipt
    /// that does not match the files on this kiosk (`sync-bad-receipt`), or evidence confirmed
    /// but not deleted (`evidence-purge-failed`). Their evidence stays on the kiosk (except
    /// after `evidence-purge-failed`, where the receipt is stored).
    pub evidence_failed: Vec<EvidenceFailure>,
}

fn state_key(d: &Delivery) -> (u8, &str) {
    match d {
        Delivery::Queued => (0, ""),
        Delivery::Delivered { .. } => (1, ""),
        Delivery::Refused { code, .. } => (2, code),
    }
}

/// Reads and applies a receipts bundle file (`.synaqin`): see [`import_receipts`].
pub fn import_receipts_from(
    conn: &Connection,
    central: &IssuerPublic,
    kiosk_id: &str,
    evidence_root: &Path,
    file: &Path,
) -> Result<ImportReport, SyncError> {
    let bytes = std::fs::read(file).map_err(media("reading", file))?;
    import_receipts(conn, central, kiosk_id, evidence_root, &bytes)
}

/// Applies a receipts bundle from `synaq-central import` to the kiosk database `conn`: the
/// bundle's signature (central) and kiosk first; then each result outcome exactly as after a
/// push (each receipt checked against the result this kiosk holds); then each evidence
/// receipt exactly as after an upload ([`check_receipt`]: central's signature, the attempt,
/// the kiosk, the manifest of exactly the files now in `evidence_root/<attempt>`), stored
/// with `mark_evidence_delivered`, and **only then** `evidence_root/<attempt>` is deleted.
/// An evidence receipt that does not match the local files is refused and nothing is
/// deleted. Importing again changes nothing.
pub fn import_receipts(
    conn: &Connection,
    central: &IssuerPublic,
    kiosk_id: &str,
    evidence_root: &Path,
    bytes: &[u8],
) -> Result<ImportReport, SyncError> {
    let bundle: ReceiptsBundle = parse(bytes)?;
    let body = open_receipts(&bundle, &central.ed25519, kiosk_id)?;
    let mut report = ImportReport::default();
    for outcome in &body.outcomes {
        let attempt = outcome.attempt_id();
        let Some(result) = outbox::result_of(conn, attempt)? else {
            report.unknown += 1;
            continue;
        };
        let before = outbox::status(conn)?
            .into_iter()
            .find(|e| e.attempt == attempt)
            .map(|e| e.delivery);
        crate::client::apply_outcomes_on(
            conn,
            central,
            std::slice::from_ref(&result),
            std::slice::from_ref(outcome),
        )?;
        let after = outbox::status(conn)?
            .into_iter()
            .find(|e| e.attempt == attempt)
            .map(|e| e.delivery);
        match (
            before.as_ref().map(state_key),
            after.as_ref().map(state_key),
        ) {
            (b, a) if b == a => report.unchanged += 1,
            (_, Some((1, _))) => report.delivered += 1,
            _ => report.refused += 1,
        }
    }
    for outcome in &body.evidence {
        let attempt = outcome.attempt_id();
        if outbox::result_of(conn, attempt)?.is_none() {
            report.unknown += 1;
            continue;
        }
        let dir = evidence_root.join(attempt);
        if outbox::evidence_receipt(conn, attempt)?.is_some() {
            // Confirmed before: ЕУМЦ holds it. A copy left by a delete that failed goes now,
            // as after a network sync.
            report.evidence_unchanged += 1;
            if dir.exists() {
                if let Err(e) = std::fs::remove_dir_all(&dir) {
                    report
                        .evidence_failed
                        .push(purge_failure(attempt, &dir, &e));
                }
            }
            continue;
        }
        let receipt = match outcome {
            EvidenceOutcome::Refused { code, message, .. } => {
                report.evidence_failed.push(EvidenceFailure {
                    attempt: attempt.to_owned(),
                    code: code.clone(),
                    message: message.clone(),
                });
                continue;
            }
            EvidenceOutcome::Delivered { receipt } => receipt,
        };
        let checked = local_manifest(&dir)
            .and_then(|local| check_receipt(receipt, &central.ed25519, kiosk_id, attempt, &local));
        if let Err(e) = checked {
            report.evidence_failed.push(failure(attempt, &e));
            continue;
        }
        outbox::mark_evidence_delivered(
            conn,
            attempt,
            &serde_json::to_string(receipt).expect("receipts serialize"),
        )?;
        report.evidence_delivered += 1;
        if let Err(e) = std::fs::remove_dir_all(&dir) {
            report
                .evidence_failed
                .push(purge_failure(attempt, &dir, &e));
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_without_evidence_are_signed_as_before_and_evidence_is_signed() {
        let key = KioskSecret::generate().unwrap();
        let plain = results(&key, Vec::new(), 1_780_000_000);
        let json = String::from_utf8(to_bytes(&plain)).unwrap();
        assert!(!json.contains("evidence"), "{json}");
        // A bundle written before evidence existed (no field) parses and verifies.
        let parsed: ResultsBundle = parse(json.as_bytes()).unwrap();
        parsed.verify(&key.public().ed25519).unwrap();

        let manifest = EvidenceManifest {
            attempt_id: "a-1".into(),
            files: vec![EvidenceFile {
                path: "1/evidence.json".into(),
                size: 2,
                sha256: "00".repeat(32),
            }],
        };
        let mut with = results_with_evidence(&key, Vec::new(), vec![manifest], 1_780_000_000);
        with.verify(&key.public().ed25519).unwrap();
        // The manifest is covered by the kiosk's signature.
        with.body.evidence[0].files[0].size = 3;
        assert!(with.verify(&key.public().ed25519).is_err());
        with.body.evidence.clear();
        assert!(with.verify(&key.public().ed25519).is_err());
    }

    #[test]
    fn nothing_to_export_writes_nothing_and_a_missing_receipts_file_is_named() {
        let d = tempfile::tempdir().unwrap();
        let conn = synaq_store::open_db(&d.path().join("kiosk.sqlite3")).unwrap();
        let key = KioskSecret::generate().unwrap();
        // Nothing to export: nothing written, not even the directory.
        let to = d.path().join("stick");
        let r = export_to(&conn, &key, &d.path().join("evidence"), &to, 1).unwrap();
        assert_eq!(r, ExportReport::default());
        assert!(!to.exists());
        // A receipts file that is not there names itself.
        let central = synaq_seal::IssuerSecret::generate().unwrap().public();
        let err = import_receipts_from(
            &conn,
            &central,
            &key.id().to_string(),
            &d.path().join("evidence"),
            &d.path().join("missing.synaqin"),
        )
        .unwrap_err();
        assert_eq!(err.code(), "sync-media");
        assert!(err.to_string().contains("missing.synaqin"), "{err}");
    }
}
