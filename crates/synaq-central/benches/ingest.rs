//! Ingest throughput of signed results (verify + rules + store), next to a floor measured in
//! the same run: Ed25519 verify + one SQLite insert per result, same durability settings and
//! the same batch size (one transaction per push of `BATCH`).
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
        .admit(synaq_store::Admission::new(&people[n], &cat, "proctor-1"))
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
    let results: Vec<SignedResult> = people[..n]
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut r = template.record.clone();
            r.iin = p.as_str();
            r.attempt_id = format!("{}-{i:016x}", key.id());
            SignedResult::sign(r, &key)
        })
        .collect();

    // Floor: verify + one insert per result, one transaction per batch, same pragmas.
    let fdb = synaq_central::db::open(&dir.path().join("floor.sqlite3")).unwrap();
    fdb.execute_batch("CREATE TABLE floor (attempt TEXT PRIMARY KEY, result TEXT NOT NULL)")
        .unwrap();
    let ed = key.public().ed25519;
    let t0 = Instant::now();
    for chunk in results.chunks(BATCH) {
        let tx = fdb.unchecked_transaction().unwrap();
        for r in chunk {
            r.verify(&ed).unwrap();
            tx.execute(
                "INSERT INTO floor (attempt, result) VALUES (?1, ?2)",
                (&r.record.attempt_id, serde_json::to_string(r).unwrap()),
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    let floor = n as f64 / t0.elapsed().as_secs_f64();

    // Central's ingest: every check, re-scoring, certificate, statistics, signed receipt.
    let t0 = Instant::now();
    let mut delivered = 0;
    for chunk in results.chunks(BATCH) {
        for o in central
            .ingest(Some(&key.id().to_string()), chunk, now)
            .unwrap()
        {
            assert!(matches!(o, synaq_sync::Outcome::Delivered { .. }), "{o:?}");
            delivered += 1;
        }
    }
    let ingest = n as f64 / t0.elapsed().as_secs_f64();
    assert_eq!(delivered, n);
    println!("central ingest: {n} signed results in batches of {BATCH}");
    println!("  floor (Ed25519 verify + 1 SQLite insert): {floor:>9.0} results/s");
    println!("  ingest (verify + rules + store + receipt): {ingest:>9.0} results/s");
    println!(
        "  ratio ingest/floor: {:.0} %   (targets: ≥ 2000 results/s and ≥ 50 % of floor)",
        100.0 * ingest / floor
    );
}
