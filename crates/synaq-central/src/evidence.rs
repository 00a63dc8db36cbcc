//! Sealed webcam evidence at central: the resumable upload (`/v1/evidence/status`, `chunk`,
//! `complete`) and the reviewer's `evidence show`.
//!
//! Files are kept in the evidence store ([`crate::store`]: `<data>/evidence/` by default, or an
//! S3 bucket): locally under `<attempt>.part/` while they arrive, moved to `<attempt>/` when
//! the upload is completed and the signed receipt is stored; in S3 as one object per
//! acknowledged chunk, made the attempt's evidence by the receipt.
//! Central cannot open evidence (it does not hold the evidence key); it checks the layout:
//! safe paths, the manifest byte for byte, one segment per head in the signed result's
//! `evidence_head`, and each segment's frame count equal to its head's `N`. The reviewer opens
//! and verifies the chains with the evidence key ([`Central::show_evidence`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::str::FromStr as _;
use std::sync::{Mutex, OnceLock};

use crate::sql::{params, OptionalExtension as _};
use synaq_proctor::{ChainHead, EvidenceError, EvidenceReader, EvidenceSecret, PixelFormat};
use synaq_sync::evidence::{
    decode_chunk, manifest_digest, path_ok, segment_of, ChunkAck, EvidenceChunk, EvidenceComplete,
    EvidenceFile, EvidenceReceipt, EvidenceReceiptBody, EvidenceStatus, StoredFile, FRAMES_DIR,
    HEADER_FILE, MAX_FILE,
};
use synaq_sync::{Signed, PROTOCOL_VERSION};
use synaq_wire::{IncidentRecord, SignedResult};

use crate::ingest::Refusal;
use crate::store::{list_files, Area, MediaCopyError, StoreError};
use crate::{Central, CentralError};

/// The directory of evidence inside central's data directory.
pub const EVIDENCE_DIR: &str = "evidence";

/// Parses a result's `evidence_head`: one chain head (`N:hex`) per segment, in order,
/// separated by single spaces.
pub fn segment_heads(s: &str) -> Result<Vec<ChainHead>, EvidenceError> {
    if s.is_empty() {
        return Err(EvidenceError::BadHeader(
            "the evidence head is empty".into(),
        ));
    }
    s.split(' ').map(ChainHead::from_str).collect()
}

/// Writes to one attempt's files are serialized (check-offset-then-append must be atomic).
/// Attempts are spread over 64 locks, so uploads of different exams rarely wait for each
/// other (an S3 round trip is slower than a local append).
fn lock(attempt: &str) -> std::sync::MutexGuard<'static, ()> {
    const STRIPES: usize = 64;
    static L: OnceLock<Vec<Mutex<()>>> = OnceLock::new();
    let locks = L.get_or_init(|| (0..STRIPES).map(|_| Mutex::new(())).collect());
    // FNV-1a: stable and cheap; only the spread matters.
    let h = attempt.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    locks[(h % STRIPES as u64) as usize]
        .lock()
        .unwrap_or_else(|p| p.into_inner())
}

