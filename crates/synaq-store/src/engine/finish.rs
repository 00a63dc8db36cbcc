//! The finish: scoring, the `finished` journal row, the result signed with the kiosk key (its
//! incidents and webcam evidence heads included) into the outbox in one transaction; and
//! reading signed results back with their signatures checked.

use rusqlite::{params, Connection, OptionalExtension as _};
use serde_json::json;
use synaq_core::{score, Score};

use super::{Engine, FinishReason, Live, State, StoreError};
use crate::journal::{self, Head, Kind};
use crate::result::{ResultRecord, SignedResult};
use synaq_wire::journal::{replay, verify_links, Replay};
use synaq_wire::ResultLink;

impl Engine {
    /// Finishes the open exam (submit, or a proctor ending it) and returns the signed result.
    pub fn finish(&mut self, reason: FinishReason) -> Result<SignedResult, StoreError> {
        let mut live = self.take()?;
        let r = self.tick_live(&mut live).and_then(|_| {
            if live.state == State::Finished {
                return Err(live.refusal_when_finished());
            }
            self.finish_live(&mut live, reason)
        });
        self.live = Some(live);
        r
    }

    pub(super) fn finish_live(
        &mut self,
        live: &mut Live,
        reason: FinishReason,
    ) -> Result<SignedResult, StoreError> {
        let bank = self.exam_bank()?;
        // Nothing is signed over a journal that does not verify (whole when the bank was put to
        // use; since then every row after that point, up to the signed tip), and the result is
        // what the attempt's journal says.
        self.verify_since_open()?;
        let journal = self.check_against_journal(live)?;
        let score: Score = score(
            &live.paper,
            |id| bank.question(id),
            &live.answers,
            &live.category,
        );
        let wall = self.clock.wall_ms();
        let active = live.active_ms.min(live.limit_ms);
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE attempts SET state = 'finished', active_ms = ?2, finished_wall = ?3, finish_reason = ?4, passed = ?5 WHERE id = ?1",
            params![live.id, active as i64, wall, reason.as_str(), score.passed],
        )?;
        let head = journal::append(
            &tx,
            &self.head,
            &live.id,
            wall,
            active,
            Kind::Finished,
            &json!({
                "reason": reason.as_str(), "percent_milli": score.percent_milli, "passed": score.passed,
            }),
        )?;
        journal::sign_tip(&tx, &self.key, &head)?;
        let chain = next_link(&tx)?;
        let record = ResultRecord {
            format: 1,
            attempt_id: live.id.clone(),
            kiosk_id: self.key.id().to_string(),
            iin: live.iin.clone(),
            category: live.category.id.to_string(),
            bank_series: bank.series.clone(),
            bank_version: bank.version,
            seed: live.paper.seed,
            items: live.paper.items.clone(),
            answers: journal.answers,
            score,
            started_wall_ms: journal.admitted_wall_ms,
            finished_wall_ms: wall,
            active_ms: active,
            limit_ms: live.limit_ms,
            proctor: live.proctor.clone(),
            finish_reason: reason.as_str().to_owned(),
            journal_head: head.hex(),
            evidence_head: (!live.evidence_heads.is_empty()).then(|| live.evidence_heads.join(" ")),
            incidents: journal.incidents,
            chain: Some(chain),
        };
        let signed = SignedResult::sign(record, &self.key);
        tx.execute(
            "INSERT INTO outbox (attempt, result, created) VALUES (?1, ?2, ?3)",
            params![
                live.id,
                serde_json::to_string(&signed).expect("results serialize"),
                wall
            ],
        )?;
        tx.commit()?;
        self.head = head;
        live.state = State::Finished;
        live.finish_reason = Some(reason);
        live.active_ms = active;
        Ok(signed)
    }

    /// Records the heads of the open attempt's webcam evidence so far: one per segment (camera
    /// run), in order, the last one the running segment's (`N:hex` texts, see
    /// `docs/formats/evidence.md`). They are the attempt's, durable when this returns, taken
    /// back by a restart ([`Engine::evidence_heads`]) and signed into the result at the finish.
    /// A finished attempt's heads are signed already: refused like any change to it.
    pub fn record_evidence_heads<H: std::fmt::Display>(
        &mut self,
        heads: impl IntoIterator<Item = H>,
    ) -> Result<(), StoreError> {
        let heads: Vec<String> = heads.into_iter().map(|h| h.to_string()).collect();
        if let Some(bad) = heads
            .iter()
            .find(|h| h.is_empty() || h.contains(char::is_whitespace))
        {
            return Err(StoreError::Db(format!("malformed evidence head {bad:?}")));
        }
        let live = self.live.as_ref().ok_or(StoreError::NoAttempt)?;
        if live.state == State::Finished {
            return Err(live.refusal_when_finished());
        }
        if live.evidence_heads == heads {
            return Ok(());
        }
        self.conn.execute(
            "UPDATE attempts SET evidence_heads = ?2 WHERE id = ?1",
            params![live.id, heads.join(" ")],
        )?;
        self.unchecked += 1;
        if let Some(l) = self.live.as_mut() {
            l.evidence_heads = heads;
        }
        Ok(())
    }

    /// The evidence heads recorded for the open (or last) attempt, in segment order.
    pub fn evidence_heads(&self) -> &[String] {
        self.live
            .as_ref()
            .map(|l| l.evidence_heads.as_slice())
            .unwrap_or_default()
    }

    /// The signed result of the attempt on the kiosk, once it is finished (its signature
    /// checked with this kiosk's key).
    pub fn last_result(&self) -> Result<Option<ResultRecord>, StoreError> {
        let Some(l) = self.live.as_ref().filter(|l| l.state == State::Finished) else {
            return Ok(None);
        };
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT result FROM outbox WHERE attempt = ?1",
                [&l.id],
                |r| r.get(0),
            )
            .optional()?;
        json.map(|j| {
            crate::outbox::parse_signed(&l.id, &j, &self.kiosk_ed25519()).map(|s| s.record)
        })
        .transpose()
    }

    /// Results waiting for delivery, oldest first. Each one's signature is checked with this
    /// kiosk's key: a record changed in the database is refused with [`StoreError::Tampered`]
    /// naming its attempt, never handed on.
    pub fn outbox(&self) -> Result<Vec<SignedResult>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT attempt, result FROM outbox WHERE delivered IS NULL ORDER BY created",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (attempt, json) = row?;
            out.push(crate::outbox::parse_signed(
                &attempt,
                &json,
                &self.kiosk_ed25519(),
            )?);
        }
        Ok(out)
    }

    /// Checks everything that vouches for the kiosk's records: the journal's hash chain, its
    /// tip, that each signed result names its attempt's `finished` row (see
    /// [`journal::verify`]), and each stored result's signature with this kiosk's key.
    pub fn verify_journal(&self) -> Result<Head, StoreError> {
        let head = journal::verify(&self.conn).map_err(|e| match e {
            journal::VerifyError::Tampered(t) => StoreError::Tampered(t.to_string()),
            journal::VerifyError::Db(d) => d.into(),
        })?;
        crate::outbox::verify_all(&self.conn, &self.kiosk_ed25519())?;
        // The tip is signed with the kiosk key: rows rewritten with their hashes recomputed,
        // by someone without the key, leave a tip the key never signed.
        if head.seq > 0 {
            match journal::tip_signed_by(&self.conn, &self.kiosk_ed25519())? {
                Some(true) => {}
                Some(false) => return Err(StoreError::Tampered(
                    "the journal's tip is not the one this kiosk signed: its rows were rewritten"
                        .into(),
                )),
                None => {
                    return Err(StoreError::Tampered(
                        "the journal's tip is not signed: its rows were rewritten".into(),
                    ))
                }
            }
        }
        Ok(head)
    }
}

