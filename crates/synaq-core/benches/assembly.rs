//! Exam assembly on a big bank, without a bench framework:
//! `cargo bench -p synaq-core --bench assembly`.
//!
//! Prints p50 and p99 of `assemble` for a 120-question category over a 20,000-question bank
//! (6 categories, 14 topics; every question is in the measured category, the worst case),
//! against a floor: cloning the category's 20,000 question ids and shuffling them. Times are
//! printed, never asserted.

use std::collections::{BTreeMap, HashSet};
use std::hint::black_box;
use std::time::{Duration, Instant};

use synaq_core::{
    assemble, AnswerOption, Category, CategoryId, MultipleChoiceScoring, Question, QuestionId,
    QuestionKind, Rng, Text,
};

const BANK: usize = 20_000;
const TOPICS: usize = 14;
const CATEGORIES: usize = 6;
const RUNS: u64 = 200;
const MEASURED: &str = "cat-4";

fn text(s: String) -> Text {
    Text {
        kk: format!("{s} (kk)"),
        ru: format!("{s} (ru)"),
        en: None,
    }
}

fn bank() -> Vec<Question> {
    let mut rng = Rng::new(2024);
    (0..BANK)
        .map(|i| {
            let mut categories = vec![CategoryId::new(MEASURED).expect("valid id")];
            for c in 1..=CATEGORIES {
                let id = format!("cat-{c}");
                if id != MEASURED && rng.below(3) == 0 {
                    categories.push(CategoryId::new(id).expect("valid id"));
                }
            }
            let multiple = rng.below(4) == 0;
            let n_opts = 3 + rng.below(3);
            Question {
                id: QuestionId(format!("ot-{i:05}")),
                version: 1 + rng.below(3) as u32,
                topic: format!("topic-{:02}", rng.below(TOPICS)),
                categories,
                text: text(format!("question {i}")),
                kind: if multiple {
                    QuestionKind::Multiple
                } else {
                    QuestionKind::Single
                },
                options: (0..n_opts)
                    .map(|o| AnswerOption {
                        id: ((b'a' + o as u8) as char).to_string(),
                        text: text(format!("option {i}/{o}")),
                        correct: o == 0 || (multiple && o == 1),
                        fixed: false,
                    })
                    .collect(),
                image: None,
            }
        })
        .collect()
}

fn category() -> Category {
    Category {
        id: CategoryId::new(MEASURED).expect("valid id"),
        number: 4,
        name: text("expert".into()),
        training_hours: 72,
        question_count: 120,
        minutes_per_question: 2,
        pass_percent: 70,
        retake_window_days: 30,
        certificate_validity_years: Some(3),
        capture_interval_secs: 5,
        topic_quota: BTreeMap::new(),
        multiple_choice: MultipleChoiceScoring::AllOrNothing,
        min_seconds_per_answer: synaq_core::profile::DEFAULT_MIN_SECONDS_PER_ANSWER,
        max_camera_flags: synaq_core::profile::DEFAULT_MAX_CAMERA_FLAGS,
        max_fails_per_day: synaq_core::profile::DEFAULT_MAX_FAILS_PER_DAY,
        recertify_window_days: synaq_core::profile::DEFAULT_RECERTIFY_WINDOW_DAYS,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i].as_secs_f64() * 1e6
}

/// Times every case once per seed, in turn, so machine noise hits them all alike; returns
/// (p50, p99) in µs per case.
fn time(cases: &mut [&mut dyn FnMut(u64)]) -> Vec<(f64, f64)> {
    for seed in 0..10 {
        for case in cases.iter_mut() {
            case(seed); // warm up
        }
    }
    let mut samples: Vec<Vec<Duration>> = vec![Vec::with_capacity(RUNS as usize); cases.len()];
    for seed in 0..RUNS {
        for (case, v) in cases.iter_mut().zip(&mut samples) {
            let t = Instant::now();
            case(1000 + seed);
            v.push(t.elapsed());
        }
    }
    samples
        .into_iter()
        .map(|mut v| {
            v.sort_unstable();
            (percentile(&v, 0.50), percentile(&v, 0.99))
        })
        .collect()
}

fn main() {
    let bank = bank();
    let cat = category();
    let eligible = bank.iter().filter(|q| q.is_for(&cat.id)).count();
    println!(
        "bank: {} questions, {CATEGORIES} categories, {TOPICS} topics; {} eligible for {}; \
         drawing {} over {RUNS} seeds",
        bank.len(),
        eligible,
        cat.id,
        cat.question_count
    );

    let none = HashSet::new();
    // A retake after two earlier attempts: 240 seen questions.
    let seen: HashSet<QuestionId> = (0..240).map(|i| bank[i * 80].id.clone()).collect();

    let mut first = |seed| {
        let p = assemble(black_box(&bank), &cat, seed, &none).expect("bank is big enough");
        black_box(p);
    };
    let mut retake = |seed| {
        let p = assemble(black_box(&bank), &cat, seed, &seen).expect("bank is big enough");
        black_box(p);
    };
    let mut floor = |seed| {
        let mut ids: Vec<QuestionId> = black_box(&bank)
            .iter()
            .filter(|q| q.is_for(&cat.id))
            .map(|q| q.id.clone())
            .collect();
        Rng::new(seed).shuffle(&mut ids);
        black_box(ids);
    };
    let mut scan = |_| {
        let n = black_box(&bank)
            .iter()
            .filter(|q| q.is_for(&cat.id))
            .map(|q| q.topic.len())
            .sum::<usize>();
        black_box(n);
    };
    let t = time(&mut [&mut first, &mut retake, &mut floor, &mut scan]);
    let [(a50, a99), (r50, r99), (f50, f99), (s50, s99)] = t[..] else {
        unreachable!("four cases");
    };

    println!("assemble        p50 {a50:8.1} µs   p99 {a99:8.1} µs   (target < 5 ms)");
    println!("assemble retake p50 {r50:8.1} µs   p99 {r99:8.1} µs   (240 seen)");
    println!(
        "floor           p50 {f50:8.1} µs   p99 {f99:8.1} µs   (clone {eligible} ids + shuffle)"
    );
    println!(
        "scan only       p50 {s50:8.1} µs   p99 {s99:8.1} µs   (filter the bank, read topics)"
    );
    println!(
        "ratio assemble/floor: p50 {:.2}   p99 {:.2}",
        a50 / f50,
        a99 / f99
    );
}
