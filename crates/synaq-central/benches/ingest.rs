//! Ingest throughput of signed results with their journals (signature, journal replay against
//! the signed head, the paper drawn again from the bank, re-scoring, people, time, retakes,
//! the kiosk's chain, store, receipt), next to a floor measured in the same run: Ed25519
//! verify + SHA-256 over the result's and its journal's bytes + one SQLite insert per result
//! (both kept, as central keeps them),
//! same durability settings and batch size (one transaction per push of `BATCH`). Evidence is
//! verified when it is uploaded, not at ingest: `cargo xtask bench proctor` measures sealing.
//!
//! Run: `cargo bench -p synaq-central --bench ingest` (env `SYNAQ_BENCH_N` for the count).
#![forbid(unsafe_code)]

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

use synaq_central::{unix_now, Central, NewRosterEntry};
use synaq_core::{Bin, CategoryId, Iin};
use synaq_seal::bank::{self, BankMeta};
use synaq_seal::{FileTrustStore, IssuerPublic, KioskSecret};
use synaq_store::engine::FinishReason;
use synaq_store::{Engine, ExamBank, SignedResult, SystemClock};
use synaq_wire::journal::row_hash;
use synaq_wire::{AttemptJournal, JournalRow, ResultLink};

const BATCH: usize = 100;
const DEMO_BANK: &[u8] = include_bytes!("../../../assets/demo/demo.synaqbank");
const DEMO_ISSUER: &str = include_str!("../../../assets/demo/keys/demo-issuer.pub");
const DEMO_KIOSK: &str = include_str!("../../../assets/demo/keys/demo-kiosk.key");

fn iins(count: usize) -> Vec<Iin> {
    let mut out = Vec::new();
    let (mut day, mut serial) = (1u32, 0u32);
    while out.len() < count {
        let s = format!("9001{day:02}3{serial:04}");
        let d: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
        if let Some(c) = synaq_core::id::control_digit(&d.try_into().unwrap()) {
            if let Ok(i) = Iin::parse(&format!("{s}{c}")) {
                out.push(i);
            }
        }
        serial += 1;
        if serial == 10_000 {
            serial = 0;
            day += 1;
        }
    }
    out
}

/// The index of a bench attempt (`KIOSK-{i:016x}`).
fn index(attempt: &str) -> usize {
    usize::from_str_radix(attempt.rsplit('-').next().unwrap(), 16).unwrap()
}

/// `template`'s journal run for another attempt and person, following `prev_head`: what the
/// kiosk would have written, every hash recomputed.
fn rerun(template: &[JournalRow], attempt: &str, iin: &Iin, prev_head: &str) -> Vec<JournalRow> {
    let mut prev: [u8; 32] = hex::decode(prev_head).unwrap().try_into().unwrap();
    let first = template[0].seq;
    template
        .iter()
        .enumerate()
        .map(|(k, row)| {
            let data = if row.kind == "admitted" {
                let mut v: serde_json::Value = serde_json::from_str(&row.data).unwrap();
                v["iin"] = iin.masked().into();
                v["iin_digest"] = synaq_wire::iin_digest(attempt, &iin.as_str()).into();
                v.to_string()
            } else {
                row.data.clone()
            };
            let seq = first + k as i64;
            let hash = row_hash(
                &prev,
                seq,
                attempt,
                row.at_wall,
                row.at_active_ms,
                &row.kind,
                &data,
            );
            let out = JournalRow {
                seq,
                attempt: attempt.to_owned(),
                at_wall: row.at_wall,
                at_active_ms: row.at_active_ms,
                kind: row.kind.clone(),
                data,
                prev_hash: hex::encode(prev),
                hash: hex::encode(hash),
            };
            prev = hash;
            out
        })
        .collect()
}