/// The next result's place in the kiosk's chain: one after the last signed result in the
/// outbox (which never loses a row: the journal's verification names a missing one), linked
/// to its digest.
fn next_link(conn: &Connection) -> Result<ResultLink, StoreError> {
    let count: i64 = conn.query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))?;
    let last: Option<String> = conn
        .query_row(
            "SELECT result FROM outbox ORDER BY rowid DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let prev = last
        .map(|json| {
            serde_json::from_str::<SignedResult>(&json)
                .map(|r| r.digest())
                .map_err(|_| StoreError::Tampered("the last signed result cannot be read".into()))
        })
        .transpose()?;
    Ok(ResultLink {
        seq: u64::try_from(count).unwrap_or(0) + 1,
        prev,
    })
}

impl Engine {
    /// The rows written since the whole journal was verified: they follow the verified head
    /// one by one, end at the recorded tip, and the tip is signed with the kiosk key.
    fn verify_since_open(&self) -> Result<(), StoreError> {
        let tampered = |what: String| StoreError::Tampered(format!("journal: {what}"));
        let rows = journal::rows_after(&self.conn, self.verified.seq)?;
        let Some(first) = rows.first() else {
            return Ok(());
        };
        if first.seq != self.verified.seq + 1 || first.prev_hash != self.verified.hex() {
            return Err(tampered(format!(
                "row {} does not follow the rows verified before it",
                first.seq
            )));
        }
        verify_links(&rows).map_err(|e| tampered(e.to_string()))?;
        let last = rows.last().expect("not empty");
        if journal::tip(&self.conn)?.map(|t| t.hex()) != Some(last.hash.clone()) {
            return Err(tampered("the journal does not end at its tip".into()));
        }
        if journal::tip_signed_by(&self.conn, &self.kiosk_ed25519())? != Some(true) {
            return Err(tampered(
                "the journal's tip is not the one this kiosk signed: its rows were rewritten"
                    .into(),
            ));
        }
        Ok(())
    }

