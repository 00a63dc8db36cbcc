//! Kill the scripted exam with SIGKILL at random moments, restart, resume, continue.
//!
//! Most rounds kill the child a random 0–30 ms after it is working (`READY`). About one round
//! in five kills it while it starts instead, without waiting for `READY`: half of those a
//! random 0–20 ms after the spawn (loading the bank, creating the key or the database), half a
//! random moment after it said `OPEN` (opening the store, recovering the attempt, resuming it).
//!
//! After every kill: every acknowledged answer is on disk (or the very next step's value, which
//! may have been committed without its ACK reaching us), the journal verifies, and the saved
//! active time is within 2 s of what the last acknowledgement and the kill time allow. After
//! the run: the attempt's total active time is at least the last acknowledged one and at most
//! the children's summed lifetimes (spawn to kill) + 2 s. Between two children the kiosk stays
//! down at least as long as the last child lived, plus [`MIN_DOWNTIME`]: the summed downtime
//! then exceeds that bound, so charging any of it on resume would fail the check.
//!
//! 200 kills by default (about 35 s in a debug build on 2 cores); `SYNAQ_SOAK=N` for N (at
//! least 10). Soak run:
//! `SYNAQ_SOAK=5000 cargo test -p synaq-crash --release -- --nocapture`.

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
/// Between two children the kiosk stays down as long as the last one lived, plus this (or
/// more in a short run, so that the extra downtime adds up to more than [`SLACK_MS`]).
const MIN_DOWNTIME: Duration = Duration::from_millis(20);
/// Slack on every time bound: the engine writes active time at least once a second.
const SLACK_MS: u64 = 2_000;

/// The option index step `k` chooses (the child's rule).
fn choice(k: usize, n_options: usize) -> usize {
    (k / POSITIONS + k) % n_options
}

struct Ack {
    step: usize,
    active_ms: u64,
    at: Instant,
}

/// When a round kills its child.
#[derive(Debug, Clone, Copy)]
enum KillAt {
    /// This long after `READY`: mid-exam.
    Working(Duration),
    /// This long after the spawn, whatever the child is doing.
    AfterSpawn(Duration),
    /// This long after `OPEN`: while the store opens, recovers and resumes.
    AfterOpen(Duration),
}

