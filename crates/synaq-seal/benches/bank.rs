//! `cargo xtask bench bank`: open a 20,000-question bank with images (~50 MB) for one kiosk —
//! verify, unwrap, decrypt, parse — against a floor measured in the same run: SHA-512 plus
//! AES-256-GCM open over the same bytes (with the one copy any in-place open needs).
//! Reports medians and the ratio; the target is ≤ 1.5× the floor and under 1 s.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
use ring::digest::{digest, SHA512};
use synaq_core::{AnswerOption, CategoryId, Image, Question, QuestionId, QuestionKind, Text};
use synaq_seal::bank::{self, BankContent, BankMeta};
use synaq_seal::{FileTrustStore, IssuerSecret, KioskSecret};

const QUESTIONS: usize = 20_000;
const IMAGE_BYTES: usize = 1_200;
const RUNS: usize = 5;

fn t(kk: String, ru: String) -> Text {
    Text { kk, ru, en: None }
}

fn content() -> BankContent {
    let cats: Vec<CategoryId> = (1..=6)
        .map(|i| CategoryId::new(format!("cat-{i}")).unwrap())
        .collect();
    let mut media = BTreeMap::new();
    let mut seed = 0x9e37_79b9_u32;
    let questions = (0..QUESTIONS)
        .map(|n| {
            let path = format!("media/q{n:05}.png");
            // Incompressible bytes, like real PNG data.
            let img: Vec<u8> = (0..IMAGE_BYTES)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    seed as u8
                })
                .collect();
            media.insert(path.clone(), img);
            Question {
                id: QuestionId(format!("gen-{n:05}")),
                version: 1,
                topic: format!("topic-{}", n % 12),
                categories: cats.iter().filter(|_| true).take(1 + n % 6).cloned().collect(),
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

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn floor(bytes: &[u8], key: &LessSafeKey) -> usize {
    let d = digest(&SHA512, bytes);
    let mut buf = bytes.to_vec();
    let mut opened = 0;
    for (i, chunk) in buf.chunks_mut(64 * 1024 + 16).enumerate() {
        let mut n = [0u8; 12];
        n[3..11].copy_from_slice(&(i as u64).to_be_bytes());
        // Tags do not match (this is not a sealed payload): the work is the same, and the
        // result is used so the call cannot be optimised away.
        opened += usize::from(
            key.open_in_place(Nonce::assume_unique_for_key(n), Aad::empty(), chunk)
                .is_ok(),
        );
    }
    d.as_ref()[0] as usize + opened
}

fn main() {
    let issuer = IssuerSecret::generate().unwrap();
    let kiosk = KioskSecret::generate().unwrap();
    let c = content();
    let now = 1_790_000_000;
    let meta = BankMeta {
        series: "bench".into(),
        version: 1,
        created: now,
        not_before: now,
        not_after: now + 86_400,
    };
    let t0 = Instant::now();
    let bytes = bank::build(&c, &meta, &issuer, &[kiosk.public()], &mut |_, _| {}).unwrap();
    let build = t0.elapsed();
    drop(c);
    let dir = tempfile::tempdir().unwrap();
    let trust = FileTrustStore::open(&dir.path().join("trust.json")).unwrap();
    let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &[5; 32]).unwrap());
    let mut opens = Vec::new();
    let mut floors = Vec::new();
    let mut sink = 0usize;
    for _ in 0..RUNS {
        let t = Instant::now();
        let opened = bank::open_unrecorded(&bytes, &issuer.public(), &kiosk, now, &trust).unwrap();
        opens.push(t.elapsed());
        sink += opened.content.questions.len();
        drop(opened);
        let t = Instant::now();
        sink += floor(&bytes, &key);
        floors.push(t.elapsed());
    }
    let (open, fl) = (median(opens), median(floors));
    let mb = bytes.len() as f64 / 1e6;
    println!("bank: {QUESTIONS} questions with images, {mb:.1} MB (built in {build:.2?})");
    println!(
        "floor (SHA-512 + AES-256-GCM open + copy): {fl:.2?}  ({:.0} MB/s)",
        mb / fl.as_secs_f64()
    );
    println!(
        "open  (verify, unwrap, decrypt, parse):     {open:.2?}  ({:.0} MB/s)",
        mb / open.as_secs_f64()
    );
    println!(
        "ratio open/floor: {:.2}  (target ≤ 1.50; under 1 s: {})",
        open.as_secs_f64() / fl.as_secs_f64(),
        if open < Duration::from_secs(1) {
            "yes"
        } else {
            "no"
        }
    );
    assert!(sink > 0);
}
