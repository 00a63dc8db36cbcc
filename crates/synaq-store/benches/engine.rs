//! `cargo xtask bench engine`: the durable answer commit, p50 and p99, next to the floor
//! measured in the same run on the same filesystem: a 4 KiB write + `fdatasync`.
//! Target: p99 ≤ 2× the floor. No assertions: the numbers are the report.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use synaq_core::{CategoryId, Iin};
use synaq_store::testing::demo_bank;
use synaq_store::{Engine, SystemClock};

const SAMPLES: usize = 400;

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-engine");
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();

    // Floor: 4 KiB appended and fdatasync'ed, on the same filesystem as the database.
    let mut f = std::fs::File::create(dir.join("floor.bin")).unwrap();
    let block = [0x5au8; 4096];
    let mut floor = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let t = Instant::now();
        f.write_all(&block).unwrap();
        f.sync_data().unwrap();
        floor.push(t.elapsed());
    }

    let mut e = Engine::open(&dir.join("store"), Arc::new(SystemClock), demo_bank()).unwrap();
    e.admit(
        synaq_store::Admission::new(
            &Iin::parse("900101300017").unwrap(),
            &CategoryId::new("cat-1").unwrap(),
            "bench",
        )
        .started()
        .seed(1),
    )
    .unwrap();
    let paper = e.paper().unwrap().clone();
    let mut commits = Vec::with_capacity(SAMPLES);
    for k in 0..SAMPLES {
        let item = &paper.items[k % paper.items.len()];
        let choice = BTreeSet::from([item.options[k % item.options.len()].clone()]);
        let t = Instant::now();
        e.answer(k % paper.items.len(), choice).unwrap();
        commits.push(t.elapsed());
    }

    let (f50, f99) = (percentile(&mut floor, 0.5), percentile(&mut floor, 0.99));
    let (c50, c99) = (
        percentile(&mut commits, 0.5),
        percentile(&mut commits, 0.99),
    );
    println!(
        "durable answer commit, {SAMPLES} samples, in {}",
        dir.display()
    );
    println!("floor  (4 KiB write + fdatasync): p50 {f50:>10.2?}  p99 {f99:>10.2?}");
    println!("answer (SQLite WAL, sync FULL):    p50 {c50:>10.2?}  p99 {c99:>10.2?}");
    println!(
        "ratio p50 {:.2}, p99 {:.2}  (target p99 ≤ 2.00× the floor's p99)",
        c50.as_secs_f64() / f50.as_secs_f64(),
        c99.as_secs_f64() / f99.as_secs_f64()
    );
    std::fs::remove_dir_all(&dir).ok();
}