fn xorshift(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

fn micros(rng: &mut u64, max: Duration) -> Duration {
    Duration::from_micros(xorshift(rng) % (max.as_micros() as u64).max(1))
}

fn median(v: &[Duration]) -> Option<Duration> {
    let mut v = v.to_vec();
    v.sort();
    v.get(v.len() / 2).copied()
}

/// Where the start-up kills landed.
#[derive(Debug, Default)]
struct Startup {
    before_open: usize,
    while_opening: usize,
    after_ready: usize,
}

#[test]
fn kill_at_random_moments_and_lose_nothing() {
    let kills: usize = std::env::var("SYNAQ_SOAK")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
        .max(10);
    let started = Instant::now();
    let dir = tempfile_dir();
    let bank = demo_bank();
    let mut next_step = 0usize;
    let mut last: Option<Ack> = None;
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let mut total_acks = 0usize;
    // Mid-exam rounds, and those in which the child acknowledged at least one answer.
    let (mut working, mut progressed) = (0usize, 0usize);
    let mut lifetimes = Duration::ZERO;
    let mut downtime = Duration::ZERO;
    // When the last child was reaped, and how long it had lived.
    let mut reaped: Option<(Instant, Duration)> = None;
    let extra_down = MIN_DOWNTIME.max(Duration::from_millis(SLACK_MS / kills as u64 + 5));
    let stay_down = |reaped: Option<(Instant, Duration)>, downtime: &mut Duration| {
        if let Some((at, lived)) = reaped {
            if let Some(rest) = (lived + extra_down).checked_sub(at.elapsed()) {
                std::thread::sleep(rest);
            }
            *downtime += at.elapsed();
        }
    };
    // How long opening takes (`OPEN` to `READY`), measured in the mid-exam rounds.
    let mut opening: Vec<Duration> = Vec::new();
    let mut startup = Startup::default();
    for round in 0..kills {
        let kill_at = match xorshift(&mut rng) % 10 {
            0 => KillAt::AfterSpawn(micros(&mut rng, Duration::from_millis(20))),
            1 => {
                let window = median(&opening).unwrap_or(Duration::from_millis(20));
                KillAt::AfterOpen(micros(&mut rng, window))
            }
            _ => KillAt::Working(micros(&mut rng, Duration::from_millis(30))),
        };
        stay_down(reaped, &mut downtime);
        let spawned = Instant::now();
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
        // Lines read before the kill, then whatever the child wrote before it died.
        let mut lines: Vec<(String, Instant)> = Vec::new();
        let wait_for = |want: &str, lines: &mut Vec<(String, Instant)>| -> Instant {
            loop {
                let (line, at) = rx
                    .recv_timeout(Duration::from_secs(60))
                    .unwrap_or_else(|e| panic!("round {round}: no {want} from the child: {e}"));
                let found = line == want;
                lines.push((line, at));
                if found {
                    return at;
                }
            }
        };
        match kill_at {
            KillAt::Working(d) => {
                let open_at = wait_for("OPEN", &mut lines);
                let ready_at = wait_for("READY", &mut lines);
                opening.push(ready_at.duration_since(open_at));
                std::thread::sleep(d);
            }
            KillAt::AfterSpawn(d) => std::thread::sleep(d.saturating_sub(spawned.elapsed())),
            KillAt::AfterOpen(d) => {
                wait_for("OPEN", &mut lines);
                std::thread::sleep(d);
            }
        }
        child.kill().expect("SIGKILL");
        let killed_at = Instant::now();
        child.wait().expect("reaped");
        let reaped_at = Instant::now();
        lifetimes += reaped_at.duration_since(spawned);
        reaped = Some((reaped_at, reaped_at.duration_since(spawned)));
        reader.join().expect("reader");
        lines.extend(rx.try_iter());
        let said = |want: &str| lines.iter().any(|(l, _)| l == want);
        if !matches!(kill_at, KillAt::Working(_)) {
            match (said("OPEN"), said("READY")) {
                (false, _) => startup.before_open += 1,
                (true, false) => startup.while_opening += 1,
                (true, true) => startup.after_ready += 1,
            }
        }
        if matches!(kill_at, KillAt::Working(_)) {
            working += 1;
            progressed += usize::from(lines.iter().any(|(l, _)| l.starts_with("ACK ")));
        }
        for (line, at) in lines.iter().filter(|(l, _)| l.starts_with("ACK ")) {
            let mut parts = line.split(' ').skip(1);
            let step: usize = parts.next().unwrap().parse().unwrap();
            let active_ms: u64 = parts.next().unwrap().parse().unwrap();
            last = Some(Ack {
                step,
                active_ms,
                at: *at,
            });
            total_acks += 1;
        }
        for (line, _) in &lines {
            assert!(
                line == "OPEN" || line == "READY" || line.starts_with("ACK "),
                "round {round}: unexpected line {line:?}"
            );
        }
        // Check the store as the next start will find it.
        let mut e = Engine::open(&dir, Arc::new(SystemClock), bank.clone())
            .unwrap_or_else(|err| panic!("round {round} ({kill_at:?}): reopening: {err}"));
        e.verify_journal()
            .unwrap_or_else(|err| panic!("round {round} ({kill_at:?}): {err}"));
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
            assert!(ok, "round {round} ({kill_at:?}): position {position} holds {got:?}, expected one of steps {candidates:?}");
        }
        // Time: never less than acknowledged; never more than the time up to the kill + 2 s.
        let active = status.limit_ms - status.remaining_ms;
        let ceiling =
            ack.active_ms + killed_at.duration_since(ack.at).as_millis() as u64 + SLACK_MS;
        assert!(
            active >= ack.active_ms && active <= ceiling,
            "round {round} ({kill_at:?}): active {active} ms, acknowledged {} ms, ceiling {ceiling} ms",
            ack.active_ms
        );
        drop(e);
        next_step = ack.step + 1;
    }
    // The whole run: all the time charged was time a child was alive.
    stay_down(reaped, &mut downtime);
    let alive = lifetimes.as_millis() as u64;
    let down = downtime.as_millis() as u64;
    assert!(
        down > alive + SLACK_MS,
        "the kiosk was down {down} ms, children alive {alive} ms: too short to catch charged downtime"
    );
    let mut e = Engine::open(&dir, Arc::new(SystemClock), bank).expect("reopens");
    e.verify_journal().expect("the journal verifies");
    let status = e.status().expect("an attempt");
    let active = status.limit_ms - status.remaining_ms;
    let acked = last
        .as_ref()
        .expect("some answer was acknowledged")
        .active_ms;
    assert!(
        active >= acked && active <= alive + SLACK_MS,
        "total active {active} ms: acknowledged {acked} ms, children alive {alive} ms in all (down {down} ms in all)"
    );
    drop(e);
    eprintln!(
        "crash loop: {kills} kills in {:.1} s, {total_acks} acknowledged answers ({progressed} of \
         {working} mid-exam runs acknowledged some), last step {}; \
         active {active} ms of {alive} ms alive (down {down} ms); start-up kills: {} before \
         OPEN, {} while opening, {} after READY; opening takes {:?} (median)",
        started.elapsed().as_secs_f64(),
        next_step.saturating_sub(1),
        startup.before_open,
        startup.while_opening,
        startup.after_ready,
        median(&opening).unwrap_or_default(),
    );
    assert!(
        progressed * 2 > working,
        "the child made progress: answers acknowledged in only {progressed} of {working} mid-exam runs"
    );
    if kills >= 100 {
        assert!(
            startup.while_opening > 0,
            "no child was killed while opening the store: {startup:?}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

fn tempfile_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("synaq-crash-{}", std::process::id()));
    std::fs::remove_dir_all(&d).ok();
    std::fs::create_dir_all(&d).unwrap();
    d
}
