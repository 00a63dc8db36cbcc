//! `cargo bench -p synaq-proctor --bench frame`: CPU time per frame of the proctoring pipeline
//! on the fixture frames (640×480 JPEG): read from the fixture source, decode + shrink to
//! 320×240 grey, face check (rustface), seal into evidence (AES-256-GCM + chain + fsync).
//! Reports medians per stage, the share of one core at one frame per 5 s (target ≤ 1 %) and
//! the process's peak resident memory (VmHWM, target < 30 MB).

use std::time::{Duration, Instant};

use synaq_proctor::{
    CheckConfig, Checker, EvidenceSecret, EvidenceWriter, FixtureSource, FrameSource,
};

const ROUNDS: usize = 60;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn proc_status(field: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// User + system CPU time of this process (clock ticks of 10 ms).
fn cpu_time() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/fixtures/frames");
    let mut source = FixtureSource::open(&dir, "").expect("fixture frames");
    let mut checker = Checker::new(CheckConfig::default());
    let tmp = std::env::temp_dir().join(format!("synaq-proctor-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let sk = EvidenceSecret::generate().unwrap();
    let mut writer = EvidenceWriter::new(&tmp, "bench", &sk.public()).unwrap();
    let rss_before = proc_status("VmRSS:").unwrap_or(0);

    let (mut read, mut shrink, mut face, mut seal, mut total) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let cpu0 = cpu_time();
    let wall0 = Instant::now();
    for _ in 0..ROUNDS * source.len() / 4 {
        let t0 = Instant::now();
        let frame = source.next_frame().unwrap();
        let t1 = Instant::now();
        let thumb = frame.gray_thumbnail(320, 240).unwrap();
        let t2 = Instant::now();
        let obs = checker.check_thumbnail(frame.hash(), &thumb);
        std::hint::black_box(obs);
        let t3 = Instant::now();
        writer.append(&frame).unwrap();
        let t4 = Instant::now();
        read.push(t1 - t0);
        shrink.push(t2 - t1);
        face.push(t3 - t2);
        seal.push(t4 - t3);
        total.push(t4 - t0);
    }
    let wall = wall0.elapsed();
    let cpu = cpu0.zip(cpu_time()).map(|(a, b)| b - a);
    let n = total.len();
    let per = median(total.clone());
    println!("proctor frame pipeline, {n} frames of 640x480 JPEG (fixtures), medians:");
    println!("  fixture read + hash  {}", ms(median(read)));
    println!("  decode + shrink      {}", ms(median(shrink)));
    println!("  checks (face, luma)  {}", ms(median(face)));
    println!("  seal + fsync         {}", ms(median(seal)));
    println!("  total                {}", ms(per));
    if let Some(cpu) = cpu {
        let cpu_per = cpu / n as u32;
        println!(
            "  CPU time (user+sys)  {} per frame (wall {} per frame)",
            ms(cpu_per),
            ms(wall / n as u32)
        );
        println!(
            "share of one core at 1 frame / 5 s: {:.3} % (target <= 1 %)",
            cpu_per.as_secs_f64() / 5.0 * 100.0
        );
    }
    println!(
        "share of one core at 1 frame / 5 s by median wall time: {:.3} %",
        per.as_secs_f64() / 5.0 * 100.0
    );
    if let (Some(hwm), Some(rss)) = (proc_status("VmHWM:"), proc_status("VmRSS:")) {
        println!(
            "memory: peak RSS (VmHWM) {:.1} MB, RSS now {:.1} MB, before the pipeline {:.1} MB (target < 30 MB)",
            hwm as f64 / 1024.0,
            rss as f64 / 1024.0,
            rss_before as f64 / 1024.0
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
