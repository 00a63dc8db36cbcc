//! Central at scale, over real HTTPS on loopback: two central processes serving one
//! PostgreSQL 15 database (a temporary cluster) and one S3 store (a three-node Garage
//! cluster), and PostgreSQL killed and started again under a kiosk's pushes. Every result is
//! stored once, every certificate number is issued once, and a kiosk ends delivered.
//! (Every other loop and fraud test also runs on PostgreSQL: `SYNAQ_TEST_DATABASE=postgres`.)

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use synaq_central::sql::Database;
use synaq_central::Central;
use synaq_loop::postgres::Postgres;
use synaq_loop::*;
use synaq_store::SignedResult;
use synaq_sync::{sync_all, Backoff, Outcome, Progress};

/// The two scenarios run one after the other: each starts its own clusters and processes,
/// and on two cores they would starve each other.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn free_addr() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().to_string()
}

/// `synaq-loop-central DIR ADDR` with `env`, killed when dropped.
struct Process(Child);

impl Process {
    fn start(dir: &Path, addr: &str, env: &[(String, String)]) -> Process {
        Process(
            Command::new(env!("CARGO_BIN_EXE_synaq-loop-central"))
                .arg(dir)
                .arg(addr)
                .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("start central"),
        )
        .listening(addr)
    }

