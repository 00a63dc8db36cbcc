//! `cargo xtask bench bank`: open a 20,000-question bank with images (~50 MB) for one kiosk —
//! verify, unwrap, decrypt, parse — against a floor measured in the same run: SHA-512 over a
//! buffer of the same size plus AES-256-GCM open of its 64 KiB chunks (real tags, every chunk
//! opens), with the one copy any in-place open of borrowed bytes needs.
//!
//! Criterion measures both (group `bank`, ids `open` and `floor`); the bench also keeps every
//! iteration's time and prints both medians and their ratio. The target is open ≤ 1.5× the floor
//! and under 1 s. Freeing an opened bank happens outside the timed region (it is not part of
//! opening). Under `cargo test --benches` (no `--bench` flag) it runs once on a small bank.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use criterion::{black_box, Criterion, SamplingMode};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
use ring::digest::{digest, SHA512};
use synaq_core::{AnswerOption, CategoryId, Image, Question, QuestionId, QuestionKind, Text};
use synaq_seal::bank::{self, BankContent, BankMeta};
use synaq_seal::{FileTrustStore, IssuerSecret, KioskSecret};

const QUESTIONS: usize = 20_000;
/// Questions in the quick run `cargo test --benches` does.
const SMOKE_QUESTIONS: usize = 200;
const IMAGE_BYTES: usize = 1_200;
const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
const TARGET_RATIO: f64 = 1.5;

fn t(kk: String, ru: String) -> Text {
    Text { kk, ru, en: None }
}

/// A xorshift stream: incompressible bytes, like real PNG data, without a dependency.
struct Noise(u32);

impl Noise {
    fn fill(&mut self, out: &mut [u8]) {
        for b in out {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 17;
            self.0 ^= self.0 << 5;
            *b = self.0 as u8;
        }
    }
}

fn content(n_questions: usize) -> BankContent {
    let cats: Vec<CategoryId> = (1..=6)
        .map(|i| CategoryId::new(format!("cat-{i}")).unwrap())
        .collect();
    let mut media = BTreeMap::new();
    let mut noise = Noise(0x9e37_79b9);
    let questions = (0..n_questions)
        .map(|n| {
            let path = format!("media/q{n:05}.png");
            let mut img = vec![0u8; IMAGE_BYTES];
            noise.fill(&mut img);
            media.insert(path.clone(), img);
            Question {
                id: QuestionId(format!("gen-{n:05}")),
                version: 1,
                topic: format!("topic-{}", n % 12),
                categories: cats.iter().take(1 + n % 6).cloned().collect(),
                text: t(
                    format!("Жұмыс орнында қауіпсіздік талаптарын сақтау туралы {n}-сұрақ: жұмыс беруші қандай шаралар қабылдауы тиіс?"),
                    format!("Вопрос {n} о соблюдении требований безопасности на рабочем месте: какие меры должен принять работодатель?"),
                ),
                kind: if n % 7 == 0 { QuestionKind::Multiple } else { QuestionKind::Single },
                options: (0..4)
                    .map(|o| AnswerOption {
                        id: ["a", "b", "c", "d"][o].to_owned(),
                        text: t(
                            format!("Жауап нұсқасы {o}: қауіпті жою немесе азайту"),
                            format!("Вариант ответа {o}: устранить или снизить опасность"),
                        ),
                        correct: o == 0 || (n % 7 == 0 && o == 1),
                        fixed: false,
                    })
                    .collect(),
                image: Some(Image {
                    path,
                    alt: t("Сызба".into(), "Схема".into()),
                }),
            }
        })
        .collect();
    BankContent {
        profile_toml: include_str!("../../../assets/demo/profile.toml").to_owned(),
        questions,
        media,
    }
}

fn nonce(i: usize, last: bool) -> Nonce {
    let mut n = [0u8; 12];
    n[3..11].copy_from_slice(&(i as u64).to_be_bytes());
    n[11] = u8::from(last);
    Nonce::assume_unique_for_key(n)
}

/// `total` bytes of 64 KiB AES-256-GCM chunks (each with its tag) sealed under `key`, and how
/// many plaintext bytes they hold.
fn sealed_buffer(key: &LessSafeKey, total: usize) -> (Vec<u8>, usize) {
    let chunks = total.div_ceil(CHUNK + TAG);
    let plain_len = total - chunks * TAG;
    let mut plain = vec![0u8; plain_len];
    Noise(0x2545_f491).fill(&mut plain);
    let mut out = Vec::with_capacity(total);
    let n = plain.chunks(CHUNK).len();
    for (i, chunk) in plain.chunks(CHUNK).enumerate() {
        let start = out.len();
        out.extend_from_slice(chunk);
        let tag = key
            .seal_in_place_separate_tag(nonce(i, i + 1 == n), Aad::empty(), &mut out[start..])
            .unwrap();
        out.extend_from_slice(tag.as_ref());
    }
    assert_eq!(out.len(), total);
    (out, plain_len)
}

