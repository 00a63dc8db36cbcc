//! The exam journal as it travels with its result: the rows exactly as the kiosk chained them,
//! the one hash of a row (the kiosk's store chains with it, central checks with it), the check
//! that an attempt's rows form one unbroken chain ending at the signed head, and the replay that
//! turns those rows into what the result must say.
//!
//! A kiosk keeps one chain for all its attempts; an attempt's rows are the contiguous run from
//! its `admitted` row to its `finished` row. The first row's `prev_hash` is the end of the
//! kiosk's chain before the admission, so consecutive results of one kiosk link up as well.
//! Staff actions outside any exam (attempt `""`: an import, a sync, a print while the exam
//! runs) are chained in the same run: they travel with it so the links can be checked, and
//! the replay passes over them.

use std::collections::{BTreeMap, BTreeSet};

use ring::digest::{Context, SHA256};
use serde::{Deserialize, Serialize};

use crate::result::{IncidentRecord, ResultRecord};

const DOMAIN: &[u8] = b"synaq journal v1\0";

/// The hash of one row: SHA-256 over the domain, the previous row's hash and the row's fields
/// (texts length-prefixed). Wire format: do not change.
pub fn row_hash(
    prev: &[u8; 32],
    seq: i64,
    attempt: &str,
    wall: i64,
    active: i64,
    kind: &str,
    data: &str,
) -> [u8; 32] {
    let mut c = Context::new(&SHA256);
    c.update(DOMAIN);
    c.update(prev);
    c.update(&seq.to_be_bytes());
    for field in [attempt, kind, data] {
        c.update(&(field.len() as u64).to_be_bytes());
        c.update(field.as_bytes());
    }
    c.update(&wall.to_be_bytes());
    c.update(&active.to_be_bytes());
    c.finish().as_ref().try_into().expect("SHA-256 is 32 bytes")
}

/// One journal row as it travels. Wire format: do not change fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalRow {
    /// The row's number in the kiosk's chain.
    pub seq: i64,
    /// The attempt it belongs to.
    pub attempt: String,
    /// Kiosk wall clock, Unix milliseconds.
    pub at_wall: i64,
    /// The attempt's active (charged) time when the row was written, milliseconds.
    pub at_active_ms: i64,
    /// What happened (`admitted`, `shown`, `answered`, …, `finished`).
    pub kind: String,
    /// The row's data: JSON text, exactly as hashed.
    pub data: String,
    /// The previous row's hash (hex).
    pub prev_hash: String,
    /// This row's hash (hex).
    pub hash: String,
}

/// An attempt's run of journal rows, as it travels beside its signed result (push and
/// removable media). Wire format: do not change fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttemptJournal {
    /// The attempt.
    pub attempt: String,
    /// Its rows, from the admission to the finish.
    pub rows: Vec<JournalRow>,
}

impl JournalRow {
    /// The hash this row must have after `prev`.
    pub fn expected_hash(&self, prev: &[u8; 32]) -> [u8; 32] {
        row_hash(
            prev,
            self.seq,
            &self.attempt,
            self.at_wall,
            self.at_active_ms,
            &self.kind,
            &self.data,
        )
    }
}

/// Why an attempt's journal cannot be trusted, or does not say what its result says.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JournalError {
    /// No rows travelled with the result.
    #[error("the result came without its journal")]
    Empty,
    /// A row is not the one after the row before it (a gap in the numbers).
    #[error("journal row {seq} does not follow row {prev}: rows are missing")]
    Gap { prev: i64, seq: i64 },
    /// A row does not link to the row before it.
    #[error("journal row {0} does not link to the row before it")]
    Broken(i64),
    /// A row's contents do not match its hash.
    #[error("journal row {0} was changed after it was written")]
    Edited(i64),
    /// A row of another attempt is in the run.
    #[error("journal row {0} belongs to another attempt")]
    OtherAttempt(i64),
    /// The run does not end at the head the kiosk signed into the result.
    #[error("the journal ends at {last}, not at the head the result was signed with ({signed})")]
    HeadMismatch { last: String, signed: String },
    /// The run does not start with the admission or end with the finish.
    #[error(
        "the journal does not run from the admission to the finish (first {first}, last {last})"
    )]
    Incomplete { first: String, last: String },
    /// A row's data cannot be read.
    #[error("journal row {seq} cannot be read: {detail}")]
    Malformed { seq: i64, detail: String },
}

