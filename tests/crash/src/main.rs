//! The crash loop's child: a scripted exam through the same engine API the app uses.
//!
//! `synaq-crash-child DIR FIRST_STEP` loads the demo bank, prints `OPEN`, opens the store in DIR
//! (creating the kiosk key and database on the first start; otherwise recovering, and resuming
//! as a proctor the attempt the last child left interrupted), prints `READY`, then performs
//! steps FIRST_STEP, FIRST_STEP+1, … for ever. Step k sets the answer of position k mod 30 to
//! option `(k / 30 + k) mod n` — so answers are set, then changed, round after round. After
//! each answer is durable it prints `ACK k active_ms` and flushes: that line is the
//! acknowledgement the parent holds it to. Every line is flushed as soon as it is written, so
//! the parent can tell how far a killed child got: `OPEN` without `READY` means it died while
//! opening, recovering or resuming.
//!
//! The child takes no options; the parent (`tests/crash_loop.rs`) decides how many times to
//! kill it (`SYNAQ_SOAK=N` for a soak run).
#![forbid(unsafe_code)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use synaq_core::{CategoryId, Iin};
use synaq_store::engine::State;
use synaq_store::testing::demo_bank;
use synaq_store::{Engine, SystemClock};

/// Positions in the scripted exam (category 1 draws 30).
pub const POSITIONS: usize = 30;

fn say(out: &mut impl std::io::Write, line: std::fmt::Arguments<'_>) {
    writeln!(out, "{line}")
        .and_then(|_| out.flush())
        .expect("stdout");
}

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
    let out = std::io::stdout();
    let mut out = out.lock();
    let bank = demo_bank();
    say(&mut out, format_args!("OPEN"));
    let mut e = Engine::open(&dir, Arc::new(SystemClock), bank).expect("store opens");
    match e.status() {
        Err(_) => {
            let iin = Iin::parse("900101300017").expect("valid ИИН");
            e.admit(
                synaq_store::Admission::new(
                    &iin,
                    &CategoryId::new("cat-1").expect("id"),
                    "P-CRASH",
                )
                .started()
                .seed(42),
            )
            .expect("admitted");
        }
        Ok(s) if s.state == State::Interrupted => {
            e.resume("P-CRASH", "crash loop restart").expect("resumed");
        }
        Ok(s) => assert_eq!(s.state, State::Running, "unexpected state"),
    }
    say(&mut out, format_args!("READY"));
    for k in first.. {
        let position = k % POSITIONS;
        let q = e.show(position).expect("shown");
        let choice = q.options[(k / POSITIONS + k) % q.options.len()].0.clone();
        let status = e
            .answer(position, BTreeSet::from([choice]))
            .expect("answer saved");
        let active = status.limit_ms - status.remaining_ms;
        say(&mut out, format_args!("ACK {k} {active}"));
        e.tick().expect("tick");
        std::thread::sleep(Duration::from_millis(1));
    }
}