/// The floor: hash all the bytes, copy them once, open every chunk in place. Returns how many
/// plaintext bytes opened; panics if a tag fails, so a floor that skipped work cannot pass.
fn floor(sealed: &[u8], key: &LessSafeKey) -> usize {
    let d = digest(&SHA512, sealed);
    let mut buf = sealed.to_vec();
    let n = buf.chunks(CHUNK + TAG).len();
    let mut opened = 0;
    for (i, chunk) in buf.chunks_mut(CHUNK + TAG).enumerate() {
        let plain = key
            .open_in_place(nonce(i, i + 1 == n), Aad::empty(), chunk)
            .expect("the floor's chunks carry valid tags");
        opened += plain.len();
    }
    black_box(d);
    opened
}

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
    // `cargo bench` passes `--bench`; `cargo test --benches` does not and wants a quick run.
    let full = std::env::args().any(|a| a == "--bench");
    let n_questions = if full { QUESTIONS } else { SMOKE_QUESTIONS };

    let issuer = IssuerSecret::generate().unwrap();
    let kiosk = KioskSecret::generate().unwrap();
    let c = content(n_questions);
    let now = 1_790_000_000;
    let meta = BankMeta {
        series: "bench".into(),
        version: 1,
        created: now,
        not_before: now,
        not_after: now + 86_400,
    };
    let built_at = Instant::now();
    let bytes = bank::build(&c, &meta, &issuer, &[kiosk.public()], &mut |_, _| {}).unwrap();
    let build_time = built_at.elapsed();
    drop(c);
    let dir = tempfile::tempdir().unwrap();
    let trust = FileTrustStore::open(&dir.path().join("trust.json")).unwrap();
    let issuer_pub = issuer.public();
    let floor_key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &[5; 32]).unwrap());
    let (floor_bytes, floor_plain) = sealed_buffer(&floor_key, bytes.len());
    let mb = bytes.len() as f64 / 1e6;
    println!("bank: {n_questions} questions with images, {mb:.1} MB (built in {build_time:.2?})");

    let opens = RefCell::new(Vec::new());
    let floors = RefCell::new(Vec::new());
    let mut criterion = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .without_plots()
        .configure_from_args();
    {
        let mut group = criterion.benchmark_group("bank");
        // One iteration takes a good part of a second: the same count in every sample.
        group.sampling_mode(SamplingMode::Flat);
        group.bench_function("open", |b| {
            b.iter_custom(|iters| {
                // Freeing the opened bank is not part of opening it: it happens after the clock
                // stops (the floor frees one buffer; a bank is 400,000 allocations).
                let mut kept = Vec::new();
                let took = timed(iters, &opens, || {
                    kept.push(
                        bank::open_unrecorded(&bytes, &issuer_pub, &kiosk, now, &trust).unwrap(),
                    );
                });
                for opened in kept {
                    assert_eq!(opened.content.questions.len(), n_questions);
                    drop(black_box(opened));
                }
                took
            })
        });
        group.bench_function("floor", |b| {
            b.iter_custom(|iters| {
                timed(iters, &floors, || {
                    let opened = floor(&floor_bytes, &floor_key);
                    assert_eq!(opened, floor_plain);
                    black_box(opened);
                })
            })
        });
        group.finish();
    }
    criterion.final_summary();

    if !full {
        println!("(quick run under `cargo test`: a smoke test, not a measurement)");
    }
    let (open, fl) = (median(&opens.borrow()), median(&floors.borrow()));
    let ratio = open.as_secs_f64() / fl.as_secs_f64();
    println!(
        "medians over {} open and {} floor runs (warm-up included):",
        opens.borrow().len(),
        floors.borrow().len()
    );
    println!(
        "floor (SHA-512 + copy + AES-256-GCM open): {fl:.2?}  ({:.0} MB/s)",
        mb / fl.as_secs_f64()
    );
    println!(
        "open  (verify, unwrap, decrypt, parse):    {open:.2?}  ({:.0} MB/s)",
        mb / open.as_secs_f64()
    );
    println!(
        "ratio open/floor: {ratio:.2} — {} the {TARGET_RATIO:.2}× target; open under 1 s: {}",
        if ratio <= TARGET_RATIO {
            "within"
        } else {
            "OVER"
        },
        if open < Duration::from_secs(1) {
            "yes"
        } else {
            "NO"
        }
    );
}