fn parse_hash(seq: i64, hex_text: &str) -> Result<[u8; 32], JournalError> {
    let bytes = hex::decode(hex_text).map_err(|e| JournalError::Malformed {
        seq,
        detail: format!("hash: {e}"),
    })?;
    bytes.try_into().map_err(|_| JournalError::Malformed {
        seq,
        detail: "a hash is 32 bytes".into(),
    })
}

/// Checks that `rows` are one attempt's unbroken run, each row's hash right, ending at
/// `signed_head` (hex), from its `admitted` row to its `finished` row.
pub fn verify_run(rows: &[JournalRow], signed_head: &str) -> Result<(), JournalError> {
    let (first, last) = match (rows.first(), rows.last()) {
        (Some(f), Some(l)) => (f, l),
        _ => return Err(JournalError::Empty),
    };
    if first.kind != "admitted" || last.kind != "finished" {
        return Err(JournalError::Incomplete {
            first: first.kind.clone(),
            last: last.kind.clone(),
        });
    }
    // Staff rows (attempt "") may sit inside the run; another attempt's rows may not.
    if let Some(other) = rows
        .iter()
        .find(|r| r.attempt != first.attempt && !r.attempt.is_empty())
    {
        return Err(JournalError::OtherAttempt(other.seq));
    }
    verify_links(rows)?;
    if last.hash != signed_head {
        return Err(JournalError::HeadMismatch {
            last: last.hash.clone(),
            signed: signed_head.to_owned(),
        });
    }
    Ok(())
}

/// Checks that `rows` follow each other: consecutive numbers, each linked to the row before
/// and its hash right. (The kiosk checks the run of an open attempt with this
/// before it signs; [`verify_run`] adds the admission, the finish and the signed head.)
pub fn verify_links(rows: &[JournalRow]) -> Result<(), JournalError> {
    let Some(first) = rows.first() else {
        return Err(JournalError::Empty);
    };
    let mut prev = parse_hash(first.seq, &first.prev_hash)?;
    let mut prev_hex = first.prev_hash.as_str();
    let mut prev_seq = first.seq - 1;
    for row in rows {
        if row.seq != prev_seq + 1 {
            return Err(JournalError::Gap {
                prev: prev_seq,
                seq: row.seq,
            });
        }
        if !row.prev_hash.eq_ignore_ascii_case(prev_hex) {
            return Err(JournalError::Broken(row.seq));
        }
        let hash = row.expected_hash(&prev);
        if !row.hash.eq_ignore_ascii_case(&hex::encode(hash)) {
            return Err(JournalError::Edited(row.seq));
        }
        prev = hash;
        prev_hex = &row.hash;
        prev_seq = row.seq;
    }
    Ok(())
}

