//! `cargo xtask bench certificate`: render one certificate PDF and write it to a file, against
//! a floor measured in the same run: sign a QR-sized token with Ed25519 and write the same
//! number of bytes to a file (what issuing a certificate costs without the paper).
//!
//! Criterion measures both (group `certificate`, ids `render` and `floor`); the bench also
//! keeps every iteration's time and prints both medians and their ratio. The target is under
//! 20 ms per certificate on one core (krilla runs single-threaded here). Under
//! `cargo test --benches` (no `--bench` flag) it runs a few iterations as a smoke test.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use criterion::{black_box, Criterion};
use ring::signature::Ed25519KeyPair;
use synaq_paper::Paper;

#[allow(dead_code)]
#[path = "../tests/util/mod.rs"]
mod util;

const TARGET: Duration = Duration::from_millis(20);

fn median(v: &[Duration]) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v[v.len() / 2]
}

/// Runs `f` `iters` times, keeping each run's time in `log`, and returns the total.
fn timed(iters: u64, log: &RefCell<Vec<Duration>>, mut f: impl FnMut()) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let start = Instant::now();
        f();
        let took = start.elapsed();
        log.borrow_mut().push(took);
        total += took;
    }
    total
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let paper = Paper::new().unwrap();
    let cert = util::sample();
    let pdf = paper.render(&cert).unwrap();
    let size = pdf.len();
    // The token part of the QR text: what central signs for every certificate.
    let token = cert
        .qr_text
        .split("#t=")
        .nth(1)
        .unwrap()
        .as_bytes()
        .to_vec();
    let key = Ed25519KeyPair::from_seed_unchecked(&[7; 32]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("certificate.pdf");
    let floor_out = dir.path().join("floor.bin");
    let floor_bytes = vec![0x5a_u8; size];
    println!(
        "certificate: one A4 page, {size} bytes; QR text {} bytes",
        cert.qr_text.len()
    );

    let renders = RefCell::new(Vec::new());
    let floors = RefCell::new(Vec::new());
    let mut criterion = Criterion::default()
        .sample_size(if full { 50 } else { 10 })
        .warm_up_time(Duration::from_millis(if full { 1000 } else { 50 }))
        .measurement_time(Duration::from_secs(if full { 10 } else { 1 }))
        .without_plots()
        .configure_from_args();
    {
        let mut group = criterion.benchmark_group("certificate");
        group.bench_function("render", |b| {
            b.iter_custom(|iters| {
                timed(iters, &renders, || {
                    let bytes = paper.render(black_box(&cert)).unwrap();
                    std::fs::write(&out, &bytes).unwrap();
                    black_box(bytes);
                })
            })
        });
        group.bench_function("floor", |b| {
            b.iter_custom(|iters| {
                timed(iters, &floors, || {
                    let sig = key.sign(black_box(&token));
                    std::fs::write(&floor_out, &floor_bytes).unwrap();
                    black_box(sig);
                })
            })
        });
        group.finish();
    }
    criterion.final_summary();

    if !full {
        println!("(quick run under `cargo test`: a smoke test, not a measurement)");
    }
    let (render, fl) = (median(&renders.borrow()), median(&floors.borrow()));
    let ratio = render.as_secs_f64() / fl.as_secs_f64();
    println!(
        "medians over {} render and {} floor runs (warm-up included):",
        renders.borrow().len(),
        floors.borrow().len()
    );
    println!("floor  (Ed25519 sign of the QR token + write {size} bytes): {fl:.2?}");
    println!("render (layout, shape, subset fonts, PDF/A-2u, write):     {render:.2?}");
    println!(
        "ratio render/floor: {ratio:.1}×; per certificate {render:.2?} — {} the {TARGET:.0?} target",
        if render <= TARGET { "within" } else { "OVER" }
    );
}