fn main() {
    let n: usize = std::env::var("SYNAQ_BENCH_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5_000);
    let dir = tempfile::tempdir().unwrap();
    let central = Central::open(&dir.path().join("central"), "http://127.0.0.1:1").unwrap();
    central.add_branch("ALM-01", "Алматы").unwrap();

    // The demo content, signed by this central; one kiosk enrolled with the bank pulled.
    let issuer = IssuerPublic::from_toml(DEMO_ISSUER).unwrap();
    let demo_kiosk = KioskSecret::from_toml(DEMO_KIOSK).unwrap();
    let t = bank::read_header_unverified(DEMO_BANK)
        .unwrap()
        .1
        .not_before;
    let trust = FileTrustStore::open(&dir.path().join("t.json")).unwrap();
    let content = bank::open_unrecorded(DEMO_BANK, &issuer, &demo_kiosk, t, &trust)
        .unwrap()
        .content;
    let now = unix_now();
    let meta = BankMeta {
        series: "bench".into(),
        version: 1,
        created: now,
        not_before: now - 86_400,
        not_after: now + 86_400,
    };
    let built = bank::build(&content, &meta, central.key(), &[], &mut |_, _| {}).unwrap();
    central.publish_bank(&built).unwrap();
    let kdir = dir.path().join("kiosk");
    std::fs::create_dir_all(&kdir).unwrap();
    let key = synaq_store::identity::load_or_create(&kdir).unwrap();
    let code = central.enrollment_code("ALM-01").unwrap();
    central
        .enroll(
            &synaq_sync::proto::EnrollRequest {
                v: synaq_sync::PROTOCOL_VERSION,
                branch: "ALM-01".into(),
                code,
                kiosk_public: key.public().to_toml(),
            },
            now,
        )
        .unwrap();
    let pull = central.pull(&key.id().to_string(), 0, now).unwrap();
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&pull.banks[0].bank)
        .unwrap();
    let mut trust = FileTrustStore::open(&kdir.join("trust.json")).unwrap();
    let o = bank::open(&bytes, &central.public(), &key, now, &mut trust).unwrap();
    let eb = Arc::new(ExamBank::new(
        o.header.series,
        o.header.version,
        o.profile,
        o.content.questions,
    ));

    // One real exam as the template; N results re-signed for N registered people.
    let people = iins(n + 1);
    let today = synaq_central::local_date(now * 1000);
    let entries: Vec<NewRosterEntry> = people
        .iter()
        .map(|i| NewRosterEntry {
            branch: "ALM-01".into(),
            iin: i.clone(),
            name: "Тестов Тест".into(),
            category: CategoryId::new("cat-1").unwrap(),
            oo_bin: Bin::parse("080840001239").unwrap(),
            oo_name: "ТОО".into(),
            attempt: 1,
            allowed_from: today - chrono::Days::new(1),
            allowed_to: today + chrono::Days::new(1),
        })
        .collect();
    central.add_roster_entries(&entries).unwrap();
    let mut engine = Engine::open(&kdir, Arc::new(SystemClock), Arc::clone(&eb)).unwrap();
    let cat = CategoryId::new("cat-1").unwrap();
    engine
        .admit(synaq_store::Admission::new(&people[n], &cat, "proctor-1").started())
        .unwrap();
    let items = engine.paper().unwrap().items.clone();
    for (pos, item) in items.iter().enumerate() {
        let q = eb.question(&item.question).unwrap();
        let pick: BTreeSet<String> = q
            .options
            .iter()
            .filter(|o| o.correct)
            .map(|o| o.id.clone())
            .collect();
        engine.answer(pos, pick).unwrap();
    }
    let template = engine.finish(FinishReason::Submitted).unwrap();
    let template_rows =
        synaq_store::journal::run_of(engine.connection(), &template.record.attempt_id).unwrap();
    // N results for N people, each with its own valid journal run (the template's rows for
    // another attempt and person, hashes recomputed) and its place in the kiosk's chain.
    let mut results: Vec<SignedResult> = Vec::with_capacity(n);
    let mut journals: Vec<AttemptJournal> = Vec::with_capacity(n);
    let mut prev_head = template_rows.last().unwrap().hash.clone();
    for (i, p) in people[..n].iter().enumerate() {
        let attempt = format!("{}-{i:016x}", key.id());
        let rows = rerun(&template_rows, &attempt, p, &prev_head);
        let mut r = template.record.clone();
        r.iin = p.as_str();
        r.attempt_id = attempt.clone();
        r.journal_head = rows.last().unwrap().hash.clone();
        r.chain = Some(ResultLink {
            seq: i as u64 + 2,
            prev: Some(results.last().unwrap_or(&template).digest()),
        });
        prev_head = r.journal_head.clone();
        results.push(SignedResult::sign(r, &key));
        journals.push(AttemptJournal { attempt, rows });
    }
    // The template itself first: the chain starts with it.
    let template_journal = AttemptJournal {
        attempt: template.record.attempt_id.clone(),
        rows: template_rows,
    };
    central
        .ingest(
            Some(&key.id().to_string()),
            std::slice::from_ref(&template),
            std::slice::from_ref(&template_journal),
            now,
        )
        .unwrap();

    // Floor: verify + one insert per result, one transaction per batch, same pragmas.
    let fdb = synaq_central::db::open(&dir.path().join("floor.sqlite3")).unwrap();
    let mut fdb = fdb.conn();
    fdb.execute_batch(
        "CREATE TABLE floor (attempt TEXT PRIMARY KEY, result TEXT NOT NULL, journal TEXT NOT NULL)",
    )
    .unwrap();
    let ed = key.public().ed25519;
    let t0 = Instant::now();
    for chunk in results.chunks(BATCH) {
        let tx = fdb.transaction().unwrap();
        for r in chunk {
            r.verify(&ed).unwrap();
            let j = &journals[index(&r.record.attempt_id)];
            let bytes = serde_json::to_vec(r).unwrap();
            let jbytes = serde_json::to_vec(&j.rows).unwrap();
            std::hint::black_box(ring::digest::digest(&ring::digest::SHA256, &bytes));
            std::hint::black_box(ring::digest::digest(&ring::digest::SHA256, &jbytes));
            let (bytes, jbytes) = (
                String::from_utf8(bytes).unwrap(),
                String::from_utf8(jbytes).unwrap(),
            );
            tx.execute(
                "INSERT INTO floor (attempt, result, journal) VALUES (?1, ?2, ?3)",
                synaq_central::params![r.record.attempt_id, bytes, jbytes],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    let floor = n as f64 / t0.elapsed().as_secs_f64();

    // Central's ingest: every check, re-scoring, certificate, statistics, signed receipt.
    let t0 = Instant::now();
    let mut delivered = 0;
    for (chunk, js) in results.chunks(BATCH).zip(journals.chunks(BATCH)) {
        for o in central
            .ingest(Some(&key.id().to_string()), chunk, js, now)
            .unwrap()
        {
            let synaq_sync::Outcome::Delivered { receipt } = &o else {
                panic!("{o:?}");
            };
            // Every check ran; none of them may find the journals or the chain wrong.
            if let synaq_sync::proto::Decision::Pending { reasons, .. } = &receipt.body.decision {
                assert!(
                    !reasons.iter().any(|r| r.starts_with("journal-")
                        || r.starts_with("chain-")
                        || r == "paper-not-drawn"),
                    "{reasons:?}"
                );
            }
            delivered += 1;
        }
    }
    let ingest = n as f64 / t0.elapsed().as_secs_f64();
    assert_eq!(delivered, n);
    println!("central ingest: {n} signed results in batches of {BATCH}");
    println!(
        "  floor (Ed25519 verify + SHA-256 of result and journal + 1 SQLite insert of both): {floor:>9.0} results/s"
    );
    println!(
        "  ingest (verify + journal replay + paper drawn again + rules + store + receipt): {ingest:>9.0} results/s"
    );
    println!(
        "  ratio ingest/floor: {:.0} %   (targets: ≥ 1000 results/s and ≥ 40 % of floor)",
        100.0 * ingest / floor
    );
}