/// What an attempt's journal says happened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replay {
    /// The attempt's id.
    pub attempt: String,
    /// Who admitted the examinee.
    pub admitted_by: String,
    /// The category, seed and number of questions of the paper drawn at admission.
    pub category: String,
    pub seed: u64,
    pub questions: usize,
    /// The bank the paper was drawn from (`SERIES vVERSION`).
    pub bank: String,
    /// How many questions the paper avoided because the person saw them in failed attempts
    /// here and at other kiosks.
    pub seen_here: usize,
    pub seen_elsewhere: usize,
    /// The selected options per position, after the last answer to each.
    pub answers: Vec<Vec<String>>,
    /// Incidents in journal order.
    pub incidents: Vec<IncidentRecord>,
    /// Every proctor named by an act (pause, resume, extension) or an incident.
    pub proctors: BTreeSet<String>,
    /// Time the proctors added, milliseconds.
    pub extra_ms: u64,
    /// How the exam ended (`submitted`, `time-up`, `violation`).
    pub finish_reason: String,
    /// Active time at the finish, milliseconds.
    pub active_ms: u64,
    /// Wall clock of the admission and of the finish.
    pub admitted_wall_ms: i64,
    pub finished_wall_ms: i64,
    /// Positions answered while the active time was already past the limit.
    pub answered_after_time: Vec<usize>,
    /// How many answers were given, changes included.
    pub answers_count: usize,
    /// What the admission row commits to: the paper's and the person's digests
    /// ([`crate::paper_digest`], [`crate::iin_digest`]); absent in rows of older kiosks.
    pub paper_digest: Option<String>,
    pub iin_digest: Option<String>,
    /// Wall clock of the examinee's start (the `started` row): the clock runs from there.
    /// `None` in journals of older kiosks, whose clock started at the admission.
    pub started_wall_ms: Option<i64>,
    /// Positions answered before the examinee's start, in a journal that has one (a kiosk
    /// never writes them: the clock and the answers wait for the start).
    pub answered_before_start: Vec<usize>,
    /// The position of the last `shown` row: where the examinee returns after a resume.
    pub last_shown: Option<usize>,
}

fn field<'a>(
    v: &'a serde_json::Value,
    seq: i64,
    key: &str,
) -> Result<&'a serde_json::Value, JournalError> {
    v.get(key).ok_or_else(|| JournalError::Malformed {
        seq,
        detail: format!("no {key:?}"),
    })
}

fn text(v: &serde_json::Value, seq: i64, key: &str) -> Result<String, JournalError> {
    field(v, seq, key)?
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| JournalError::Malformed {
            seq,
            detail: format!("{key:?} is not text"),
        })
}

fn number(v: &serde_json::Value, seq: i64, key: &str) -> Result<u64, JournalError> {
    field(v, seq, key)?
        .as_u64()
        .ok_or_else(|| JournalError::Malformed {
            seq,
            detail: format!("{key:?} is not a number"),
        })
}

