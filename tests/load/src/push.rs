//! The timed phase: every kiosk at once pushes its results and uploads their evidence over
//! HTTPS with the kiosk's client (`synaq_sync::Client`: signed requests, pinned TLS, signed
//! answers), as a kiosk's sync does: `/v1/push` with the journal runs, then per attempt
//! `/v1/evidence/status` → `/v1/evidence/chunk` per file → `/v1/evidence/complete`, each
//! receipt checked against the files sent. Central's 5xx answers are retried with the
//! client's backoff, as a kiosk's sync retries them; the request logs count them
//! ([`crate::central::Answers`]). What still fails after the retries is an error.

use std::time::{Duration, Instant};

use synaq_sync::evidence::{
    check_receipt, encode_chunk, ChunkAck, EvidenceChunk, EvidenceComplete, MAX_CHUNK,
};
use synaq_sync::proto::Decision;
use synaq_sync::{Client, EvidenceReceipt, Outcome, PROTOCOL_VERSION};

use crate::fleet::{Exam, SimKiosk};

/// What one kiosk's sync measured.
#[derive(Debug, Default)]
pub struct KioskRun {
    /// The `/v1/push` of all its results.
    pub push: Option<Duration>,
    /// Each attempt's evidence upload (status, chunks, complete).
    pub evidence: Vec<Duration>,
    /// Evidence bytes sent.
    pub evidence_bytes: u64,
    /// HTTPS calls made (a call retried after a 5xx counts once).
    pub requests: u64,
    /// Everything that went wrong (each one an error of the run).
    pub errors: Vec<String>,
}

/// Pushes `kiosk`'s results and uploads their evidence with `client`.
pub async fn sync(kiosk: &SimKiosk, client: &Client) -> KioskRun {
    let mut run = KioskRun::default();
    let results: Vec<_> = kiosk.exams.iter().map(|e| e.result.clone()).collect();
    let journals: Vec<_> = kiosk.exams.iter().map(|e| e.journal.clone()).collect();
    let t = Instant::now();
    let resp = client.push_with_retry(&results, &journals).await;
    run.requests += 1;
    match resp {
        Ok(resp) => {
            run.push = Some(t.elapsed());
            for (exam, outcome) in kiosk.exams.iter().zip(&resp.outcomes) {
                if let Err(e) = check_outcome(client, exam, outcome) {
                    run.errors.push(e);
                }
            }
        }
        Err(e) => {
            run.errors
                .push(format!("push of kiosk {}: {e}", client.kiosk_id()));
            return run;
        }
    }
    for exam in &kiosk.exams {
        let t = Instant::now();
        match upload(client, exam, &mut run).await {
            Ok(()) => run.evidence.push(t.elapsed()),
            Err(e) => run.errors.push(format!(
                "evidence of {}: {e}",
                exam.result.record.attempt_id
            )),
        }
    }
    run
}

/// A delivered receipt, signed by central, for this result, deciding what it must: a pass
/// waits for its evidence, a fail is recorded as failed.
fn check_outcome(client: &Client, exam: &Exam, outcome: &Outcome) -> Result<(), String> {
    let attempt = &exam.result.record.attempt_id;
    let Outcome::Delivered { receipt } = outcome else {
        return Err(format!("{attempt}: {outcome:?}"));
    };
    let body = receipt
        .verify(&client.central().ed25519)
        .map_err(|e| format!("{attempt}: receipt: {e}"))?;
    if &body.attempt_id != attempt {
        return Err(format!("{attempt}: a receipt for {}", body.attempt_id));
    }
    match (&body.decision, exam.pass) {
        (Decision::Pending { state, reasons }, true)
            if state == "awaiting-evidence" && reasons.is_empty() =>
        {
            Ok(())
        }
        (Decision::Failed { .. }, false) => Ok(()),
        (d, pass) => Err(format!(
            "{attempt}: decided {d:?} for a {}",
            if pass { "pass" } else { "fail" }
        )),
    }
}

/// One attempt's evidence: what central holds, the rest in chunks, complete, the receipt
/// checked against exactly the files sent.
async fn upload(client: &Client, exam: &Exam, run: &mut KioskRun) -> Result<(), String> {
    let attempt = exam.result.record.attempt_id.as_str();
    let status = client
        .evidence_status(attempt)
        .await
        .map_err(|e| e.to_string())?;
    run.requests += 1;
    if status.receipt.is_some() || !status.files.is_empty() {
        return Err("central held evidence before the upload".into());
    }
    for f in &exam.files {
        let bytes = std::fs::read(exam.dir.join(&f.path)).map_err(|e| e.to_string())?;
        let mut off = 0;
        for chunk in bytes.chunks(MAX_CHUNK) {
            let ack: ChunkAck = client
                .call_with_retry(
                    "/v1/evidence/chunk",
                    &EvidenceChunk {
                        v: PROTOCOL_VERSION,
                        attempt_id: attempt.to_owned(),
                        path: f.path.clone(),
                        offset: off,
                        data: encode_chunk(chunk),
                    },
                )
                .await
                .map_err(|e| format!("{}: {e}", f.path))?;
            run.requests += 1;
            off += chunk.len() as u64;
            if ack.size != off {
                return Err(format!("{}: central holds {} of {off}", f.path, ack.size));
            }
        }
        run.evidence_bytes += off;
    }
    let receipt: EvidenceReceipt = client
        .call_with_retry(
            "/v1/evidence/complete",
            &EvidenceComplete {
                v: PROTOCOL_VERSION,
                attempt_id: attempt.to_owned(),
                files: exam.files.clone(),
            },
        )
        .await
        .map_err(|e| format!("complete: {e}"))?;
    run.requests += 1;
    check_receipt(
        &receipt,
        &client.central().ed25519,
        &client.kiosk_id(),
        attempt,
        &exam.files,
    )
    .map_err(|e| e.to_string())
}