fn attempt_ok(a: &str) -> bool {
    !a.is_empty()
        && a.len() <= 128
        && a.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The evidence store failed: central is unavailable for now (the kiosk retries).
fn store_refusal(e: StoreError) -> Refusal {
    Refusal::EvidenceIo {
        path: e.location(),
        error: e.to_string(),
    }
}

impl Central {
    /// `<data>/evidence` (where the local store keeps evidence).
    pub fn evidence_root(&self) -> PathBuf {
        self.dir().join(EVIDENCE_DIR)
    }

    /// Where the local store keeps a completed attempt's evidence.
    pub fn evidence_dir(&self, attempt: &str) -> PathBuf {
        self.evidence_root().join(attempt)
    }

    /// Whether the completed evidence of `attempt` is kept (in whichever store).
    pub fn has_evidence(&self, attempt: &str) -> Result<bool, CentralError> {
        Ok(self.evidence_store().exists(attempt)?)
    }

    /// The stored signed result of `attempt` and the kiosk that sent it.
    pub fn stored_result(
        &self,
        attempt: &str,
    ) -> Result<Option<(String, SignedResult)>, CentralError> {
        let row: Option<(String, String)> = self
            .db()
            .query_row(
                "SELECT kiosk, result FROM results WHERE attempt = ?1",
                [attempt],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(k, json)| {
            serde_json::from_str(&json)
                .map(|r| (k, r))
                .map_err(|e| CentralError::Db(format!("stored result of {attempt}: {e}")))
        })
        .transpose()
    }

    /// The stored evidence receipt of `attempt`, once its upload was completed.
    pub fn evidence_receipt(&self, attempt: &str) -> Result<Option<EvidenceReceipt>, CentralError> {
        let json: Option<String> = self
            .db()
            .query_row(
                "SELECT receipt FROM evidence WHERE attempt = ?1",
                [attempt],
                |r| r.get(0),
            )
            .optional()?;
        json.map(|j| {
            serde_json::from_str(&j)
                .map_err(|e| CentralError::Db(format!("stored evidence receipt: {e}")))
        })
        .transpose()
    }

    /// The heads the evidence of `attempt`, sent by `kiosk`, must match.
    fn expected_heads(&self, kiosk: &str, attempt: &str) -> Result<Vec<ChainHead>, Refusal> {
        let unavailable = |e: CentralError| Refusal::unavailable(e);
        if !attempt_ok(attempt) {
            return Err(Refusal::EvidenceBadAttempt);
        }
        let no_result = || Refusal::EvidenceNoResult {
            attempt: attempt.to_owned(),
        };
        let (from, result) = self
            .stored_result(attempt)
            .map_err(unavailable)?
            .ok_or_else(no_result)?;
        if from != kiosk {
            return Err(no_result());
        }
        let Some(head) = result.record.evidence_head.as_deref() else {
            return Err(Refusal::EvidenceNotExpected {
                attempt: attempt.to_owned(),
            });
        };
        segment_heads(head).map_err(|e| Refusal::EvidenceBadHead {
            attempt: attempt.to_owned(),
            error: e.to_string(),
        })
    }

    /// `POST /v1/evidence/status` for `kiosk`.
    pub fn evidence_status(&self, kiosk: &str, attempt: &str) -> Result<EvidenceStatus, Refusal> {
        self.expected_heads(kiosk, attempt)?;
        let receipt = self
            .evidence_receipt(attempt)
            .map_err(Refusal::unavailable)?;
        let files = match &receipt {
            Some(r) => r
                .body
                .files
                .iter()
                .map(|f| StoredFile {
                    path: f.path.clone(),
                    size: f.size,
                })
                .collect(),
            None => {
                let _g = lock(attempt);
                self.evidence_store()
                    .files(attempt, Area::Upload)
                    .map_err(store_refusal)?
                    .into_iter()
                    .map(|(path, size)| StoredFile { path, size })
                    .collect()
            }
        };
        Ok(EvidenceStatus {
            v: PROTOCOL_VERSION,
            attempt_id: attempt.to_owned(),
            files,
            receipt,
        })
    }

    fn bad_path(path: &str) -> Refusal {
        Refusal::EvidenceBadPath {
            path: path.to_owned(),
        }
    }

    /// `POST /v1/evidence/chunk` for `kiosk`: appends when `offset` is the stored size.
    pub fn evidence_chunk(&self, kiosk: &str, c: &EvidenceChunk) -> Result<ChunkAck, Refusal> {
        if !path_ok(&c.path) {
            return Err(Self::bad_path(&c.path));
        }
        let heads = self.expected_heads(kiosk, &c.attempt_id)?;
        let seg = segment_of(&c.path).unwrap_or(0) as usize;
        if seg > heads.len() {
            return Err(Refusal::EvidenceSegmentUnknown {
                path: c.path.clone(),
                segment: seg,
                segments: heads.len(),
            });
        }
        let Some(data) = decode_chunk(&c.data) else {
            return Err(Refusal::BadChunk);
        };
        if c.offset.saturating_add(data.len() as u64) > MAX_FILE {
            return Err(Refusal::EvidenceTooLarge {
                path: c.path.clone(),
                max_mib: MAX_FILE >> 20,
            });
        }
        let _g = lock(&c.attempt_id);
        if self
            .evidence_receipt(&c.attempt_id)
            .map_err(Refusal::unavailable)?
            .is_some()
        {
            return Err(Refusal::EvidenceDone {
                attempt: c.attempt_id.clone(),
            });
        }
        let store = self.evidence_store();
        let have = store
            .uploaded_size(&c.attempt_id, &c.path)
            .map_err(store_refusal)?;
        if have != c.offset {
            return Err(Refusal::EvidenceOffset {
                path: c.path.clone(),
                have,
                offset: c.offset,
            });
        }
        store
            .append(&c.attempt_id, &c.path, have, &data)
            .map_err(store_refusal)?;
        Ok(ChunkAck {
            v: PROTOCOL_VERSION,
            attempt_id: c.attempt_id.clone(),
            path: c.path.clone(),
            size: have + data.len() as u64,
        })
    }

    /// `POST /v1/evidence/complete` for `kiosk`: checks everything, then signs the receipt.
    /// Completing again with the same manifest returns the same receipt.
    pub fn evidence_complete(
        &self,
        kiosk: &str,
        req: &EvidenceComplete,
        now: i64,
    ) -> Result<EvidenceReceipt, Refusal> {
        let attempt = req.attempt_id.as_str();
        let heads = self.expected_heads(kiosk, attempt)?;
        let digest = manifest_digest(&req.files);
        let _g = lock(attempt);
        if let Some(r) = self.completed_receipt(attempt, &digest)? {
            return Ok(r);
        }
        check_manifest(&req.files)?;
        self.accept_stored(
            kiosk,
            attempt,
            &req.files,
            &digest,
            &heads,
            Area::Upload,
            now,
        )
    }

    /// Evidence carried on removable media (`synaq export`): `from` is the bundle's evidence
    /// directory (`synaq-evidence-<kiosk>-<created>/`, `None` when it is not beside the bundle)
    /// holding `<attempt>/` with exactly the files of the signed manifest `files`. The checks
    /// are those of an upload ([`Central::evidence_complete`]): the result from this kiosk is
    /// stored and names evidence, evidence already received with the same manifest gives the
    /// same receipt (with another, `evidence-mismatch`), safe paths, the files equal the
    /// manifest byte for byte, the segments and frame counts equal the signed heads. Locally
    /// the files are copied (streamed, fsynced) into `<data>/evidence/<attempt>.media/` and
    /// moved to `<data>/evidence/<attempt>/` only when everything checks; in S3 they replace
    /// whatever a cut-off upload left and are read back for the checks. Then the evidence
    /// receipt is signed exactly as after an upload.
    pub fn import_evidence(
        &self,
        kiosk: &str,
        attempt: &str,
        files: &[EvidenceFile],
        from: Option<&Path>,
        now: i64,
    ) -> Result<EvidenceReceipt, Refusal> {
        let heads = self.expected_heads(kiosk, attempt)?;
        let digest = manifest_digest(files);
        let _g = lock(attempt);
        if let Some(r) = self.completed_receipt(attempt, &digest)? {
            return Ok(r);
        }
        check_manifest(files)?;
        let missing = |detail: String| Refusal::EvidenceMissing {
            attempt: attempt.to_owned(),
            detail,
        };
        let Some(from) = from else {
            return Err(missing("no evidence directory was given".into()));
        };
        let src = from.join(attempt);
        if !src.is_dir() {
            return Err(missing(format!("{} does not exist", src.display())));
        }
        let on_media = list_files(&src).map_err(|e| missing(format!("{}: {e}", src.display())))?;
        let listed: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        if let Some(extra) = on_media.keys().find(|p| !listed.contains(p.as_str())) {
            return Err(Refusal::EvidenceExtraOnMedia {
                attempt: attempt.to_owned(),
                path: extra.clone(),
            });
        }
        let store = self.evidence_store();
        store.begin_media(attempt).map_err(store_refusal)?;
        let r = self.copy_from_media(attempt, &src, files).and_then(|()| {
            self.accept_stored(kiosk, attempt, files, &digest, &heads, Area::Media, now)
        });
        if r.is_err() {
            // Anything the copy wrote is not evidence central holds.
            store.abort_media(attempt);
        }
        r
    }

    /// Copies the manifest's files from the media into the store's media area, each checked
    /// against its size and SHA-256 as it is copied.
    fn copy_from_media(
        &self,
        attempt: &str,
        src: &Path,
        files: &[EvidenceFile],
    ) -> Result<(), Refusal> {
        for f in files {
            let from = src.join(&f.path);
            match self.evidence_store().put_media(attempt, &f.path, &from) {
                Ok((size, sha256)) if size == f.size && sha256 == f.sha256 => {}
                Ok((size, _)) => {
                    return Err(Refusal::EvidenceMediaMismatch {
                        attempt: attempt.to_owned(),
                        path: f.path.clone(),
                        size,
                        expected_size: f.size,
                        expected_sha256: f.sha256.clone(),
                    })
                }
                Err(MediaCopyError::Read(e)) => {
                    return Err(Refusal::EvidenceUnreadable {
                        path: from.display().to_string(),
                        error: e.to_string(),
                    })
                }
                Err(MediaCopyError::Store(e)) => return Err(store_refusal(e)),
            }
        }
        Ok(())
    }

    /// The receipt of evidence completed before with the manifest `digest` (the same signed
    /// receipt again); with another manifest, `evidence-mismatch`. Call under [`lock`].
    fn completed_receipt(
        &self,
        attempt: &str,
        digest: &str,
    ) -> Result<Option<EvidenceReceipt>, Refusal> {
        let Some(r) = self
            .evidence_receipt(attempt)
            .map_err(Refusal::unavailable)?
        else {
            return Ok(None);
        };
        if r.body.manifest_sha256 == digest {
            // A completion whose verdict step failed (the store or the database went away
            // after the receipt was stored) finishes it now: a pass never stays awaiting.
            self.check_evidence(attempt).map_err(Refusal::unavailable)?;
            return Ok(Some(r));
        }
        Err(Refusal::EvidenceOtherManifest {
            attempt: attempt.to_owned(),
        })
    }

    /// The files stored in `area` equal the manifest byte for byte and the segments match
    /// the signed heads: make them the attempt's evidence, sign and store the evidence
    /// receipt. Call under [`lock`], after [`check_manifest`].
    #[allow(clippy::too_many_arguments)]
    fn accept_stored(
        &self,
        kiosk: &str,
        attempt: &str,
        files: &[EvidenceFile],
        digest: &str,
        heads: &[ChainHead],
        area: Area,
        now: i64,
    ) -> Result<EvidenceReceipt, Refusal> {
        let store = self.evidence_store();
        let stored = store.digests(attempt, area).map_err(store_refusal)?;
        let mismatch = |detail: String| Refusal::EvidenceMismatch {
            attempt: attempt.to_owned(),
            detail,
        };
        let listed: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        if let Some(extra) = stored.keys().find(|p| !listed.contains(p.as_str())) {
            return Err(mismatch(format!(
                "{extra} was uploaded but is not in the manifest"
            )));
        }
        for f in files {
            match stored.get(&f.path) {
                None => return Err(mismatch(format!("{} was not uploaded", f.path))),
                Some((size, _)) if *size != f.size => {
                    return Err(mismatch(format!(
                        "{}: {size} bytes uploaded, {} in the manifest",
                        f.path, f.size
                    )))
                }
                Some((_, sha256)) if *sha256 != f.sha256 => {
                    return Err(mismatch(format!(
                    "{} has other bytes than the kiosk's file (it changed after the upload began)",
                    f.path
                )))
                }
                Some(_) => {}
            }
        }
        check_segments(files, heads).map_err(|detail| Refusal::EvidenceSegments { detail })?;
        // Everything checks: keep it under the final name, then sign and store the receipt.
        store.seal(attempt, area).map_err(store_refusal)?;
        let receipt = Signed::sign(
            EvidenceReceiptBody {
                v: PROTOCOL_VERSION,
                attempt_id: attempt.to_owned(),
                kiosk_id: kiosk.to_owned(),
                manifest_sha256: digest.to_owned(),
                files: files.to_vec(),
                bytes: files.iter().map(|f| f.size).sum(),
                received_at: now,
            },
            self.key().ed25519(),
        );
        self.db()
            .execute(
                "INSERT INTO evidence (attempt, kiosk, manifest_sha256, bytes, received, receipt)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    attempt,
                    kiosk,
                    digest,
                    receipt.body.bytes as i64,
                    now,
                    serde_json::to_string(&receipt).expect("receipts serialize")
                ],
            )
            .map_err(Refusal::db)?;
        // A pass awaiting its evidence is now certified or held.
        self.check_evidence(attempt).map_err(Refusal::unavailable)?;
        Ok(receipt)
    }

    /// Opens a completed attempt's evidence with the evidence key: checks the stored result's
    /// signature (the kiosk's enrolled key), opens every segment and verifies its chain against
    /// the head signed in the result, then writes the frames as `seg-<n>/<index>.jpg` (`.png`
    /// for raw frames) and the result's incidents as `incidents.txt` / `incidents.json` into
    /// `out`.
    pub fn show_evidence(
        &self,
        attempt: &str,
        secret: &EvidenceSecret,
        out: &Path,
    ) -> Result<EvidenceShown, CentralError> {
        let (kiosk, result) = self.stored_result(attempt)?.ok_or_else(|| {
            CentralError::NotFound(format!(
                "central has no result of attempt {attempt}: check the attempt id"
            ))
        })?;
        let row = self.kiosk(&kiosk)?.ok_or_else(|| {
            CentralError::NotFound(format!("the result's kiosk {kiosk} is not enrolled"))
        })?;
        result.verify(&row.ed25519).map_err(|_| {
            CentralError::Invalid(format!(
                "the stored result of attempt {attempt} does not verify with kiosk {kiosk}'s key: central's database was altered; report it to ЕУМЦ security"
            ))
        })?;
        let head = result.record.evidence_head.as_deref().ok_or_else(|| {
            CentralError::NotFound(format!(
                "the signed result of attempt {attempt} names no webcam evidence"
            ))
        })?;
        let heads = segment_heads(head)
            .map_err(|e| CentralError::Invalid(format!("attempt {attempt}: evidence head: {e}")))?;
        if self.evidence_receipt(attempt)?.is_none() {
            return Err(CentralError::NotFound(format!(
                "the evidence of attempt {attempt} has not been received completely: the kiosk has to sync again"
            )));
        }
        let view = self.evidence_store().view(attempt)?;
        let dir = view.path();
        let io = |p: &Path| {
            let p = p.display().to_string();
            move |source| CentralError::Io { path: p, source }
        };
        std::fs::create_dir_all(out).map_err(io(out))?;
        let mut segments = Vec::new();
        for (i, expected) in heads.iter().enumerate() {
            let n = i + 1;
            let bad = |e: EvidenceError| {
                CentralError::Invalid(format!("attempt {attempt}, segment {n}: {e}"))
            };
            let reader = EvidenceReader::open(&dir.join(n.to_string()), secret).map_err(bad)?;
            if reader.attempt() != attempt {
                return Err(CentralError::Invalid(format!(
                    "attempt {attempt}, segment {n}: it was written for attempt {}: the evidence was swapped",
                    reader.attempt()
                )));
            }
            reader.verify_head(expected).map_err(bad)?;
            let seg_dir = out.join(format!("seg-{n}"));
            std::fs::create_dir_all(&seg_dir).map_err(io(&seg_dir))?;
            for f in reader.frames() {
                let frame = &f.frame;
                match frame.format {
                    PixelFormat::Jpeg => {
                        let p = seg_dir.join(format!("{:08}.jpg", f.index));
                        std::fs::write(&p, &frame.bytes).map_err(io(&p))?;
                    }
                    PixelFormat::Rgb8 => {
                        let p = seg_dir.join(format!("{:08}.png", f.index));
                        let img =
                            image::RgbImage::from_raw(frame.width, frame.height, frame.bytes.clone())
                                .ok_or_else(|| {
                                    CentralError::Invalid(format!(
                                        "attempt {attempt}, segment {n}: frame {} has {} bytes, not {}×{}×3",
                                        f.index,
                                        frame.bytes.len(),
                                        frame.width,
                                        frame.height
                                    ))
                                })?;
                        img.save_with_format(&p, image::ImageFormat::Png)
                            .map_err(|e| CentralError::Invalid(format!("{}: {e}", p.display())))?;
                    }
                }
            }
            segments.push(ShownSegment {
                number: n as u32,
                frames: reader.frames().len() as u64,
                head: expected.to_string(),
            });
        }
        let incidents = result.record.incidents.clone();
        let jp = out.join("incidents.json");
        std::fs::write(
            &jp,
            serde_json::to_vec_pretty(&incidents).expect("incidents serialize"),
        )
        .map_err(io(&jp))?;
        let tp = out.join("incidents.txt");
        let mut text = String::new();
        for i in &incidents {
            text.push_str(&format!(
                "{}  {}  {}  {}\n",
                self.office_zone().format_datetime_ms(i.at_ms),
                i.by,
                i.kind,
                i.note
            ));
        }
        if incidents.is_empty() {
            text.push_str("no incidents\n");
        }
        std::fs::write(&tp, text).map_err(io(&tp))?;
        Ok(EvidenceShown {
            attempt: attempt.to_owned(),
            kiosk,
            segments,
            incidents,
        })
    }
}