/// Replays an attempt's rows (checked with [`verify_run`] first) into what happened.
pub fn replay(rows: &[JournalRow], base_limit_ms: u64) -> Result<Replay, JournalError> {
    let mut out = Replay::default();
    let mut answers: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut limit = base_limit_ms;
    // A journal with a start row: nothing may be answered before it.
    let starts = rows.iter().any(|r| r.kind == "started");
    for row in rows {
        let seq = row.seq;
        if row.attempt.is_empty() {
            continue; // a staff action outside the exam: it says nothing about the result
        }
        if !matches!(
            row.kind.as_str(),
            "admitted"
                | "started"
                | "shown"
                | "answered"
                | "paused"
                | "resumed"
                | "extended"
                | "incident"
                | "finished"
        ) {
            continue; // flagged, clock and interruption rows say nothing the result does
        }
        let v: serde_json::Value =
            serde_json::from_str(&row.data).map_err(|e| JournalError::Malformed {
                seq,
                detail: e.to_string(),
            })?;
        match row.kind.as_str() {
            "admitted" => {
                out.attempt = row.attempt.clone();
                out.admitted_by = text(&v, seq, "proctor")?;
                out.category = text(&v, seq, "category")?;
                out.seed = number(&v, seq, "seed")?;
                out.questions = number(&v, seq, "questions")? as usize;
                out.bank = text(&v, seq, "bank")?;
                out.seen_here = number(&v, seq, "seen_here").unwrap_or(0) as usize;
                out.seen_elsewhere = number(&v, seq, "seen_elsewhere").unwrap_or(0) as usize;
                out.paper_digest = text(&v, seq, "paper").ok();
                out.iin_digest = text(&v, seq, "iin_digest").ok();
                out.admitted_wall_ms = row.at_wall;
            }
            "started" => {
                out.started_wall_ms.get_or_insert(row.at_wall);
            }
            "shown" => {
                out.last_shown = Some(number(&v, seq, "position")? as usize);
            }
            "answered" => {
                let position = number(&v, seq, "position")? as usize;
                let options: Vec<String> =
                    serde_json::from_value(field(&v, seq, "options")?.clone()).map_err(|e| {
                        JournalError::Malformed {
                            seq,
                            detail: e.to_string(),
                        }
                    })?;
                if u64::try_from(row.at_active_ms).unwrap_or(0) > limit {
                    out.answered_after_time.push(position);
                }
                if starts && out.started_wall_ms.is_none() {
                    out.answered_before_start.push(position);
                }
                out.answers_count += 1;
                if options.is_empty() {
                    answers.remove(&position);
                } else {
                    answers.insert(position, options);
                }
            }
            "paused" | "resumed" | "extended" => {
                out.proctors.insert(text(&v, seq, "proctor")?);
                let extra = number(&v, seq, "extra_ms").unwrap_or(0);
                out.extra_ms += extra;
                limit += extra;
            }
            "incident" => {
                let incident = IncidentRecord {
                    at_ms: row.at_wall,
                    by: text(&v, seq, "by")?,
                    kind: text(&v, seq, "kind")?,
                    note: text(&v, seq, "note")?,
                };
                if incident.by != "camera" {
                    out.proctors.insert(incident.by.clone());
                }
                out.incidents.push(incident);
            }
            "finished" => {
                out.finish_reason = text(&v, seq, "reason")?;
                out.active_ms = u64::try_from(row.at_active_ms).unwrap_or(0);
                out.finished_wall_ms = row.at_wall;
            }
            _ => {}
        }
    }
    out.answers = (0..out.questions)
        .map(|p| answers.remove(&p).unwrap_or_default())
        .collect();
    if let Some((&p, _)) = answers.iter().next() {
        return Err(JournalError::Malformed {
            seq: rows.last().map_or(0, |r| r.seq),
            detail: format!("an answer to position {p}, beyond the paper"),
        });
    }
    Ok(out)
}

/// Where a result says something else than its journal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Mismatch {
    /// A field of the result differs from the replayed journal.
    #[error("the result's {field} is not what its journal says ({result} vs {journal})")]
    Field {
        field: &'static str,
        result: String,
        journal: String,
    },
}

fn differ(field: &'static str, result: impl ToString, journal: impl ToString) -> Mismatch {
    Mismatch::Field {
        field,
        result: result.to_string(),
        journal: journal.to_string(),
    }
}

