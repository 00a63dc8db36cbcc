//! Kill the scripted exam with SIGKILL at random moments, restart, resume, continue.
//!
//! After every kill: every acknowledged answer is on disk (or the very next step's value, which
//! may have been committed without its ACK reaching us), the journal verifies, and the saved
//! active time is within 2 s of what the last acknowledgement and the kill time allow.
//! 200 kills by default; `SYNAQ_SOAK=5000` for a soak run.

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use synaq_store::engine::State;
use synaq_store::testing::demo_bank;
use synaq_store::{Engine, SystemClock};

const POSITIONS: usize = 30;

/// The option index step `k` chooses (the child's rule).
fn choice(k: usize, n_options: usize) -> usize {
    (k / POSITIONS + k) % n_options
}

struct Ack {
    step: usize,
    active_ms: u64,
    at: Instant,
}

fn xorshift(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[test]
fn kill_at_random_moments_and_lose_nothing() {
    let kills: usize = std::env::var("SYNAQ_SOAK")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile_dir();
    let bank = demo_bank();
    let mut next_step = 0usize;
    let mut last: Option<Ack> = None;
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let mut total_acks = 0usize;
    for round in 0..kills {
        let mut child = Command::new(env!("CARGO_BIN_EXE_synaq-crash-child"))
            .arg(&dir)
            .arg(next_step.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("child starts");
        let stdout = child.stdout.take().expect("piped");
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let at = Instant::now();
                if tx.send((line, at)).is_err() {
                    break;
                }
            }
        });
        // Wait until the child is working, then kill it a random 0–30 ms later.
        let (ready, _) = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("child is ready");
        assert_eq!(ready, "READY", "round {round}");
        std::thread::sleep(Duration::from_micros(xorshift(&mut rng) % 30_000));
        child.kill().expect("SIGKILL");
        let killed_at = Instant::now();
        child.wait().expect("reaped");
        reader.join().expect("reader");
        for (line, at) in rx.try_iter() {
            let mut parts = line.split(' ');
            assert_eq!(parts.next(), Some("ACK"), "{line}");
            let step: usize = parts.next().unwrap().parse().unwrap();
            let active_ms: u64 = parts.next().unwrap().parse().unwrap();
            last = Some(Ack {
                step,
                active_ms,
                at,
            });
            total_acks += 1;
        }
        // Check the store as the next start will find it.
        let mut e = Engine::open(&dir, Arc::new(SystemClock), bank.clone()).expect("reopens");
        e.verify_journal()
            .unwrap_or_else(|err| panic!("round {round}: {err}"));
        let Some(ack) = &last else { continue };
        let answers = e.answers().expect("an attempt").clone();
        let status = e.status().unwrap();
        assert_eq!(status.state, State::Interrupted, "round {round}");
        // Every position's saved answer is its last acknowledged value, or the value of the
        // one step after the last ACK (committed, killed before its ACK was printed).
        // `None` stands for "never answered".
        let mut expected: BTreeMap<usize, Vec<Option<usize>>> =
            (0..POSITIONS).map(|p| (p, vec![None])).collect();
        for k in ack.step.saturating_sub(POSITIONS - 1)..=ack.step {
            expected.insert(k % POSITIONS, vec![Some(k)]);
        }
        let in_flight = ack.step + 1;
        expected
            .entry(in_flight % POSITIONS)
            .or_default()
            .push(Some(in_flight));
        let paper = e.paper().expect("an attempt").clone();
        for (position, candidates) in expected {
            let options = &paper.items[position].options;
            let got = answers.get(&position).cloned().unwrap_or_default();
            let ok = candidates.iter().any(|c| match c {
                None => got.is_empty(),
                Some(k) => got.len() == 1 && got.contains(&options[choice(*k, options.len())]),
            });
            assert!(ok, "round {round}: position {position} holds {got:?}, expected one of steps {candidates:?}");
        }
        // Time: never less than acknowledged; never more than the time up to the kill + 2 s.
        let active = status.limit_ms - status.remaining_ms;
        let ceiling = ack.active_ms + killed_at.duration_since(ack.at).as_millis() as u64 + 2_000;
        assert!(
            active >= ack.active_ms && active <= ceiling,
            "round {round}: active {active} ms, acknowledged {} ms, ceiling {ceiling} ms",
            ack.active_ms
        );
        drop(e);
        next_step = ack.step + 1;
    }
    eprintln!(
        "crash loop: {kills} kills, {total_acks} acknowledged answers, last step {}",
        next_step.saturating_sub(1)
    );
    assert!(
        total_acks > kills,
        "the child made progress ({total_acks} answers in {kills} runs)"
    );
    std::fs::remove_dir_all(&dir).ok();
}

fn tempfile_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("synaq-crash-{}", std::process::id()));
    std::fs::remove_dir_all(&d).ok();
    std::fs::create_dir_all(&d).unwrap();
    d
}