    /// Checks the open attempt against its journal: its rows link up, one after the other, to
    /// the chain's head; and the tables the engine resumes from (paper, person, answers) say
    /// what the journal says. Returns the replayed journal. Anything else is tampering.
    pub(super) fn check_against_journal(&self, live: &Live) -> Result<Replay, StoreError> {
        let tampered = |what: String| StoreError::Tampered(format!("attempt {}: {what}", live.id));
        // From the attempt's first row to the chain's head: staff actions (attempt "") may
        // have come after its last row, while the exam was open.
        let first = journal::run_of(&self.conn, &live.id)?
            .first()
            .map(|r| r.seq);
        let rows = match first {
            Some(seq) => journal::rows_after(&self.conn, seq - 1)?,
            None => Vec::new(),
        };
        verify_links(&rows).map_err(|e| tampered(e.to_string()))?;
        if let Some(other) = rows
            .iter()
            .find(|r| r.attempt != live.id && !r.attempt.is_empty())
        {
            return Err(tampered(format!(
                "journal row {} belongs to another attempt",
                other.seq
            )));
        }
        if rows.last().map(|r| r.hash.as_str()) != Some(self.head.hex().as_str()) {
            return Err(tampered(
                "its journal does not end at the chain's head".into(),
            ));
        }
        let journal = replay(&rows, live.limit_ms).map_err(|e| tampered(e.to_string()))?;
        if !journal.finish_reason.is_empty() {
            return Err(tampered("its journal says it finished already".into()));
        }
        if journal
            .paper_digest
            .as_ref()
            .is_some_and(|d| *d != synaq_wire::paper_digest(&live.paper.items))
        {
            return Err(tampered(
                "its paper is not the one drawn at admission".into(),
            ));
        }
        if journal
            .iin_digest
            .as_ref()
            .is_some_and(|d| *d != synaq_wire::iin_digest(&live.id, &live.iin))
        {
            return Err(tampered("its examinee is not the one admitted".into()));
        }
        let answers: Vec<Vec<String>> = (0..live.paper.items.len())
            .map(|p| {
                live.answers
                    .get(&p)
                    .map(|s| s.iter().cloned().collect())
                    .unwrap_or_default()
            })
            .collect();
        if live.started_wall != journal.admitted_wall_ms {
            return Err(tampered("its start is not the admission's".into()));
        }
        if answers != journal.answers {
            return Err(tampered("its answers are not the ones journalled".into()));
        }
        Ok(journal)
    }
}