    /// Waits until it accepts connections (bounded).
    fn listening(mut self, addr: &str) -> Process {
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(addr).is_err() {
            assert!(
                self.0.try_wait().unwrap().is_none(),
                "central exited at start"
            );
            assert!(Instant::now() < deadline, "central listens within 30 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        self
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A copy of central's data directory without its evidence: the keys and the TLS identity
/// another central process is configured with.
fn copy_keys(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

fn patient(client: &synaq_sync::Client) -> synaq_sync::Client {
    client.clone().with_backoff(Backoff {
        min: Duration::from_millis(20),
        max: Duration::from_millis(300),
        times: 60,
    })
}

fn state_of(c: &Central, attempt: &str) -> String {
    c.verdict(attempt).unwrap().expect("result stored").0
}

fn certificate_numbers(c: &Central) -> Vec<String> {
    c.certificates_csv()
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_central_processes_share_postgres_and_s3_and_certify_each_exam_once() {
    let _one = ONE_AT_A_TIME.lock().await;
    const EXAMS: usize = 3;
    let pg = Postgres::start();
    let database = Database::Postgres(pg.create_database("central"));
    let evidence = EvidenceBackend::garage();
    let tmp = tempfile::tempdir().unwrap();
    let (dir_a, dir_b) = (tmp.path().join("a"), tmp.path().join("b"));
    let (addr_a, addr_b) = (free_addr(), free_addr());
    let (base_a, base_b) = (format!("https://{addr_a}"), format!("https://{addr_b}"));

    // ЕУМЦ's setup, in-process on the same database; then the second process gets a copy of
    // the keys and TLS identity (its configuration), nothing else.
    let c = setup_central_on(&dir_a, &base_a, evidence.store(&dir_a), &database);
    let people = iins(4100, 2 * EXAMS);
    register_all(&c, &people);
    let (k1, k2) = (Kiosk::new(), Kiosk::new());
    enroll_offline(&c, &k1);
    enroll_offline(&c, &k2);
    let pin = tls_identity(&dir_a).pin();
    copy_keys(&dir_a, &dir_b);
    let mut env = evidence.env();
    let Database::Postgres(url) = &database else {
        unreachable!()
    };
    env.push(("SYNAQ_DATABASE".into(), url.clone()));
    let _a = Process::start(&dir_a, &addr_a, &env);
    let _b = Process::start(&dir_b, &addr_b, &env);

    // Each kiosk pulls from its own process: the same bank, roster and answers.
    let (c1a, c1b) = (
        patient(&k1.client(&base_a, &c.public(), pin)),
        patient(&k1.client(&base_b, &c.public(), pin)),
    );
    let c2b = patient(&k2.client(&base_b, &c.public(), pin));
    let (pull_a, pull_b) = tokio::join!(c1a.pull(0), c2b.pull(0));
    let (pull_a, pull_b) = (pull_a.unwrap(), pull_b.unwrap());
    assert!(pull_a.roster.is_some(), "the roster from process A");
    assert!(pull_b.roster.is_some(), "the roster from process B");
    let bank1 = k1.open_bank(&pull_a, &c.public());
    let bank2 = k2.open_bank(&pull_b, &c.public());
    let mut e1 = k1.engine(Arc::clone(&bank1), k1.clock());
    let mut e2 = k2.engine(Arc::clone(&bank2), k2.clock());
    let r1: Vec<SignedResult> = people[..EXAMS]
        .iter()
        .map(|p| sit_exam(&mut e1, &bank1, p, true))
        .collect();
    for p in &people[EXAMS..] {
        sit_exam(&mut e2, &bank2, p, true);
    }

    // Kiosk 1's results reach both processes at the same moment (a retry that crossed the
    // first answer): both answer with the very same receipts.
    let journals = synaq_sync::client::journals_of(e1.connection(), &r1).unwrap();
    let (via_a, via_b) = tokio::join!(
        c1a.push_with_journals(&r1, &journals),
        c1b.push_with_journals(&r1, &journals)
    );
    let (via_a, via_b) = (via_a.unwrap(), via_b.unwrap());
    for (a, b) in via_a.outcomes.iter().zip(&via_b.outcomes) {
        let (Outcome::Delivered { receipt: ra }, Outcome::Delivered { receipt: rb }) = (a, b)
        else {
            panic!("refused: {a:?} / {b:?}")
        };
        assert_eq!(ra, rb, "one receipt, whichever process answered");
        ra.verify(&c.public().ed25519).unwrap();
    }

    let local: Vec<(String, _)> = r1
        .iter()
        .map(|r| {
            let a = r.record.attempt_id.clone();
            let files = snapshot(&k1.evidence_root().join(&a));
            (a, files)
        })
        .collect();
    // Both kiosks deliver everything, evidence included, each through its own process.
    let (root1, root2) = (k1.evidence_root(), k2.evidence_root());
    let (mut quiet1, mut quiet2) = (|_: Progress| {}, |_: Progress| {});
    let (s1, s2) = tokio::join!(
        sync_all(&e1, &c1a, &root1, 10, &mut quiet1),
        sync_all(&e2, &c2b, &root2, 10, &mut quiet2)
    );
    let (s1, s2) = (s1.unwrap(), s2.unwrap());
    assert_eq!(s1.evidence_delivered + s2.evidence_delivered, 2 * EXAMS);

    // A retake across processes: the fail goes through B, the retake registration reaches
    // kiosk 2 through A, and the retake, through B again, is certified.
    let c2a = patient(&k2.client(&base_a, &c.public(), pin));
    let retaker = iins(4200, 1).remove(0);
    register(&c, &retaker, 1);
    c2a.pull(0).await.unwrap();
    let failed = sit_exam(&mut e2, &bank2, &retaker, false);
    sync_all(&e2, &c2b, &root2, 10, &mut quiet2).await.unwrap();
    assert_eq!(state_of(&c, &failed.record.attempt_id), "failed");
    register(&c, &retaker, 2);
    c2a.pull(0).await.unwrap();
    let retake = sit_exam(&mut e2, &bank2, &retaker, true);
    sync_all(&e2, &c2b, &root2, 10, &mut quiet2).await.unwrap();
    assert_eq!(state_of(&c, &retake.record.attempt_id), "certified");

    // Removable media, imported by a third instance (an admin command) while A and B serve.
    let carried = iins(4300, 1).remove(0);
    register(&c, &carried, 1);
    let by_media = sit_exam(&mut e1, &bank1, &carried, true);
    let bundle = synaq_sync::bundle::to_bytes(&results_bundle(&e1, &k1.key));
    let receipts = c.import_bundle(&bundle, now()).unwrap();
    assert_eq!(receipts.body.outcomes.len(), 1);
    assert_eq!(deliver_evidence(&c, &k1), 1);
    assert_eq!(state_of(&c, &by_media.record.attempt_id), "certified");

    let certified = 2 * EXAMS + 2;
    assert_eq!(
        c.result_count().unwrap() as usize,
        certified + 1,
        "each result once"
    );
    let numbers = certificate_numbers(&c);
    let unique: BTreeSet<&String> = numbers.iter().collect();
    assert_eq!(
        numbers.len(),
        certified,
        "every pass certified: {numbers:?}"
    );
    assert_eq!(unique.len(), numbers.len(), "no number issued twice");

    // Kiosk 2 asks the other process: it sees its own certificates, verified by the same key.
    let later = c2a.pull(0).await.unwrap();
    let mine: BTreeSet<String> = later
        .certificates
        .iter()
        .map(|x| x.number.clone())
        .collect();
    assert_eq!(
        mine.len(),
        certified,
        "the branch's certificates from process A"
    );
    assert!(mine.iter().all(|n| unique.contains(n)));
    // Every piece of evidence is in the one S3 store, read back whole.
    for (attempt, files) in &local {
        assert!(!files.is_empty());
        assert_eq!(
            &stored_evidence(&c, attempt),
            files,
            "the kiosk's evidence, byte for byte"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_killed_mid_ingest_loses_nothing_and_stores_each_result_once() {
    let _one = ONE_AT_A_TIME.lock().await;
    const N: usize = 120;
    const KILLS: usize = 3;
    let mut pg = Postgres::start();
    let database = Database::Postgres(pg.create_database("central"));
    let dir = tempfile::tempdir().unwrap();
    let addr = free_addr();
    let base = format!("https://{addr}");
    let (central_pub, kiosk, template, people) = {
        let c = setup_central_on(
            dir.path(),
            &base,
            EvidenceBackend::local().store(dir.path()),
            &database,
        );
        let kiosk = Kiosk::new();
        enroll_offline(&c, &kiosk);
        let pull = c.pull(&kiosk.key.id().to_string(), 0, now()).unwrap();
        let bank = kiosk.open_bank(&pull, &c.public());
        let people = iins(5000, N + 1);
        register_all(&c, &people);
        let mut engine = kiosk.engine(Arc::clone(&bank), kiosk.clock());
        let template = sit_exam(&mut engine, &bank, &people[N], true);
        (c.public(), kiosk, template, people)
    };
    let results: Vec<SignedResult> = (0..N)
        .map(|i| resign(&template, &kiosk.key, &people[i], i))
        .collect();
    let pin = tls_identity(dir.path()).pin();
    let _central = Process::start(dir.path(), &addr, &database_env(dir.path()));

    // PostgreSQL dies (SIGKILL) and comes back while the kiosk pushes.
    let killer = std::thread::spawn(move || {
        for _ in 0..KILLS {
            std::thread::sleep(Duration::from_millis(400));
            pg.kill();
            std::thread::sleep(Duration::from_millis(300));
            pg.restart();
        }
        pg
    });
    let client = kiosk
        .client(&base, &central_pub, pin)
        .with_backoff(Backoff {
            min: Duration::from_millis(10),
            max: Duration::from_millis(100),
            times: 1000,
        });
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut receipts: HashMap<String, synaq_sync::Receipt> = HashMap::new();
    let (mut failures, mut codes) = (0, BTreeSet::new());
    while receipts.len() < N || !killer.is_finished() {
        assert!(Instant::now() < deadline, "bounded: 120 s");
        let pending: Vec<SignedResult> = results
            .iter()
            .filter(|r| !receipts.contains_key(&r.record.attempt_id))
            .take(4)
            .cloned()
            .collect();
        // Once all are in, the first ones again: duplicates get the very same receipts.
        let batch = if pending.is_empty() {
            results[..2].to_vec()
        } else {
            pending
        };
        match client.push(&batch).await {
            Ok(resp) => {
                for (res, o) in batch.iter().zip(&resp.outcomes) {
                    let Outcome::Delivered { receipt } = o else {
                        panic!("refused while the database restarted: {o:?}")
                    };
                    receipt.verify(&central_pub.ed25519).unwrap();
                    if let Some(prev) =
                        receipts.insert(res.record.attempt_id.clone(), receipt.clone())
                    {
                        assert_eq!(&prev, receipt, "a retry gets the same receipt");
                    }
                }
            }
            Err(e) => {
                assert!(e.is_transient(), "only 'retry later' while it is down: {e}");
                codes.insert(match &e {
                    synaq_sync::SyncError::Refused { code, .. } => code.clone(),
                    other => format!("{other:.40}"),
                });
                failures += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
    let pg = killer.join().unwrap();
    eprintln!("{KILLS} database kills: {failures} pushes answered 'retry later' ({codes:?})");
    assert!(failures > 0, "some pushes met the database down");
    assert_eq!(receipts.len(), N);
    let count = pg.psql("central", "SELECT count(*) FROM results");
    assert_eq!(count, N.to_string(), "each result stored exactly once");
    // The copies wait for evidence (the template's head): a reviewer approves each, and
    // every certificate number is issued once.
    let c = reopen(dir.path(), &base);
    for q in c.review_queue().unwrap() {
        c.review_approve(&q.attempt, "reviewer-1", "database fault test", now())
            .unwrap();
    }
    let numbers = certificate_numbers(&c);
    let unique: BTreeSet<&String> = numbers.iter().collect();
    assert_eq!((numbers.len(), unique.len()), (N, N));
}

/// The embedded default grows into PostgreSQL: a SQLite central's backup restores into an
/// empty PostgreSQL database, where its certificates, check codes and receipts are the same;
/// a database and a data directory stay together.
#[test]
fn a_sqlite_backup_restores_into_postgres_and_a_directory_keeps_its_database() {
    let pg = Postgres::start();
    let tmp = tempfile::tempdir().unwrap();
    let live = tmp.path().join("live");
    let c = setup_central_on(
        &live,
        "https://127.0.0.1:1",
        EvidenceBackend::local().store(&live),
        &Database::Sqlite,
    );
    let kiosk = Kiosk::new();
    enroll_offline(&c, &kiosk);
    let pull = c.pull(&kiosk.key.id().to_string(), 0, now()).unwrap();
    let bank = kiosk.open_bank(&pull, &c.public());
    let mut engine = kiosk.engine(Arc::clone(&bank), kiosk.clock());
    let people = iins(6000, 3);
    register_all(&c, &people);
    let results: Vec<SignedResult> = people
        .iter()
        .map(|p| sit_exam(&mut engine, &bank, p, true))
        .collect();
    let journals = synaq_sync::client::journals_of(engine.connection(), &results).unwrap();
    c.ingest(
        Some(&kiosk.key.id().to_string()),
        &results,
        &journals,
        now(),
    )
    .unwrap();
    deliver_evidence(&c, &kiosk);
    let before = c.certificates_csv().unwrap();
    assert_eq!(before.lines().count(), 4, "three certificates: {before}");
    let backup = tmp.path().join("backup");
    c.backup(&backup, now()).unwrap();

    let url = pg.create_database("restored");
    let to = tmp.path().join("restored");
    let database = Database::Postgres(url.clone());
    let report = Central::restore_on(
        &backup,
        &to,
        "https://127.0.0.1:1",
        EvidenceBackend::local().store(&to),
        &database,
    )
    .unwrap();
    assert_eq!((report.certificates, report.results), (3, 3));
    assert!(!to.join(synaq_central::DB_FILE).exists(), "no SQLite file");
    let restored = Central::open_on(
        &to,
        "https://127.0.0.1:1",
        EvidenceBackend::local().store(&to),
        &database,
    )
    .unwrap();
    assert!(restored.on_postgres());
    assert_eq!(restored.certificates_csv().unwrap(), before);
    for line in before.lines().skip(1) {
        let number = line.split(',').next().unwrap();
        assert_eq!(
            restored.certificate(number).unwrap(),
            c.certificate(number).unwrap(),
            "{number}: the same certificate, QR included"
        );
        assert_eq!(
            restored.check_code(number).unwrap(),
            c.check_code(number).unwrap()
        );
    }
    // A re-push after the move gets the receipts issued before it.
    let again = restored
        .ingest(
            Some(&kiosk.key.id().to_string()),
            &results,
            &journals,
            now(),
        )
        .unwrap();
    let first = c
        .ingest(
            Some(&kiosk.key.id().to_string()),
            &results,
            &journals,
            now(),
        )
        .unwrap();
    assert_eq!(again, first);
    // New rows follow the restored ones (identities continue).
    restored
        .add_roster_entries(&[entry(&iins(6100, 1)[0], 1)])
        .unwrap();

    // Restoring into a database that already holds records is refused, and changes nothing.
    let err = Central::restore_on(
        &backup,
        &tmp.path().join("again"),
        "https://127.0.0.1:1",
        EvidenceBackend::local().store(&tmp.path().join("again")),
        &database,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("already holds records"), "{err}");
    assert_eq!(pg.psql("restored", "SELECT count(*) FROM results"), "3");

    // The directory is bound to PostgreSQL: opened on SQLite it is refused, by name and
    // without a password.
    let err = Central::open(&to, "https://127.0.0.1:1")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!(
            "keeps its records in postgres://127.0.0.1:{}/restored",
            pg.port()
        )),
        "{err}"
    );
    // Another central's keys on this database are refused.
    let stranger = tmp.path().join("stranger");
    let err = Central::open_on(
        &stranger,
        "https://127.0.0.1:1",
        EvidenceBackend::local().store(&stranger),
        &database,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("belongs to central key"), "{err}");
}

/// With `sslmode=require`, central talks TLS to PostgreSQL and checks the server's
/// certificate against the CA it is given (`sslrootcert`): a server whose certificate another
/// CA signed is not talked to.
#[test]
fn central_talks_tls_to_postgres_and_checks_the_servers_certificate() {
    let pg = Postgres::start_with_tls();
    let url = pg.create_database("central");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    let tls = format!(
        "{url}?sslmode=require&sslrootcert={}",
        pg.ca_file().display()
    );
    let c = Central::open_on(
        &dir,
        "https://127.0.0.1:1",
        EvidenceBackend::local().store(&dir),
        &Database::Postgres(tls),
    )
    .unwrap();
    let ssl: bool = c
        .db()
        .query_row(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            (),
            |r| r.get(0),
        )
        .unwrap();
    assert!(ssl, "the connection is encrypted");
    c.add_branch(BRANCH, "Алматы").unwrap();
    drop(c);

    let other = tmp.path().join("other");
    let wrong = format!(
        "{url}?sslmode=require&sslrootcert={}",
        pg.other_ca_file().display()
    );
    let err = Central::open_on(
        &other,
        "https://127.0.0.1:1",
        EvidenceBackend::local().store(&other),
        &Database::Postgres(wrong),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("UnknownIssuer"), "{err}");
    assert!(!err.contains("sslrootcert"), "no URL in the message: {err}");
}