/// Compares a result with its replayed journal: every field the journal determines.
pub fn compare(record: &ResultRecord, replay: &Replay) -> Vec<Mismatch> {
    let mut out = Vec::new();
    if record.attempt_id != replay.attempt {
        out.push(differ("attempt", &record.attempt_id, &replay.attempt));
    }
    if record.proctor != replay.admitted_by {
        out.push(differ("proctor", &record.proctor, &replay.admitted_by));
    }
    if record.category != replay.category {
        out.push(differ("category", &record.category, &replay.category));
    }
    if record.seed != replay.seed {
        out.push(differ("seed", record.seed, replay.seed));
    }
    let bank = format!("{} v{}", record.bank_series, record.bank_version);
    if bank != replay.bank {
        out.push(differ("bank", bank, &replay.bank));
    }
    if record.items.len() != replay.questions {
        out.push(differ("questions", record.items.len(), replay.questions));
    }
    if let Some(committed) = &replay.paper_digest {
        let paper = crate::paper_digest(&record.items);
        if &paper != committed {
            out.push(differ("paper", paper, committed));
        }
    }
    if let Some(committed) = &replay.iin_digest {
        if &crate::iin_digest(&record.attempt_id, &record.iin) != committed {
            // The numbers themselves are never printed.
            out.push(differ("person", "the result's ИИН", "the admitted ИИН"));
        }
    }
    let mut answers: Vec<Vec<String>> = record.answers.clone();
    for a in &mut answers {
        a.sort();
    }
    let mut replayed = replay.answers.clone();
    for a in &mut replayed {
        a.sort();
    }
    if answers != replayed {
        let first = (0..answers.len().max(replayed.len()))
            .find(|&p| answers.get(p) != replayed.get(p))
            .unwrap_or(0);
        out.push(differ(
            "answers",
            format!("position {first}: {:?}", answers.get(first)),
            format!("{:?}", replayed.get(first)),
        ));
    }
    if record.incidents != replay.incidents {
        out.push(differ(
            "incidents",
            record.incidents.len(),
            replay.incidents.len(),
        ));
    }
    if record.finish_reason != replay.finish_reason {
        out.push(differ(
            "finish reason",
            &record.finish_reason,
            &replay.finish_reason,
        ));
    }
    if record.active_ms != replay.active_ms {
        out.push(differ("active time", record.active_ms, replay.active_ms));
    }
    if record.started_wall_ms != replay.admitted_wall_ms {
        out.push(differ(
            "start",
            record.started_wall_ms,
            replay.admitted_wall_ms,
        ));
    }
    if record.finished_wall_ms != replay.finished_wall_ms {
        out.push(differ(
            "finish",
            record.finished_wall_ms,
            replay.finished_wall_ms,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(rows: &[(&str, &str, i64)]) -> Vec<JournalRow> {
        let mut prev = [7u8; 32];
        rows.iter()
            .enumerate()
            .map(|(i, (kind, data, active))| {
                let seq = 10 + i as i64;
                let hash = row_hash(&prev, seq, "k-1", 1_000 + seq, *active, kind, data);
                let row = JournalRow {
                    seq,
                    attempt: "k-1".into(),
                    at_wall: 1_000 + seq,
                    at_active_ms: *active,
                    kind: (*kind).into(),
                    data: (*data).into(),
                    prev_hash: hex::encode(prev),
                    hash: hex::encode(hash),
                };
                prev = hash;
                row
            })
            .collect()
    }

    fn exam() -> Vec<JournalRow> {
        chain(&[
            (
                "admitted",
                r#"{"bank":"demo v3","category":"cat-1","iin":"9001******17","proctor":"p1","questions":2,"seed":42,"seen_elsewhere":0,"seen_here":0}"#,
                0,
            ),
            ("answered", r#"{"options":["b"],"position":0}"#, 30_000),
            (
                "incident",
                r#"{"by":"camera","kind":"camera-no-face","note":"f"}"#,
                31_000,
            ),
            ("answered", r#"{"options":["a","c"],"position":1}"#, 60_000),
            ("answered", r#"{"options":["a"],"position":1}"#, 70_000),
            (
                "extended",
                r#"{"extra_ms":60000,"proctor":"p2","reason":"health: x"}"#,
                80_000,
            ),
            ("answered", r#"{"options":["c"],"position":1}"#, 250_000),
            (
                "finished",
                r#"{"passed":false,"percent_milli":50000,"reason":"submitted"}"#,
                250_000,
            ),
        ])
    }

    #[test]
    fn an_honest_run_verifies_and_replays() {
        let rows = exam();
        let head = rows.last().unwrap().hash.clone();
        verify_run(&rows, &head).unwrap();
        let r = replay(&rows, 240_000).unwrap();
        assert_eq!(r.answers, vec![vec!["b".to_owned()], vec!["c".to_owned()]]);
        assert_eq!((r.seed, r.questions, r.active_ms), (42, 2, 250_000));
        assert_eq!(r.extra_ms, 60_000);
        assert_eq!(r.incidents.len(), 1);
        assert_eq!(
            r.proctors.iter().map(String::as_str).collect::<Vec<_>>(),
            ["p2"]
        );
        // 250 s charged, limit 240 s + 60 s extension: in time.
        assert!(r.answered_after_time.is_empty());
        let late = replay(
            &rows[..5]
                .iter()
                .chain(&rows[6..])
                .cloned()
                .collect::<Vec<_>>(),
            240_000,
        )
        .unwrap();
        assert_eq!(late.answered_after_time, [1]);
    }

    const ADMITTED: &str = r#"{"bank":"demo v3","category":"cat-1","iin":"9001******17","proctor":"p1","questions":2,"seed":42,"seen_elsewhere":0,"seen_here":0}"#;
    const FINISHED: &str = r#"{"passed":false,"percent_milli":50000,"reason":"submitted"}"#;

    #[test]
    fn a_journal_without_a_start_row_replays_as_before() {
        let r = replay(&exam(), 240_000).unwrap();
        assert_eq!(r.started_wall_ms, None);
        assert!(r.answered_before_start.is_empty());
        assert_eq!(r.last_shown, None);
    }

    #[test]
    fn the_start_row_is_where_the_clock_starts_and_answers_before_it_are_named() {
        let rows = chain(&[
            ("admitted", ADMITTED, 0),
            ("started", "{}", 0),
            ("shown", r#"{"position":0,"question":"q1"}"#, 0),
            ("answered", r#"{"options":["b"],"position":0}"#, 5_000),
            ("shown", r#"{"position":1,"question":"q2"}"#, 6_000),
            (
                "paused",
                r#"{"extra_ms":0,"proctor":"p2","reason":"proctor-visit"}"#,
                7_000,
            ),
            (
                "resumed",
                r#"{"extra_ms":0,"proctor":"p2","reason":"proctor-visit"}"#,
                7_000,
            ),
            ("finished", FINISHED, 9_000),
        ]);
        verify_run(&rows, &rows.last().unwrap().hash).unwrap();
        let r = replay(&rows, 240_000).unwrap();
        // The start row's wall time (the chain's rows are 1 ms apart from seq 10).
        assert_eq!(r.started_wall_ms, Some(1_011));
        assert_eq!(r.admitted_wall_ms, 1_010);
        assert_eq!(r.last_shown, Some(1));
        assert!(r.answered_before_start.is_empty());
        // A visit's pause names its proctor and adds no time.
        assert_eq!(r.extra_ms, 0);
        assert!(r.proctors.contains("p2"));
        // An answer journalled before the start row.
        let early = chain(&[
            ("admitted", ADMITTED, 0),
            ("answered", r#"{"options":["a"],"position":1}"#, 0),
            ("started", "{}", 0),
            ("finished", FINISHED, 1_000),
        ]);
        assert_eq!(replay(&early, 240_000).unwrap().answered_before_start, [1]);
    }

    #[test]
    fn every_kind_of_tampering_is_named() {
        let rows = exam();
        let head = rows.last().unwrap().hash.clone();
        let mut edited = rows.clone();
        edited[1].data = r#"{"options":["a"],"position":0}"#.into();
        assert_eq!(verify_run(&edited, &head), Err(JournalError::Edited(11)));
        let mut gap = rows.clone();
        gap.remove(2);
        assert_eq!(
            verify_run(&gap, &head),
            Err(JournalError::Gap { prev: 11, seq: 13 })
        );
        assert_eq!(
            verify_run(&rows[..7], &head),
            Err(JournalError::Incomplete {
                first: "admitted".into(),
                last: "answered".into()
            })
        );
        assert!(matches!(
            verify_run(&rows, &"00".repeat(32)),
            Err(JournalError::HeadMismatch { .. })
        ));
        assert_eq!(verify_run(&[], &head), Err(JournalError::Empty));
        let mut other = rows.clone();
        other[3].attempt = "k-2".into();
        assert_eq!(
            verify_run(&other, &head),
            Err(JournalError::OtherAttempt(13))
        );
    }
}
