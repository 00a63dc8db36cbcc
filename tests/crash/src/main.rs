//! The crash loop's child: a scripted exam through the same engine API the app uses.
//!
//! `synaq-crash-child DIR FIRST_STEP` opens the store in DIR (resuming, as a proctor, an attempt
//! the last child left interrupted), then performs steps FIRST_STEP, FIRST_STEP+1, … for ever.
//! Step k sets the answer of position k mod 30 to option `(k / 30 + k) mod n` — so answers are
//! set, then changed, round after round. After each answer is durable it prints
//! `ACK k active_ms` and flushes: that line is the acknowledgement the parent holds it to.
#![forbid(unsafe_code)]

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use synaq_core::{CategoryId, Iin};
use synaq_store::engine::State;
use synaq_store::testing::demo_bank;
use synaq_store::{Engine, SystemClock};

/// Positions in the scripted exam (category 1 draws 30).
pub const POSITIONS: usize = 30;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .expect("usage: synaq-crash-child DIR FIRST_STEP"),
    );
    let first: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .expect("FIRST_STEP");
    let mut e = Engine::open(&dir, Arc::new(SystemClock), demo_bank()).expect("store opens");
    match e.status() {
        Err(_) => {
            let iin = Iin::parse("900101300017").expect("valid ИИН");
            e.admit_with_seed(&iin, &CategoryId::new("cat-1").expect("id"), "P-CRASH", 42)
                .expect("admitted");
        }
        Ok(s) if s.state == State::Interrupted => {
            e.resume("P-CRASH", "crash loop restart").expect("resumed");
        }
        Ok(s) => assert_eq!(s.state, State::Running, "unexpected state"),
    }
    let out = std::io::stdout();
    let mut out = out.lock();
    writeln!(out, "READY")
        .and_then(|_| out.flush())
        .expect("stdout");
    for k in first.. {
        let position = k % POSITIONS;
        let q = e.show(position).expect("shown");
        let choice = q.options[(k / POSITIONS + k) % q.options.len()].0.clone();
        let status = e
            .answer(position, BTreeSet::from([choice]))
            .expect("answer saved");
        let active = status.limit_ms - status.remaining_ms;
        writeln!(out, "ACK {k} {active}")
            .and_then(|_| out.flush())
            .expect("stdout");
        e.tick().expect("tick");
        std::thread::sleep(Duration::from_millis(1));
    }
}