/// Every path is a segment file (`evidence-bad-path`), sorted without repeats, no file over
/// [`MAX_FILE`] (`evidence-too-large`).
fn check_manifest(files: &[EvidenceFile]) -> Result<(), Refusal> {
    if let Some(bad) = files.iter().find(|f| !path_ok(&f.path)) {
        return Err(Central::bad_path(&bad.path));
    }
    if files.windows(2).any(|w| w[0].path >= w[1].path) {
        return Err(Refusal::UnsortedManifest);
    }
    if let Some(big) = files.iter().find(|f| f.size > MAX_FILE) {
        return Err(Refusal::EvidenceTooLarge {
            path: big.path.clone(),
            max_mib: MAX_FILE >> 20,
        });
    }
    Ok(())
}

/// Each segment `1..=heads.len()` has its header and exactly frames `0..N-1`; nothing else.
fn check_segments(files: &[EvidenceFile], heads: &[ChainHead]) -> Result<(), String> {
    let mut headers = vec![false; heads.len()];
    let mut frames: Vec<BTreeSet<u64>> = vec![BTreeSet::new(); heads.len()];
    for f in files {
        let seg = segment_of(&f.path).unwrap_or(0) as usize;
        if seg == 0 || seg > heads.len() {
            return Err(format!(
                "{} is in a segment the signed result does not name (it names {})",
                f.path,
                heads.len()
            ));
        }
        let rest = &f.path[f.path.find('/').map_or(0, |i| i + 1)..];
        if rest == HEADER_FILE {
            headers[seg - 1] = true;
        } else if let Some(idx) = rest
            .strip_prefix(&format!("{FRAMES_DIR}/"))
            .and_then(|n| n.strip_suffix(".sef"))
            .and_then(|n| n.parse::<u64>().ok())
        {
            frames[seg - 1].insert(idx);
        }
    }
    for (i, h) in heads.iter().enumerate() {
        let n = i + 1;
        if !headers[i] {
            return Err(format!("segment {n} has no {HEADER_FILE}"));
        }
        let got = &frames[i];
        let exact =
            got.len() as u64 == h.frames && got.iter().enumerate().all(|(k, &idx)| k as u64 == idx);
        if !exact {
            return Err(format!(
                "segment {n} holds {} frame file(s), but the signed result's head says {}",
                got.len(),
                h.frames
            ));
        }
    }
    Ok(())
}

/// One segment as [`Central::show_evidence`] found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownSegment {
    /// Its number, from 1.
    pub number: u32,
    /// Frames opened and verified.
    pub frames: u64,
    /// Its head, as signed in the result.
    pub head: String,
}

/// What [`Central::show_evidence`] verified and wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceShown {
    /// The attempt.
    pub attempt: String,
    /// The kiosk that signed it.
    pub kiosk: String,
    /// Each segment, in order; every chain verified against the signed head.
    pub segments: Vec<ShownSegment>,
    /// The result's incidents.
    pub incidents: Vec<IncidentRecord>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_heads_parse_in_order_and_refuse_junk() {
        let a = format!("12:{}", "ab".repeat(32));
        let b = format!("3:{}", "cd".repeat(32));
        let h = segment_heads(&format!("{a} {b}")).unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!((h[0].frames, h[1].frames), (12, 3));
        assert_eq!(synaq_sync::evidence::join_heads(&h), format!("{a} {b}"));
        for bad in ["", " ", &format!("{a}  {b}"), &format!("{a} x"), "12:zz"] {
            assert!(segment_heads(bad).is_err(), "{bad:?}");
        }
    }

    fn file(path: &str) -> EvidenceFile {
        EvidenceFile {
            path: path.into(),
            size: 1,
            sha256: String::new(),
        }
    }

    #[test]
    fn segments_must_match_the_heads() {
        let heads = segment_heads(&format!("2:{} 0:{}", "ab".repeat(32), "cd".repeat(32))).unwrap();
        let good = [
            file("1/evidence.json"),
            file("1/frames/00000000.sef"),
            file("1/frames/00000001.sef"),
            file("2/evidence.json"),
        ];
        check_segments(&good, &heads).unwrap();
        // A dropped frame, an extra frame, a gap, a missing header, a segment too many.
        let dropped: Vec<EvidenceFile> = good
            .iter()
            .filter(|f| f.path != "1/frames/00000001.sef")
            .cloned()
            .collect();
        assert!(check_segments(&dropped, &heads).is_err());
        let mut extra = good.to_vec();
        extra.push(file("2/frames/00000000.sef"));
        assert!(check_segments(&extra, &heads).is_err());
        let gap = [
            file("1/evidence.json"),
            file("1/frames/00000000.sef"),
            file("1/frames/00000002.sef"),
            file("2/evidence.json"),
        ];
        assert!(check_segments(&gap, &heads).is_err());
        assert!(check_segments(&good[..3], &heads).is_err());
        let mut third = good.to_vec();
        third.push(file("3/evidence.json"));
        assert!(check_segments(&third, &heads).is_err());
    }
}
